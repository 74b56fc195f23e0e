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

/** BM25 lexical index (minisearch) over product names, brands, SKUs, categories and tags. */
export class LexicalIndex {
  private readonly search = new MiniSearch<{
    id: string;
    sku: string;
    name: string;
    brand: string;
    category: string;
    tags: string;
    description: string;
  }>({
    fields: ['sku', 'name', 'brand', 'category', 'tags', 'description'],
    idField: 'id',
    // Stop words dropped: "a gift for a coffee lover" would otherwise score every description.
    processTerm: (term) => {
      const t = term.toLowerCase();
      return STOP_WORDS.has(t) || (t.length < 2 && !/\d/.test(t)) ? null : t;
    },
    // Prefix matching only on the last term (the word being typed) and fuzzy matching only on
    // words of 5+ letters, one edit: unrestricted fuzzy/prefix expansion over a 10k-product
    // vocabulary cost ~50 ms per query, this costs a few.
    searchOptions: {
      boost: { sku: 6, name: 3, brand: 3, tags: 1.5, category: 1.2, description: 0.5 },
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
        description: p.description,
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
    const accept = (sku: string) => this.passes(sku, filter);
    const exact = text
      .split(/\s+/)
      .map((t) => t.replace(/[^\w./-]/g, ''))
      .filter((t) => this.products.get(t)?.active && accept(t));
    const hits = this.search
      .search(text, { filter: (r) => accept(r.id as string) })
      .slice(0, k)
      .map((r) => ({ sku: r.id as string, score: r.score, terms: r.queryTerms }));
    const top = exact.map((sku) => ({ sku, score: Infinity, terms: [sku] }));
    return [...top, ...hits.filter((h) => !exact.includes(h.sku))].slice(0, k);
  }

  private passes(sku: string, f: SearchFilter): boolean {
    const p = this.products.get(sku);
    return p !== undefined && passesFilter(p, f);
  }
}

/** The same checks as the in-search HNSW filter, on a product object (inactive never passes). */
export function passesFilter(p: CatalogProduct, f: SearchFilter): boolean {
  if (!p.active) return false;
  if (f.priceMin !== undefined && p.price < f.priceMin) return false;
  if (f.priceMax !== undefined && p.price > f.priceMax) return false;
  if (f.inStock && p.stock <= 0) return false;
  if (f.category !== undefined) {
    const wanted = (Array.isArray(f.category) ? f.category : [f.category]).map((c) => c.toLowerCase());
    if (!wanted.includes(p.category.toLowerCase())) return false;
  }
  if (f.excludeSkus?.includes(p.sku)) return false;
  return true;
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
