// Graded relevance for the judged search set, from the demo catalog's structured data:
//   npx tsx bench/_search-judge.ts   (writes bench/data/search-judgments.json)
//
// The rule, per query and product:
//   1. grade = the grade the query spec gives the product's type (SKU prefix), else 0;
//   2. a product failing a hard constraint gets 0: type not among the hard types (default: every
//      graded type when a type was named), colour-like attribute (colour, glaze, finish) not among
//      the allowed values, size attribute not among the allowed sizes (products without a size
//      attribute are exempt), a named attribute not among its allowed values, price outside the
//      range, brand not among the brands; inactive products get 0;
//   3. soft: a grade-3 product with none of the `prefer` words in its name, tags or attributes,
//      or (with `preferCheap`) priced above the median of the grade-3 products, gets 2;
//   4. the spec's manual `overrides` replace the rule's grade for single SKUs.
// Out-of-stock products keep their grade (the search drops them; the ideal ranking uses the
// products the search may show, so they are left out there by the benchmark).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QUERIES, type QuerySpec } from './_search-queries.js';

/** The product fields the rule reads. */
export interface JudgedProduct {
  sku: string;
  name: string;
  brand?: string | null;
  price: number;
  tags: string[];
  attributes: Record<string, unknown>;
  stock: number;
  active?: boolean;
}

/** One judged query as stored in the data file. */
export interface Judgment {
  id: number;
  q: string;
  group: QuerySpec['group'];
  split: 'train' | 'validation';
  noMatch: boolean;
  hard: QuerySpec['hard'] & { types?: string[] };
  /** SKU → grade 1..3 (grade 0 omitted). */
  grades: Record<string, number>;
}

const COLOUR_ATTRIBUTES = ['colour', 'glaze', 'finish'];
const lower = (s: unknown) => String(s).toLowerCase();
const typeCode = (sku: string) => sku.split('-')[0]!;

/** The hard types of a query: explicit, else every graded type unless the request is vague. */
export function hardTypes(spec: QuerySpec): string[] | undefined {
  if (spec.hard?.types) return spec.hard.types;
  if (spec.group === 'vague' || Object.keys(spec.types).length === 0) return undefined;
  return Object.keys(spec.types);
}

/** Whether a product fails one of the hard constraints of a judgment. */
export function violates(hard: Judgment['hard'], p: JudgedProduct): boolean {
  if (!hard) return false;
  if (hard.types && !hard.types.includes(typeCode(p.sku))) return true;
  if (hard.colours) {
    const colours = COLOUR_ATTRIBUTES.map((a) => p.attributes[a]).filter((v) => v !== undefined);
    if (!colours.some((c) => hard.colours!.map(lower).includes(lower(c)))) return true;
  }
  if (
    hard.sizes &&
    p.attributes.size !== undefined &&
    !hard.sizes.map(lower).includes(lower(p.attributes.size))
  )
    return true;
  if (hard.attribute) {
    const value = p.attributes[hard.attribute.name];
    if (value === undefined || !hard.attribute.values.map(lower).includes(lower(value))) return true;
  }
  if (hard.priceMin !== undefined && p.price < hard.priceMin) return true;
  if (hard.priceMax !== undefined && p.price > hard.priceMax) return true;
  if (hard.brands && !hard.brands.map(lower).includes(lower(p.brand ?? ''))) return true;
  return false;
}

/** Grades every product for one query by the rule above. */
export function judge(spec: QuerySpec, products: readonly JudgedProduct[]): Record<string, number> {
  const hard = { ...spec.hard, types: hardTypes(spec) };
  const grades: Record<string, number> = {};
  for (const p of products) {
    let grade = spec.types[typeCode(p.sku)] ?? 0;
    if (p.active === false || violates(hard, p)) grade = 0;
    if (grade === 3 && spec.prefer) {
      const text = [p.name, ...p.tags, ...Object.values(p.attributes).map(String)].join(' ').toLowerCase();
      if (!spec.prefer.some((w) => text.includes(w.toLowerCase()))) grade = 2;
    }
    if (grade > 0) grades[p.sku] = grade;
  }
  if (spec.preferCheap) {
    const prices = Object.entries(grades)
      .filter(([, g]) => g === 3)
      .map(([sku]) => products.find((p) => p.sku === sku)!.price)
      .sort((a, b) => a - b);
    const median = prices[Math.floor((prices.length - 1) / 2)] ?? Infinity;
    for (const [sku, g] of Object.entries(grades))
      if (g === 3 && products.find((p) => p.sku === sku)!.price > median) grades[sku] = 2;
  }
  for (const [sku, g] of Object.entries(spec.overrides ?? {})) {
    if (g > 0) grades[sku] = g;
    else delete grades[sku];
  }
  return grades;
}

/** All judgments; every 4th query (index % 4 === 3) is the validation split. */
export function judgeAll(products: readonly JudgedProduct[]): Judgment[] {
  return QUERIES.map((spec, id) => ({
    id,
    q: spec.q,
    group: spec.group,
    split: id % 4 === 3 ? 'validation' : 'train',
    noMatch: spec.noMatch ?? false,
    hard: { ...spec.hard, types: hardTypes(spec) },
    grades: judge(spec, products),
  }));
}

const here = dirname(fileURLToPath(import.meta.url));
/** Where the judgments are stored. */
export const JUDGMENTS_FILE = join(here, 'data', 'search-judgments.json');

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const catalog = JSON.parse(
    readFileSync(join(here, '..', 'recsys', 'demo', 'catalog.json'), 'utf8'),
  ) as JudgedProduct[];
  const judgments = judgeAll(catalog);
  mkdirSync(dirname(JUDGMENTS_FILE), { recursive: true });
  writeFileSync(
    JUDGMENTS_FILE,
    `${JSON.stringify({ generatedBy: 'bench/_search-judge.ts', catalog: 'recsys/demo/catalog.json', judgments }, null, 1)}\n`,
  );
  const graded = judgments.reduce((s, j) => s + Object.keys(j.grades).length, 0);
  process.stderr.write(`${judgments.length} queries, ${graded} graded products → ${JUDGMENTS_FILE}\n`);
}
