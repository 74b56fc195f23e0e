// What kind of thing a product is ("Rain Jacket"), read from the catalog itself: an explicit
// product-type attribute when the shop has one, otherwise the noun phrase of the product name.
import type { CatalogProduct } from './types.js';

/** Attribute names shops use for the product type (Shopify "product_type", Google "product_type"). */
const TYPE_ATTRIBUTES = ['productType', 'product_type', 'product type', 'itemType', 'item_type'];

/**
 * The name without brand prefix and variant suffix: "Cragline Waterproof Rain Jacket, navy" →
 * "Waterproof Rain Jacket". Variant suffixes follow a comma, " - " or " | ".
 */
export function nameCore(p: Pick<CatalogProduct, 'name' | 'brand'>): string {
  let core = p.name.split(/,| - | \| /)[0]!.trim();
  if (p.brand && core.toLowerCase().startsWith(`${p.brand.toLowerCase()} `))
    core = core.slice(p.brand.length).trim();
  return core;
}

/** A word that describes rather than names: lower-case ("roasted"), a number, or a unit letter ("W"). */
const DESCRIPTIVE = (word: string) => /^[a-z]/.test(word) || /^\d/.test(word) || /^[A-Za-z]$/.test(word);

/**
 * Product type phrase of every product, keyed by SKU. Catalog names read "<adjective> <type>"
 * ("Packable Rain Jacket"); the type is the name core without its leading descriptive words. A
 * core that is itself the tail of another product's core ("Rain Jacket" beside "Packable Rain
 * Jacket") has no adjective and is kept whole.
 */
export function productTypes(products: readonly CatalogProduct[]): Map<string, string> {
  const cores = new Map<string, string>();
  for (const p of products) cores.set(p.sku, nameCore(p));
  // every proper word-tail of every core: "rain jacket" is one of "packable rain jacket"
  const tails = new Set<string>();
  for (const core of new Set([...cores.values()].map((c) => c.toLowerCase()))) {
    const words = core.split(/\s+/);
    for (let i = 1; i < words.length; i++) tails.add(words.slice(i).join(' '));
  }
  const isTailOfAnother = (core: string) => tails.has(core.toLowerCase().split(/\s+/).join(' '));
  const out = new Map<string, string>();
  for (const p of products) {
    const explicit = TYPE_ATTRIBUTES.map((a) => p.attributes[a]).find(
      (v) => typeof v === 'string' && v.trim(),
    );
    if (typeof explicit === 'string') {
      out.set(p.sku, explicit.trim());
      continue;
    }
    const core = cores.get(p.sku)!;
    const words = core.split(/\s+/).filter((w) => w !== '');
    if (words.length < 2 || isTailOfAnother(core)) {
      out.set(p.sku, core || p.category);
      continue;
    }
    let rest = words.slice(1);
    while (rest.length > 1 && DESCRIPTIVE(rest[0]!)) rest = rest.slice(1);
    out.set(p.sku, rest.join(' '));
  }
  return out;
}
