// Loads the demo shop (recsys/demo/catalog.json and orders.json, shipped in the repo) into an
// empty database: products, demo customers, orders, views and the mined bought-together rules.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { PrismaClient } from '../generated/client.js';
import { ZProductRow } from '../../recsys/catalog-schema.js';
import { createPrismaRecsysStore } from '../repositories/recsys-store.js';
import { RuleSet } from '../../recsys/rule-set.js';
import { DEFAULT_SHOP_RULES } from '../../recsys/recsys-service.js';

const demoDir = join(dirname(fileURLToPath(import.meta.url)), '../../recsys/demo');

const ZDemoOrders = z.object({
  customers: z.array(z.string()),
  orders: z.array(
    z.object({ id: z.string(), customer: z.string(), placedAt: z.string(), items: z.array(z.string()) }),
  ),
  views: z.array(z.object({ customer: z.string(), sku: z.string() })),
});

/** What seeding did; `skipped` when the catalog already had products. */
export interface DemoSeedResult {
  skipped: boolean;
  products: number;
  customers: number;
  orders: number;
  rules: number;
}

// Prisma's default 5 s interactive-transaction limit is too short for the first start on a busy
// machine: the server then died at start-up ("expired transaction"), or, if only the second
// transaction expired, was left with products but no orders (and the product count skips re-seeding).
const SEED_TRANSACTION = { timeout: 120_000, maxWait: 30_000 };

/** Seeds the demo catalog, customers, orders and rules when the catalog is empty (idempotent). */
export async function seedDemoCatalog(prisma: PrismaClient): Promise<DemoSeedResult> {
  if ((await prisma.product.count()) > 0)
    return { skipped: true, products: 0, customers: 0, orders: 0, rules: 0 };
  const rows = z.array(ZProductRow).parse(JSON.parse(await readFile(join(demoDir, 'catalog.json'), 'utf8')));
  const demo = ZDemoOrders.parse(JSON.parse(await readFile(join(demoDir, 'orders.json'), 'utf8')));
  const store = createPrismaRecsysStore(prisma);
  // The table is empty, so one createMany replaces 320 upserts (seconds on PGlite at first start).
  await prisma.$transaction(async (tx) => {
    await tx.product.createMany({
      data: rows.map((r) => ({
        ...r,
        brand: r.brand ?? null,
        imageUrl: r.imageUrl ?? null,
        margin: r.margin ?? null,
        attributes: r.attributes as object,
      })),
      skipDuplicates: true,
    });
    await tx.catalogState.upsert({
      where: { id: 1 },
      create: { id: 1, version: 1 },
      update: { version: { increment: 1 } },
    });
  }, SEED_TRANSACTION);

  const products = await prisma.product.findMany({ select: { id: true, sku: true, price: true } });
  const bySku = new Map(products.map((p) => [p.sku, p]));
  const customerIds = new Map(demo.customers.map((ref) => [ref, randomUUID()]));
  await prisma.$transaction(async (tx) => {
    await tx.customer.createMany({
      data: [...customerIds].map(([ref, id]) => ({ id, externalRef: ref })),
      skipDuplicates: true,
    });
    const orders = demo.orders.map((o) => ({ ...o, uuid: randomUUID() }));
    await tx.order.createMany({
      data: orders.map((o) => ({
        id: o.uuid,
        externalId: o.id,
        customerId: customerIds.get(o.customer)!,
        placedAt: new Date(o.placedAt),
      })),
    });
    await tx.orderItem.createMany({
      data: orders.flatMap((o) =>
        o.items
          .filter((sku) => bySku.has(sku))
          .map((sku) => ({
            orderId: o.uuid,
            productId: bySku.get(sku)!.id,
            quantity: 1,
            unitPrice: bySku.get(sku)!.price,
          })),
      ),
    });
    await tx.interaction.createMany({
      data: demo.views
        .filter((v) => bySku.has(v.sku))
        .map((v) => ({
          customerId: customerIds.get(v.customer)!,
          productId: bySku.get(v.sku)!.id,
          kind: 'view' as const,
        })),
    });
  }, SEED_TRANSACTION);
  const rules = RuleSet.train(
    demo.orders.map((o) => o.items),
    DEFAULT_SHOP_RULES,
  );
  await store.replaceRules(rules.rules);
  return {
    skipped: false,
    products: rows.length,
    customers: customerIds.size,
    orders: demo.orders.length,
    rules: rules.rules.length,
  };
}
