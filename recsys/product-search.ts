// Product search: the parsed query's hard filters decide what may be shown as a match; the hybrid
// lexical + vector index, a product-type match signal and the soft preferences decide the order.
// When nothing passes, the answer says so and carries the nearest alternatives, labelled as such.
import type { CatalogVocabulary, ProductFacts } from './catalog-vocabulary.js';
import { compileHardFilters, hasAttributeConstraints, relaxCost } from './hard-filters.js';
import { parseProductQuery, type ProductQuery, type TypeEvidence } from './product-query.js';
import { stem } from './query-words.js';
import {
  explainAlternative,
  explainMatch,
  noMatchNotice,
  plural,
  type Constraint,
} from './search-explain.js';
import { dot } from './rerank.js';
import { finish, type RankOptions, type VectorDeps } from './similar.js';
import type { CatalogProduct, Recommendation } from './types.js';

/** What product search needs: the vector deps and the catalog vocabulary. */
export interface ProductSearchDeps extends VectorDeps {
  vocabulary: CatalogVocabulary;
}

/** The answer to a product search. */
export interface ProductSearchResult {
  query: string;
  /** How the query was understood (hard filters and soft preferences). */
  understood: ProductQuery;
  /** `matched`: `items` meet every hard filter; `no-match`: none does, see `alternatives`. */
  status: 'matched' | 'no-match';
  /** Products meeting every hard filter, best first. */
  items: Recommendation[];
  /** Only when nothing matched: the nearest alternatives, each reason saying what differs. */
  alternatives: Recommendation[];
  /** The hard filters the alternatives give up. */
  relaxed: Constraint[];
  /** A line for the shopper when nothing matched ("No boots under $50. The cheapest boots are:"). */
  notice?: string;
  /** Things worth telling the shopper: typo corrections, a refused price. */
  notes: string[];
}

const TYPE_WEIGHT: Record<TypeEvidence, number> = { phrase: 1, synonym: 0.9, head: 0.8, alias: 0.7 };

interface Scored {
  sku: string;
  p: CatalogProduct;
  facts: ProductFacts;
  score: number;
  soft: string[];
  failed: Constraint[];
}

/** Searches the catalog for a shopper's request (see ProductSearchResult). */
export async function searchProducts(
  deps: ProductSearchDeps,
  text: string,
  options: RankOptions = {},
): Promise<ProductSearchResult> {
  const q = withCallerFilters(parseProductQuery(text, deps.vocabulary), options);
  if (saysNothing(q)) {
    // "", "🙂", "hello": nothing to search for; products "close in meaning to ''" help nobody
    return {
      query: text,
      understood: q,
      status: 'no-match',
      items: [],
      alternatives: [],
      relaxed: [],
      notice: 'What are you looking for? Name a product, a brand or a price, e.g. “rain jacket under $100”.',
      notes: notesFor(q, deps.vocabulary),
    };
  }
  const k = options.k ?? 10;
  const keepOutOfStock = options.business?.dropOutOfStock === false;
  const excluded = new Set(options.filters?.excludeSkus ?? []);
  const usable = (p: CatalogProduct | undefined): p is CatalogProduct =>
    p !== undefined && p.active && (keepOutOfStock || p.stock > 0) && !excluded.has(p.sku);
  const semantic = semanticText(q);
  const [raw] = await deps.encoder.embed([semantic]);
  const vector = unit(raw!);
  const hard = compileHardFilters(q, deps.vocabulary);

  const pool = new Set<string>();
  if (q.types.length > 0)
    for (const t of q.types) for (const sku of deps.vocabulary.types.get(t.key)!.skus) pool.add(sku);
  else if (hasAttributeConstraints(q)) for (const sku of deps.vocabulary.facts.keys()) pool.add(sku);
  const priceFilter = { priceMin: q.priceMin, priceMax: q.priceMax, inStock: !keepOutOfStock };
  const lexical = deps.lexical.query(semantic, 100, pool.size > 0 ? {} : priceFilter);
  if (pool.size === 0) {
    for (const h of deps.index.search(vector, 100, priceFilter)) pool.add(h.sku);
    for (const h of lexical) pool.add(h.sku);
    // types a tag suggests are candidates too, ranked up by the type signal
    for (const t of q.likelyTypes) for (const sku of deps.vocabulary.types.get(t.key)!.skus) pool.add(sku);
  }
  const scored = score(deps, q, pool, vector, lexical, hard, usable);
  const exact = scored.filter((s) => s.failed.length === 0 && !(q.missing && q.types.length === 0));
  const notes = notesFor(q, deps.vocabulary);
  if (exact.length > 0) {
    const items = finish(
      deps,
      exact.map((s) => ({
        sku: s.sku,
        score: s.score,
        reason: explainMatch(q, s.p, s.facts, typeName(q, s.facts), s.soft),
      })),
      'query',
      { ...options, k, diversity: options.diversity ?? 0.85, filters: undefined },
    );
    return { query: text, understood: q, status: 'matched', items, alternatives: [], relaxed: [], notes };
  }
  const alternatives = nearestAlternatives(deps, q, scored, vector, hard, usable, k);
  const relaxed = alternatives[0]?.failed ?? [];
  return {
    query: text,
    understood: q,
    status: 'no-match',
    items: [],
    alternatives: finish(
      deps,
      alternatives.map((s, i) => ({
        sku: s.sku,
        score: alternatives.length - i,
        reason: explainAlternative(q, s.p, s.facts, s.failed),
      })),
      'query',
      { ...options, k, diversity: 1, filters: undefined },
    ),
    relaxed,
    notice: noMatchNotice(q, relaxed, sizesOnOffer(q, deps.vocabulary)),
    notes,
  };
}

/** A query with no product word, filter, wish or unknown noun in it. */
function saysNothing(q: ProductQuery): boolean {
  return (
    !hasAttributeConstraints(q) &&
    q.likelyTypes.length === 0 &&
    q.priceMin === undefined &&
    q.priceMax === undefined &&
    q.soft.length === 0 &&
    q.uses.length === 0 &&
    q.unknown.length === 0 &&
    !q.gift &&
    q.sort === undefined
  );
}

/** Filters the caller passes (from NLU entities) override the ones parsed from the text. */
function withCallerFilters(q: ProductQuery, options: RankOptions): ProductQuery {
  const f = options.filters ?? {};
  // a caller's price that is not a plausible amount is dropped, never filtered on
  const price = (x: number | undefined) => x !== undefined && Number.isFinite(x) && x >= 0 && x <= 1_000_000;
  return {
    ...q,
    ...(price(f.priceMin) ? { priceMin: f.priceMin } : {}),
    ...(price(f.priceMax) ? { priceMax: f.priceMax } : {}),
    ...(f.category !== undefined && q.types.length === 0
      ? { categories: Array.isArray(f.category) ? f.category : [f.category] }
      : {}),
  };
}

/** The words worth embedding and matching lexically: the query without prices and filler. */
function semanticText(q: ProductQuery): string {
  const words = [
    ...(q.colour?.said ?? []),
    ...q.attributes.map((a) => a.said),
    ...q.brands,
    ...q.soft,
    ...q.types.map((t) => t.name),
    ...(q.missing ? [q.missing] : []),
    ...(q.uses.length > 0 ? ['for', ...q.uses] : []),
  ];
  return words.length > 0 ? words.join(' ') : q.text.slice(0, 200);
}

function score(
  deps: ProductSearchDeps,
  q: ProductQuery,
  pool: Set<string>,
  vector: Float32Array,
  lexical: ReadonlyArray<{ sku: string; score: number }>,
  hard: ReturnType<typeof compileHardFilters>,
  usable: (p: CatalogProduct | undefined) => p is CatalogProduct,
): Scored[] {
  const lexicalTop = Math.max(...lexical.map((h) => h.score).filter(Number.isFinite), 1e-9);
  const lexicalOf = new Map(lexical.map((h) => [h.sku, Number.isFinite(h.score) ? h.score / lexicalTop : 1]));
  const evidence = new Map([...q.likelyTypes, ...q.types].map((t) => [t.key, TYPE_WEIGHT[t.how]]));
  const wishes = [
    ...q.uses.map((w) => ({ word: w, weight: 2 })),
    ...q.soft.map((w) => ({ word: w, weight: 1 })),
    // a gift wish only breaks ties: "present for a runner" is about running, not gift cards
    ...(q.gift ? [{ word: 'gift', weight: 0.5 }] : []),
    ...(q.colour?.values ?? []).map((v) => ({ word: v, weight: 0.5 })),
  ];
  const wishWeight = wishes.reduce((s, w) => s + w.weight, 0);
  const prices = [...pool].map((sku) => deps.productOf(sku)?.price ?? 0);
  const [low, high] = [Math.min(...prices), Math.max(...prices)];
  const out: Scored[] = [];
  for (const sku of pool) {
    const p = deps.productOf(sku);
    const facts = deps.vocabulary.facts.get(sku);
    if (!usable(p) || !facts) continue;
    const v = deps.index.vectorOf(sku);
    const similarity = v ? dot(vector, v) : 0;
    const soft: string[] = [];
    let softScore = 0;
    for (const w of wishes) {
      const s = w.word.split(' ').map(stem);
      const strong = s.every((x) => facts.stems.has(x));
      const weak = !strong && s.every((x) => facts.stems.has(x) || facts.descriptionStems.has(x));
      if (strong || weak) {
        softScore += (strong ? 1 : 0.5) * w.weight;
        soft.push(w.word);
      }
    }
    const wishFit = wishWeight > 0 ? softScore / wishWeight : 0;
    const priceRank = high > low ? (p.price - low) / (high - low) : 0;
    const sort =
      q.sort === 'price-asc' ? 0.8 * (1 - priceRank) : q.sort === 'price-desc' ? 0.8 * priceRank : 0;
    const value =
      (evidence.get(facts.type) ?? 0) + 1.2 * wishFit + similarity + 0.4 * (lexicalOf.get(sku) ?? 0) + sort;
    out.push({ sku, p, facts, score: 1 + value, soft, failed: hard(p, facts) });
  }
  return out.sort((a, b) => b.score - a.score || a.sku.localeCompare(b.sku));
}

/**
 * The products whose failed constraints cost least to give up ("cheapest boots" for boots under
 * $50). When even those are missing (a type with nothing in stock, an unknown product), the
 * nearest products by meaning stand in, with the remaining constraints still preferred.
 */
function nearestAlternatives(
  deps: ProductSearchDeps,
  q: ProductQuery,
  scored: Scored[],
  vector: Float32Array,
  hard: ReturnType<typeof compileHardFilters>,
  usable: (p: CatalogProduct | undefined) => p is CatalogProduct,
  k: number,
): Scored[] {
  let pool = scored;
  if (pool.length === 0 || (q.missing && q.types.length === 0)) {
    const near = new Set(deps.index.search(vector, 40, { inStock: true }).map((h) => h.sku));
    pool = score(deps, q, near, vector, [], hard, usable);
  }
  if (pool.length === 0) return [];
  const cost = (s: Scored) => relaxCost(s.failed);
  const best = Math.min(...pool.map(cost));
  const chosen = pool.filter((s) => cost(s) === best);
  const distance = (s: Scored) =>
    Math.max(0, (q.priceMin ?? -Infinity) - s.p.price, s.p.price - (q.priceMax ?? Infinity));
  if (chosen.some((s) => s.failed.includes('price')))
    chosen.sort((a, b) => distance(a) - distance(b) || b.score - a.score);
  return chosen.slice(0, k);
}

function typeName(q: ProductQuery, facts: ProductFacts): string | undefined {
  return q.types.find((t) => t.key === facts.type)?.name;
}

function sizesOnOffer(q: ProductQuery, vocab: CatalogVocabulary): string[] {
  const sizes = new Set<string>();
  for (const t of q.types)
    for (const sku of vocab.types.get(t.key)!.skus) {
      const size = vocab.facts.get(sku)!.attributes.get('size');
      if (size) sizes.add(size.toUpperCase());
    }
  return [...sizes].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

function notesFor(q: ProductQuery, vocab: CatalogVocabulary): string[] {
  const notes: string[] = [];
  if (q.corrections.length > 0) {
    const as = (c: { from: string; to: string }) =>
      c.from.endsWith('s') && !c.to.endsWith('s') ? `${c.to}s` : c.to;
    notes.push(
      `Showing results for ${q.corrections.map((c) => `“${as(c)}” (you typed “${c.from}”)`).join(', ')}.`,
    );
  }
  if (q.sizes.length > 0 && q.types.length > 0 && sizesOnOffer(q, vocab).length === 0)
    notes.push(`Sizes aren't listed for ${plural(q.types[0]!.name)}; the product page has the fit details.`);
  if (q.invalidPrice)
    notes.push(`I ignored the price “${q.invalidPrice}”: prices are positive amounts like $25.`);
  return notes;
}

function unit(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const inv = 1 / Math.sqrt(s || 1);
  return v.map((x) => x * inv);
}
