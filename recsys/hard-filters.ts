// The hard side of a parsed query: which of its constraints a product fails. A product shown as a
// match fails none; alternatives are the products whose failures cost least to give up.
import type { CatalogVocabulary, ProductFacts } from './catalog-vocabulary.js';
import type { ProductQuery } from './product-query.js';
import { normalPhrase } from './query-words.js';
import type { Constraint } from './search-explain.js';
import type { CatalogProduct } from './types.js';

/**
 * What giving a constraint up costs when nothing matches: a different colour or size of the right
 * thing is the nearest alternative, a different price next, a different kind of product last.
 */
export const RELAX_COST: Record<Constraint, number> = {
  attribute: 1,
  colour: 1,
  size: 1,
  brand: 1.5,
  category: 2,
  price: 2,
  type: 5,
};

/** Total cost of giving up a set of constraints. */
export function relaxCost(failed: readonly Constraint[]): number {
  return failed.reduce((s, c) => s + RELAX_COST[c], 0);
}

/** Compiles a query's hard constraints into a check returning the ones a product fails. */
export function compileHardFilters(
  q: ProductQuery,
  vocab: CatalogVocabulary,
): (p: CatalogProduct, facts: ProductFacts) => Constraint[] {
  const types = new Set(q.types.map((t) => t.key));
  const brands = new Set(q.brands.map(normalPhrase));
  const categories = new Set(q.categories.map((c) => c.toLowerCase()));
  const sizes = new Set(q.sizes);
  const colour = q.colour;
  const sizedTypes = new Set<string>();
  if (sizes.size > 0) for (const f of vocab.facts.values()) if (f.sizes.size > 0) sizedTypes.add(f.type);
  const colourOk = (f: ProductFacts): boolean => {
    if (!colour) return true;
    if (colour.values.some((v) => f.colours.includes(v))) return true;
    if (colour.families.some((c) => f.colourFamilies.has(c))) return true;
    // a product without a colour attribute can still say its colour in name or tags ("warm white")
    return f.colours.length === 0 && colour.said.some((w) => w.split(' ').every((x) => f.nameWords.has(x)));
  };
  return (p, f) => {
    const failed: Constraint[] = [];
    if (types.size > 0 && !types.has(f.type)) failed.push('type');
    if (!colourOk(f)) failed.push('colour');
    // Sizes only bind products of types sold by size; a type with no sizes listed cannot fail them.
    if (sizes.size > 0 && sizedTypes.has(f.type) && ![...sizes].some((s) => f.sizes.has(s)))
      failed.push('size');
    if (
      q.attributes.some(
        (a) => !a.attributes.some((name) => ` ${f.attributes.get(name) ?? ''} `.includes(` ${a.said} `)),
      )
    )
      failed.push('attribute');
    if (brands.size > 0 && (f.brand === null || !brands.has(f.brand))) failed.push('brand');
    if (types.size === 0 && categories.size > 0 && !categories.has(f.category)) failed.push('category');
    if (
      (q.priceMin !== undefined && p.price < q.priceMin) ||
      (q.priceMax !== undefined && p.price > q.priceMax)
    )
      failed.push('price');
    return failed;
  };
}

/** Whether a query has hard constraints besides price (then every product is worth checking). */
export function hasAttributeConstraints(q: ProductQuery): boolean {
  return (
    q.types.length > 0 ||
    q.colour !== undefined ||
    q.sizes.length > 0 ||
    q.attributes.length > 0 ||
    q.brands.length > 0 ||
    q.categories.length > 0
  );
}
