import { UnknownProductError } from './errors.js';
import type { LexicalIndex } from './lexical-index.js';
import type { ProductIndex, SearchFilter } from './product-index.js';
import { applyBusinessRules, dot, mmr, type BusinessRules, type Candidate } from './rerank.js';
import type { CatalogProduct, Recommendation, RecommendationSource, TextEncoder } from './types.js';

/** What the vector-based recommenders need: the index, the catalog and the encoder. */
export interface VectorDeps {
  index: ProductIndex;
  lexical: LexicalIndex;
  encoder: TextEncoder;
  productOf: (sku: string) => CatalogProduct | undefined;
}

/** Options shared by the vector-based recommenders. */
export interface RankOptions {
  k?: number;
  /** Candidates fetched before re-ranking (default 4·k, at least 30). */
  candidates?: number;
  filters?: SearchFilter;
  /** MMR trade-off: 1 = relevance only (default 0.75). */
  diversity?: number;
  business?: BusinessRules;
}

/** Re-ranks candidates (business rules, then MMR over embeddings) and shapes the output. */
export function finish(
  deps: VectorDeps,
  candidates: Candidate[],
  source: RecommendationSource,
  options: RankOptions,
): Recommendation[] {
  const k = options.k ?? 10;
  const kept = applyBusinessRules(candidates, deps.productOf, options.business).map((c, at) => ({
    ...c,
    at,
  }));
  // MMR compares every remaining candidate with each pick (k × candidates cosines): fetch each
  // vector and its norm once, so a comparison is one unrolled dot product.
  const vectors = kept.map((c) => deps.index.vectorOf(c.sku));
  const norms = vectors.map((v) => (v ? Math.sqrt(dot(v, v)) : 0));
  const sim = (a: { at: number }, b: { at: number }) => {
    const x = vectors[a.at];
    const y = vectors[b.at];
    const n = norms[a.at]! * norms[b.at]!;
    return x && y && n > 0 ? dot(x, y) / n : 0;
  };
  return mmr(kept, k, sim, options.diversity ?? 0.75).map((c) =>
    toRecommendation(deps.productOf(c.sku)!, c, source),
  );
}

/** A candidate as the public recommendation shape. */
export function toRecommendation(
  p: CatalogProduct,
  c: Candidate,
  source: RecommendationSource,
): Recommendation {
  return {
    sku: p.sku,
    name: p.name,
    category: p.category,
    brand: p.brand,
    price: p.price,
    currency: p.currency,
    score: round(c.score),
    reason: c.reason,
    source,
  };
}

/** "More like this" (and "like this but cheaper"): nearest products to a product's embedding. */
export function similarProducts(
  deps: VectorDeps,
  sku: string,
  options: RankOptions & { cheaper?: boolean } = {},
): Recommendation[] {
  const anchor = deps.productOf(sku);
  const vector = anchor ? deps.index.vectorOf(sku) : undefined;
  if (!anchor || !vector) throw new UnknownProductError(sku);
  const k = options.k ?? 10;
  const filters: SearchFilter = {
    ...options.filters,
    excludeSkus: [...(options.filters?.excludeSkus ?? []), sku],
    ...(options.business?.dropOutOfStock === false ? {} : { inStock: true }),
    // strictly cheaper: a cent below the anchor's price
    ...(options.cheaper
      ? { priceMax: Math.min(options.filters?.priceMax ?? Infinity, anchor.price - 0.01) }
      : {}),
  };
  const hits = deps.index.search(vector, options.candidates ?? Math.max(30, 4 * k), filters);
  const candidates = hits.map((h) => {
    const p = deps.productOf(h.sku)!;
    const saving = anchor.price - (p?.price ?? anchor.price);
    const reason = options.cheaper
      ? `Like ${anchor.name} but ${money(saving, anchor.currency)} cheaper (${percentMatch(h.similarity)} match)`
      : `Similar to ${anchor.name}${p && p.category === anchor.category ? `, also in ${p.category}` : ''} (${percentMatch(h.similarity)} match)`;
    return { sku: h.sku, score: h.similarity, reason };
  });
  return finish(deps, candidates, 'similar', { ...options, diversity: options.diversity ?? 0.85 });
}

/** Formats money for reasons, e.g. "$12.50". */
export function money(amount: number, currency: string): string {
  const value = amount.toFixed(2).replace(/\.00$/, '');
  return currency === 'USD'
    ? `$${value}`
    : currency === 'EUR'
      ? `€${value}`
      : currency === 'GBP'
        ? `£${value}`
        : `${value} ${currency}`;
}

function percentMatch(similarity: number): string {
  return `${Math.round(Math.max(0, similarity) * 100)}%`;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
