import type { LexicalHit } from './lexical-index.js';
import { reciprocalRankFusion } from './lexical-index.js';
import type { SearchFilter } from './product-index.js';
import { describeFilters, parseQuery } from './query-parse.js';
import { finish, similarProducts, type RankOptions, type VectorDeps } from './similar.js';
import type { Recommendation } from './types.js';

/** Result of a text match: the products plus how the query was understood. */
export interface TextMatchResult {
  query: string;
  /** The part of the query that was embedded. */
  semanticText: string;
  filters: SearchFilter;
  /** Set for "like X but cheaper": the product X resolved to. */
  anchorSku?: string;
  items: Recommendation[];
}

/**
 * Hybrid text match: filters (from NLU entities, or parsed price phrases) restrict both
 * retrievers; the rest of the text is embedded and searched in HNSW, and also matched
 * lexically (names, brands, SKUs); the two rankings are merged by reciprocal rank fusion, then
 * re-ranked (business rules, MMR). "something like X but cheaper" resolves X, then finds
 * cheaper similar products.
 */
export async function matchText(
  deps: VectorDeps,
  query: string,
  options: RankOptions = {},
): Promise<TextMatchResult> {
  const parsed = parseQuery(query);
  const filters: SearchFilter = { ...parsed.filters, ...options.filters };
  const k = options.k ?? 10;
  const pool = options.candidates ?? Math.max(30, 4 * k);
  if (parsed.cheaperThan) {
    const anchor = await resolveProduct(deps, parsed.cheaperThan);
    if (anchor) {
      const items = similarProducts(deps, anchor, { ...options, filters, cheaper: true });
      return { query, semanticText: parsed.cheaperThan, filters, anchorSku: anchor, items };
    }
  }
  const text = parsed.text === '' ? query : parsed.text;
  const searchFilters: SearchFilter =
    options.business?.dropOutOfStock === false ? filters : { ...filters, inStock: true };
  const [vector] = await deps.encoder.embed([text]);
  const semantic = deps.index.search(vector!, pool, searchFilters);
  const lexical = deps.lexical.query(text, pool, searchFilters);
  const fused = reciprocalRankFusion([semantic.map((h) => h.sku), lexical.map((h) => h.sku)]);
  const lexicalBySku = new Map(lexical.map((h) => [h.sku, h]));
  const semanticSkus = new Set(semantic.map((h) => h.sku));
  const scope = describeFilters(filters);
  // A SKU typed verbatim is pinned first: the shopper named the exact product.
  const exact = new Set(lexical.filter((h) => h.score === Infinity).map((h) => h.sku));
  const candidates = fused.map((f) => ({
    sku: f.sku,
    score: f.score,
    reason: exact.has(f.sku)
      ? `Exact match for SKU ${f.sku}`
      : queryReason(text, lexicalBySku.get(f.sku), semanticSkus.has(f.sku), scope),
  }));
  const pinned = finish(
    deps,
    candidates.filter((c) => exact.has(c.sku)),
    'query',
    { ...options, diversity: 1 },
  );
  const rest = finish(
    deps,
    candidates.filter((c) => !exact.has(c.sku)),
    'query',
    options,
  );
  return { query, semanticText: text, filters, items: [...pinned, ...rest].slice(0, k) };
}

/** Finds the product a shopper refers to ("the Cragline rain jacket"): lexical first, then meaning. */
async function resolveProduct(deps: VectorDeps, description: string): Promise<string | undefined> {
  const lexical = deps.lexical.query(description, 1);
  if (lexical[0]) return lexical[0].sku;
  const [vector] = await deps.encoder.embed([description]);
  return deps.index.search(vector!, 1)[0]?.sku;
}

function queryReason(
  text: string,
  lexical: LexicalHit | undefined,
  semantic: boolean,
  scope: string,
): string {
  const how =
    lexical && semantic
      ? `matches “${text}” by name and meaning`
      : lexical
        ? `its name or brand matches “${lexical.terms.join(' ')}”`
        : `close in meaning to “${text}”`;
  const base = how.charAt(0).toUpperCase() + how.slice(1);
  return scope ? `${base} (${scope})` : base;
}
