import { z } from 'zod';
import type { CatalogProduct } from './types.js';

// One schema for catalog rows from CSV (every cell a string) and JSON (native types): cells are
// coerced where a spreadsheet would hold text, e.g. "12.50", "true", "tag1|tag2", '{"size":"M"}'.

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const number = z.preprocess(
  (v) => {
    const e = emptyToUndefined(v);
    return typeof e === 'string' ? Number(e.trim()) : e;
  },
  z.number({ error: 'must be a number' }).finite(),
);

const tags = z.preprocess(
  (v) => {
    const e = emptyToUndefined(v);
    if (typeof e !== 'string') return e;
    return e
      .split(/[|;]/)
      .map((t) => t.trim())
      .filter((t) => t !== '');
  },
  z.array(z.string().trim().min(1).max(64)).max(50).default([]),
);

const attributes = z.preprocess(
  (v) => {
    const e = emptyToUndefined(v);
    if (typeof e !== 'string') return e;
    try {
      return JSON.parse(e) as unknown;
    } catch {
      return Symbol('invalid'); // fails the record check below with a clear message
    }
  },
  z.record(z.string(), z.unknown(), { error: 'must be a JSON object' }).default({}),
);

const bool = z.preprocess(
  (v) => {
    const e = emptyToUndefined(v);
    if (typeof e !== 'string') return e;
    const s = e.trim().toLowerCase();
    return ['true', '1', 'yes', 'y'].includes(s) ? true : ['false', '0', 'no', 'n'].includes(s) ? false : e;
  },
  z.boolean({ error: 'must be true or false' }).default(true),
);

const optionalText = (max: number) => z.preprocess(emptyToUndefined, z.string().trim().max(max).optional());

/** One catalog row of an import file (CSV or JSON); the single source of truth for the import shape. */
export const ZProductRow = z.object({
  sku: z
    .string({ error: 'is required' })
    .trim()
    .min(1, 'is required')
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, 'may hold letters, digits and . _ - / only'),
  name: z.string({ error: 'is required' }).trim().min(1, 'is required').max(200),
  description: z.preprocess((v) => emptyToUndefined(v) ?? '', z.string().max(5000)),
  category: z.string({ error: 'is required' }).trim().min(1, 'is required').max(80),
  brand: optionalText(80),
  price: number.pipe(z.number().nonnegative('must not be negative').max(1e9)),
  currency: z.preprocess(
    (v) => (emptyToUndefined(v) === undefined ? 'USD' : String(v).trim().toUpperCase()),
    z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO code'),
  ),
  tags,
  attributes,
  stock: z.preprocess(
    (v) => emptyToUndefined(v) ?? 0,
    number.pipe(z.number().int('must be a whole number').nonnegative('must not be negative')),
  ),
  imageUrl: z.preprocess(emptyToUndefined, z.url({ error: 'must be a URL' }).optional()),
  margin: z.preprocess(
    emptyToUndefined,
    number.pipe(z.number().min(0).max(1, 'must be a share between 0 and 1')).optional(),
  ),
  active: bool,
});
/** One validated catalog row. */
export type ProductRow = z.infer<typeof ZProductRow>;

// Header aliases: spreadsheets say "image_url", "Image URL", "in stock"...
const canonical = new Map(Object.keys(ZProductRow.shape).map((k) => [k.toLowerCase(), k] as const));
canonical.set('image', 'imageUrl');
canonical.set('quantity', 'stock');

/** Maps a header cell to the canonical field name ("Image URL" → "imageUrl"); unknown headers are kept. */
export function canonicalField(header: string): string {
  const key = header.toLowerCase().replace(/[\s_-]+/g, '');
  return canonical.get(key) ?? header;
}

/** A validated row as the cores' product shape. */
export function toCatalogProduct(row: ProductRow): CatalogProduct {
  return {
    sku: row.sku,
    name: row.name,
    description: row.description,
    category: row.category,
    brand: row.brand ?? null,
    price: row.price,
    currency: row.currency,
    tags: row.tags,
    attributes: row.attributes,
    stock: row.stock,
    imageUrl: row.imageUrl ?? null,
    margin: row.margin ?? null,
    active: row.active,
  };
}
