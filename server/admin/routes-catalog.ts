import { z } from 'zod';
import type { Product } from '../../prisma/index.js';
import type { AdminApiOptions, ZodApp } from './context.js';
import { ZErrorBody, ZProduct, ZProductQuery, ZProductUpsert, ZSku } from './schemas.js';
import { ZNoQuery } from '../query-schemas.js';

const view = (product: Product) => ({
  ...product,
  price: product.price.toFixed(2),
  createdAt: product.createdAt.toISOString(),
  updatedAt: product.updatedAt.toISOString(),
});

/** Catalog read (every role) and upsert (marketer, admin). */
export function registerCatalogRoutes(app: ZodApp, { prisma, jobs }: AdminApiOptions): void {
  app.get(
    '/products',
    {
      config: { permission: 'catalog.read', audit: 'catalog.list' },
      schema: {
        tags: ['catalog'],
        summary: 'List products by SKU (keyset pagination with `after`)',
        querystring: ZProductQuery,
        response: { 200: z.object({ products: z.array(ZProduct), next: z.string().nullable() }) },
      },
    },
    async (request) => {
      const { category, after, limit } = request.query;
      const rows = await prisma.product.findMany({
        where: { ...(category ? { category } : {}), ...(after ? { sku: { gt: after } } : {}) },
        orderBy: { sku: 'asc' },
        take: limit + 1,
      });
      const page = rows.slice(0, limit);
      return { products: page.map(view), next: rows.length > limit ? page.at(-1)!.sku : null };
    },
  );

  app.get(
    '/products/:sku',
    {
      config: { permission: 'catalog.read', audit: 'catalog.read' },
      schema: {
        querystring: ZNoQuery,
        tags: ['catalog'],
        summary: 'One product',
        params: z.object({ sku: ZSku }),
        response: { 200: ZProduct, 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      request.auditTarget = `product:${request.params.sku}`;
      const product = await prisma.product.findUnique({ where: { sku: request.params.sku } });
      if (!product) return reply.code(404).send({ error: 'no product with this SKU', code: 'NOT_FOUND' });
      return view(product);
    },
  );

  app.put(
    '/products/:sku',
    {
      config: { permission: 'catalog.write', audit: 'catalog.upsert' },
      schema: {
        tags: ['catalog'],
        summary: 'Create or replace a product; bumps the catalog version and queues a reindex',
        params: z.object({ sku: ZSku }),
        body: ZProductUpsert,
        response: {
          200: z.object({ product: ZProduct, catalogVersion: z.number(), reindexJob: z.string().nullable() }),
        },
      },
    },
    async (request) => {
      const { sku } = request.params;
      request.auditTarget = `product:${sku}`;
      const data = request.body;
      // Product and catalog version change together, so a reindex never misses a change.
      const [product, state] = await prisma.$transaction([
        prisma.product.upsert({ where: { sku }, create: { sku, ...data }, update: data }),
        prisma.catalogState.upsert({
          where: { id: 1 },
          create: { id: 1, version: 1 },
          update: { version: { increment: 1 } },
        }),
      ]);
      const job = jobs
        ? await jobs.enqueue(
            'catalog.reindex',
            { reason: 'admin upsert', catalogVersion: state.version, productIds: [product.id] },
            { jobId: `catalog-v${state.version}` },
          )
        : undefined;
      request.auditDetail = { catalogVersion: state.version };
      return { product: view(product), catalogVersion: state.version, reindexJob: job?.id ?? null };
    },
  );
}
