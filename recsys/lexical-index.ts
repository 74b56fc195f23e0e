import MiniSearch from 'minisearch';
import type { SearchFilter } from './product-index.js';
import type { CatalogProduct } from './types.js';

const STOP_WORDS = new Set(
  'a an and any are as at be but by can do for from has have i in into is it its me my of on or our so some something that the their them they this to up with you your'.split(
    ' ',
  ),
);

/** A product found by words (names, brands, SKUs, tags). */
export interface LexicalHit {
  sku: string;
  score: number;
  /** Query terms that matched, for the reason text. */
  terms: string[];
}

/**
 * BM25 lexical index (minisearch) over product names, brands, SKUs, categories and tags. It is
 * the exact-words half of the hybrid search; descriptions are left to the embedding side: they
 * share generic words ("with", "edition", "warranty") across the catalog, so indexing them made
 * most queries match ~40 % more products and doubled the lexical cost without finding products
 * the names and tags miss.
 */
export class LexicalIndex {
  private readonly search = new MiniSearch<{
    id: string;
    sku: string;
    name: string;
    brand: string;
    category: string;
    tags: string;
  }>({
    fields: ['sku', 'name', 'brand', 'category', 'tags'],
    idField: 'id',
    // Stop words dropped: "a gift for a coffee lover" would otherwise match on "for" and "a".
    processTerm: (term) => {
      const t = term.toLowerCase();
      return STOP_WORDS.has(t) || (t.length < 2 && !/\d/.test(t)) ? null : t;
    },
    // Prefix matching only on the last term (the word being typed) and fuzzy matching only on
    // words of 5+ letters, one edit: unrestricted fuzzy/prefix expansion over a 10k-product
    // vocabulary cost ~50 ms per query, this costs a few.
    searchOptions: {
      boost: { sku: 6, name: 3, brand: 3, tags: 1.5, category: 1.2 },
      prefix: (_term: string, i: number, terms: string[]) => i === terms.length - 1,
      fuzzy: (term: string) => (term.length >= 5 ? 1 : false),
      maxFuzzy: 1,
      combineWith: 'OR',
    },
  });
  private readonly products = new Map<string, CatalogProduct>();

  /** Adds or replaces products. */
  upsert(products: Iterable<CatalogProduct>): void {
    for (const p of products) {
      if (this.products.has(p.sku)) this.search.discard(p.sku);
      this.products.set(p.sku, p);
      if (!p.active) continue;
      this.search.add({
        id: p.sku,
        sku: p.sku,
        name: p.name,
        brand: p.brand ?? '',
        category: p.category,
        tags: p.tags.join(' '),
      });
    }
  }

  /** Removes a product. */
  remove(sku: string): void {
    const p = this.products.get(sku);
    if (p?.active) this.search.discard(sku);
    this.products.delete(sku);
  }

  /** Top-k products by BM25 among those passing the filter; an exact SKU in the query ranks first. */
  query(text: string, k: number, filter: SearchFilter = {}): LexicalHit[] {
    const check = compileProductFilter(filter);
    const accept = (sku: string) => {
      const p = this.products.get(sku);
      return p !== undefined && check(p);
    };
    const exact = text
      .split(/\s+/)
      .map((t) => t.replace(/[^\w./-]/g, ''))
      .filter((t) => this.products.get(t)?.active && accept(t));
    // minisearch scores every matching product whatever the filter, so the filter is checked on
    // the ranked list until k pass (the same top k as filtering first, since the sort is stable),
    // not on all ~1,000 matches of a typical query over a 10k catalog.
    const hits: LexicalHit[] = [];
    for (const r of this.search.search(text)) {
      if (hits.length >= k + exact.length) break;
      const sku = r.id as string;
      if (accept(sku)) hits.push({ sku, score: r.score, terms: r.queryTerms });
    }
    const top = exact.map((sku) => ({ sku, score: Infinity, terms: [sku] }));
    return [...top, ...hits.filter((h) => !exact.includes(h.sku))].slice(0, k);
  }
}

/** The same checks as the in-search HNSW filter, on a product object (inactive never passes). */
export function passesFilter(p: CatalogProduct, f: SearchFilter): boolean {
  return compileProductFilter(f)(p);
}

/** `passesFilter` with the filter's lists lower-cased and turned into sets once, for many products. */
export function compileProductFilter(f: SearchFilter): (p: CatalogProduct) => boolean {
  const { priceMin, priceMax, inStock } = f;
  const categories =
    f.category === undefined
      ? undefined
      : new Set((Array.isArray(f.category) ? f.category : [f.category]).map((c) => c.toLowerCase()));
  const excluded = f.excludeSkus && f.excludeSkus.length > 0 ? new Set(f.excludeSkus) : undefined;
  return (p) =>
    p.active &&
    (priceMin === undefined || p.price >= priceMin) &&
    (priceMax === undefined || p.price <= priceMax) &&
    (!inStock || p.stock > 0) &&
    (categories === undefined || categories.has(p.category.toLowerCase())) &&
    (excluded === undefined || !excluded.has(p.sku));
}

/**
 * Reciprocal rank fusion (Cormack et al. 2009): score = Σ 1 / (c + rank) over the lists an item
 * appears in. It needs no score calibration between BM25 and cosine, which is why it is used.
 */
export function reciprocalRankFusion(
  lists: ReadonlyArray<readonly string[]>,
  c = 60,
): Array<{ sku: string; score: number }> {
  const score = new Map<string, number>();
  for (const list of lists)
    list.forEach((sku, rank) => score.set(sku, (score.get(sku) ?? 0) + 1 / (c + rank + 1)));
  return [...score]
    .map(([sku, s]) => ({ sku, score: s }))
    .sort((a, b) => b.score - a.score || a.sku.localeCompare(b.sku));
}
