import { z } from 'zod';

// Request and response shapes of the admin API: zod is the source of truth, the OpenAPI document
// at /docs is generated from these.

/** A role. */
export const ZRole = z.enum(['admin', 'marketer', 'viewer']);

/** Error body of every non-2xx answer. */
export const ZErrorBody = z.object({
  error: z.string(),
  code: z.string(),
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** An API key as listed (never the key or its hash). */
export const ZApiKeySummary = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  role: ZRole,
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
/** Body of POST /api-keys. */
export const ZApiKeyCreate = z.object({ name: z.string().trim().min(1).max(100), role: ZRole }).strict();
/** Answer of POST /api-keys: the key is shown this once. */
export const ZApiKeyCreated = z.object({ key: z.string(), apiKey: ZApiKeySummary });

/** A product SKU in a path. */
export const ZSku = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'SKU: 1-64 of A-Z a-z 0-9 . _ -');
/** Body of PUT /products/:sku. Unknown keys are refused (no id, timestamps or other fields sneak in). */
export const ZProductUpsert = z
  .object({
    name: z.string().trim().min(1).max(300),
    description: z.string().max(10_000).default(''),
    category: z.string().trim().min(1).max(100),
    brand: z.string().max(100).nullable().default(null),
    price: z
      .union([z.number().nonnegative().max(1e9), z.string().regex(/^\d{1,10}(\.\d{1,2})?$/)])
      .transform(String),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .default('USD'),
    tags: z.array(z.string().trim().min(1).max(50)).max(50).default([]),
    attributes: z
      .record(z.string().max(50), z.union([z.string().max(500), z.number(), z.boolean()]))
      .default({}),
    stock: z.number().int().min(0).max(1e9).default(0),
    imageUrl: z
      .url({ protocol: /^https?$/ })
      .max(2_000)
      .nullable()
      .default(null),
    margin: z.number().min(0).max(1).nullable().default(null),
    active: z.boolean().default(true),
  })
  .strict();
/** A product as returned. */
export const ZProduct = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  description: z.string(),
  category: z.string(),
  brand: z.string().nullable(),
  price: z.string(),
  currency: z.string(),
  tags: z.array(z.string()),
  attributes: z.unknown(),
  stock: z.number(),
  imageUrl: z.string().nullable(),
  margin: z.number().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** Query of GET /products. */
export const ZProductQuery = z
  .object({
    category: z.string().max(100).optional(),
    /** SKU to continue after (keyset pagination) */
    after: ZSku.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

/** A segment with its size. */
export const ZSegment = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  kind: z.string(),
  members: z.number(),
  updatedAt: z.string(),
});

/** Query of GET /customers (lookup by e-mail through the keyed hash). */
export const ZCustomerLookup = z.object({ email: z.email().max(320) }).strict();
/** A customer without personal fields. */
export const ZCustomerRef = z.object({ id: z.string(), marketingOptIn: z.boolean(), createdAt: z.string() });
/** A UUID in a path. */
export const ZIdParams = z.object({ id: z.uuid() });

/** Query of GET /audit-log. */
export const ZAuditQuery = z
  .object({
    actor: z.string().max(200).optional(),
    action: z.string().max(100).optional(),
    target: z.string().max(200).optional(),
    /** entries strictly older than this (pagination) */
    before: z.iso.datetime().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
/** An audit entry as returned. */
export const ZAuditEntry = z.object({
  id: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.unknown(),
  createdAt: z.string(),
});

/** A failed job as returned. */
export const ZFailedJob = z.object({
  id: z.string(),
  name: z.string(),
  attemptsMade: z.number(),
  reason: z.string(),
  failedAt: z.string(),
});
/** Body of POST /jobs/retry and /jobs/discard. */
export const ZJobRef = z.object({ id: z.string().min(3).max(300) }).strict();
