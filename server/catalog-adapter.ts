// recsys/ seen through the bots' Catalog port: product cards, and "nothing found" instead of
// recsys's errors for an empty catalog or unknown product.
import type { Catalog, ProductCard, SearchAnswer } from '../bots/index.js';
import type { CatalogProduct, RecsysService, RecsysStore } from '../recsys/index.js';
import { catalogMentions } from './catalog-mentions.js';

function definedOnly<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function card(
  p: CatalogProduct | undefined,
  fallback: {
    sku: string;
    name: string;
    price: number;
    currency: string;
    reason?: string;
    category?: string;
  },
): ProductCard {
  return {
    sku: fallback.sku,
    name: p?.name ?? fallback.name,
    description: p?.description,
    category: p?.category ?? fallback.category,
    price: p?.price ?? fallback.price,
    currency: p?.currency ?? fallback.currency,
    // The demo catalog has no photos: the chat page draws a placeholder per product.
    imageUrl:
      p?.imageUrl ??
      `/product-image/${encodeURIComponent(fallback.sku)}.svg?label=${encodeURIComponent(p?.category ?? fallback.category ?? '')}`,
    reason: fallback.reason,
    stock: p?.stock,
  };
}

// recsys throws for an empty catalog, unknown SKU or customer; in a chat those mean "nothing".
async function orEmpty<T>(work: () => T | Promise<T>, empty: T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String((error as { code: unknown }).code) : '';
    if (['RECSYS_UNKNOWN_PRODUCT', 'RECSYS_UNKNOWN_CUSTOMER', 'RECSYS_EMPTY_CATALOG'].includes(code))
      return empty;
    throw error;
  }
}

/** recsys/ → Catalog port. */
export function catalogAdapter(recsys: RecsysService, store: RecsysStore): Catalog {
  const cards = (
    items: Array<{
      sku: string;
      name: string;
      price: number;
      currency: string;
      reason: string;
      category: string;
    }>,
  ) => items.map((r) => card(recsys.product(r.sku), r));
  return {
    search: async ({ text, filters, k }) =>
      orEmpty(async () => {
        const result = await recsys.query(text, {
          k,
          // Only set keys: recsys merges these over the filters it parses from the text itself.
          filters: definedOnly({
            priceMin: filters.minPrice,
            priceMax: filters.maxPrice,
            category: filters.category,
            inStock: filters.inStock,
          }),
        });
        return cards(result.items);
      }, []),
    find: async ({ text, filters, k }) =>
      orEmpty(
        async (): Promise<SearchAnswer> => {
          const result = await recsys.search(text, {
            k,
            filters: definedOnly({
              priceMin: filters.minPrice,
              priceMax: filters.maxPrice,
              category: filters.category,
              inStock: filters.inStock,
            }),
          });
          const matched = result.status === 'matched';
          return {
            status: result.status,
            products: cards(matched ? result.items : result.alternatives),
            notice: result.notice,
            notes: result.notes,
          };
        },
        { status: 'matched', products: [], notes: [] },
      ),
    recognise: (text) => {
      try {
        return catalogMentions(recsys.understand(text));
      } catch {
        return []; // an empty catalog names nothing
      }
    },
    get: async (sku) => {
      const p = recsys.product(sku);
      return p ? card(p, p) : null;
    },
    similar: async (sku, { k, cheaper }) => orEmpty(() => cards(recsys.similar(sku, { k, cheaper })), []),
    boughtTogether: async (sku, k) => orEmpty(() => cards(recsys.boughtTogether(sku, { k })), []),
    forCustomer: async (customerId, k) =>
      orEmpty(async () => cards(await recsys.forCustomer(customerId, { k })), []),
    recordInteraction: (customerId, sku, kind, turnKey) =>
      store.recordInteraction(customerId, sku, kind, turnKey),
  };
}
