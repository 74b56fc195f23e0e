// Words for search results: what the shopper asked for ("green yoga mats under $30"), why each
// card is there, and what was relaxed when nothing matched exactly.
import type { ProductFacts } from './catalog-vocabulary.js';
import type { ProductQuery } from './product-query.js';
import { money } from './similar.js';
import type { CatalogProduct } from './types.js';

/** A hard constraint of a query, by name. */
export type Constraint = 'type' | 'colour' | 'size' | 'attribute' | 'brand' | 'category' | 'price';

/** "Rain Jacket" → "rain jackets", "USB-C Cable" → "USB-C cables", "Hiking Boots" → "hiking boots". */
export function plural(typeName: string): string {
  const lower = typeName
    .split(' ')
    .map((w) => (/^[A-Z][a-z]/.test(w) ? w.toLowerCase() : w))
    .join(' ');
  if (/s$/i.test(lower)) return lower;
  if (/[^aeiou]y$/i.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (/(?:ch|sh|x)$/i.test(lower)) return `${lower}es`;
  return `${lower}s`;
}

/** Price range in words: "under $50", "over $100", "$20–$40". */
export function describePrice(q: Pick<ProductQuery, 'priceMin' | 'priceMax'>, currency = 'USD'): string {
  const { priceMin: min, priceMax: max } = q;
  if (min !== undefined && max !== undefined) return `${money(min, currency)}–${money(max, currency)}`;
  if (max !== undefined) return `under ${money(max, currency)}`;
  if (min !== undefined) return `over ${money(min, currency)}`;
  return '';
}

/** What the shopper asked for, as a noun phrase: "green yoga mats in size L under $30". */
export function describeWanted(q: ProductQuery): string {
  const what =
    q.types.length > 0
      ? [...new Set(q.types.map((t) => plural(t.name)))].join(' or ')
      : (q.missing ?? (q.categories.length > 0 ? `${q.categories.join(' or ')} products` : 'products'));
  const parts = [
    ...(q.colour ? [q.colour.said.join(' or ')] : []),
    ...q.attributes.map((a) => a.said),
    ...(q.brands.length > 0 ? [q.brands.join(' or ')] : []),
    what,
  ];
  const size = q.sizes.length > 0 ? ` in size ${q.sizes[0]!.toUpperCase()}` : '';
  const price = describePrice(q);
  return `${parts.join(' ')}${size}${price ? ` ${price}` : ''}`;
}

/** The first line of a no-match answer: what is missing and what follows instead. */
export function noMatchNotice(
  q: ProductQuery,
  relaxed: readonly Constraint[],
  sizesOnOffer: string[],
): string {
  const wanted = describeWanted(q);
  if (q.missing && q.types.length === 0) {
    const scope = describePrice(q);
    return `We don't seem to carry ${q.missing}. Nearest alternatives${scope && !relaxed.includes('price') ? ` ${scope}` : ''}:`;
  }
  const kind = q.types.length > 0 ? plural(q.types[0]!.name) : 'products';
  const only = relaxed.length === 1 ? relaxed[0] : undefined;
  const next =
    only === 'price'
      ? q.priceMax !== undefined
        ? `The cheapest ${kind} are:`
        : `The ${kind} closest in price are:`
      : only === 'colour'
        ? `Here are ${kind} in other colours:`
        : only === 'size'
          ? `Here are ${kind} in other sizes${sizesOnOffer.length > 0 ? ` (we have ${sizesOnOffer.join(', ')})` : ''}:`
          : only === 'brand'
            ? `Here are ${kind} from other brands:`
            : 'Nearest alternatives:';
  return `No ${wanted}. ${next}`;
}

/** Why an exactly matching product is shown, from the constraints it meets and the wishes it fits. */
export function explainMatch(
  q: ProductQuery,
  p: CatalogProduct,
  facts: ProductFacts,
  typeName: string | undefined,
  softMatched: readonly string[],
): string {
  const bits: string[] = [];
  if (typeName) bits.push(typeName);
  if (q.colour) bits.push(facts.colours[0] ?? q.colour.said[0]!);
  const size = facts.attributes.get('size');
  if (q.sizes.length > 0 && size) bits.push(`size ${size.toUpperCase()}`);
  for (const a of q.attributes) bits.push(a.said);
  if (q.brands.length > 0 && p.brand) bits.push(`by ${p.brand}`);
  const price = describePrice(q, p.currency);
  if (price) bits.push(`${money(p.price, p.currency)}, ${price}`);
  const head = bits.length > 0 ? `Matches: ${bits.join(', ')}` : '';
  const fits = softMatched.length > 0 ? `fits “${softMatched.slice(0, 3).join('”, “')}”` : '';
  const text = [head, fits].filter((s) => s !== '').join('; ');
  return text === ''
    ? `Close in meaning to “${q.text.trim().slice(0, 60)}”`
    : text.charAt(0).toUpperCase() + text.slice(1);
}

/** Why an alternative is shown instead: which wish it does not meet. */
export function explainAlternative(
  q: ProductQuery,
  p: CatalogProduct,
  facts: ProductFacts,
  failed: readonly Constraint[],
): string {
  const misses = failed.map((c) => {
    switch (c) {
      case 'price':
        return `${money(p.price, p.currency)} (you said ${describePrice(q, p.currency)})`;
      case 'colour':
        return facts.colours[0]
          ? `in ${facts.colours[0]}, not ${q.colour?.said.join('/')}`
          : `no ${q.colour?.said.join('/')} option`;
      case 'size':
        return `size ${facts.attributes.get('size')?.toUpperCase() ?? 'not listed'}`;
      case 'brand':
        return `by ${p.brand ?? 'another brand'}`;
      case 'type':
        return `a ${p.name.split(',')[0]}`;
      default:
        return `not ${q.attributes.map((a) => a.said).join('/')}`;
    }
  });
  return `Alternative, not an exact match: ${misses.length > 0 ? misses.join('; ') : 'nearest in meaning'}`;
}
