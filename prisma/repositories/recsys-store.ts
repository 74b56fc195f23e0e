// Thin adapter: the RecsysStore port over Prisma (PGlite or PostgreSQL). No logic beyond mapping.
import type { PrismaClient } from '../generated/client.js';
import { toCatalogProduct, type ProductRow } from '../../recsys/catalog-schema.js';
import { UnknownCustomerError, UnknownProductError } from '../../recsys/errors.js';
import type { InteractionRow } from '../../recsys/item-knn.js';
import {
  INTERACTION_WEIGHTS,
  type CustomerHistory,
  type InteractionKindName,
  type RecsysStore,
} from '../../recsys/store.js';
import type { CatalogProduct } from '../../recsys/types.js';

type ProductRecord = Awaited<ReturnType<PrismaClient['product']['findFirstOrThrow']>>;

/** Maps a database product to the cores' shape (Decimal price → number). */
function toProduct(p: ProductRecord): CatalogProduct {
  return {
    sku: p.sku,
    name: p.name,
    description: p.description,
    category: p.category,
    brand: p.brand,
    price: Number(p.price.toString()),
    currency: p.currency,
    tags: p.tags,
    attributes: (p.attributes ?? {}) as Record<string, unknown>,
    stock: p.stock,
    imageUrl: p.imageUrl,
    margin: p.margin,
    active: p.active,
  };
}

/** Runs one named statement with positional parameters and returns its rows. */
export type RecsysSql = <R>(
  statement: { name: string; text: string },
  values: readonly unknown[],
) => Promise<R[]>;

// A customer by id or by the shop's own reference; the id wins if both match different rows.
const FIND_CUSTOMER = {
  name: 'recsys_find_customer_v1',
  text: `SELECT "id" FROM "Customer" WHERE "id" = $1 OR "externalRef" = $1
    ORDER BY ("id" = $1) DESC LIMIT 1`,
};

interface HistoryRow {
  /** [sku, kind, weight, epoch ms] in time order */
  interactions: Array<[string, string, number, number]>;
  orderSkus: string[];
  hasProfile: boolean;
  vector: number[] | null;
  traits: unknown;
  preferences: unknown;
}

// Interactions and ordered SKUs as JSON arrays in one row; times as epoch milliseconds, which
// TIMESTAMP(3) columns (UTC wall time, as Prisma writes them) give without a time-zone guess.
const CUSTOMER_HISTORY = {
  name: 'recsys_customer_history_v1',
  text: `
    SELECT
      (SELECT coalesce(json_agg(json_build_array(p."sku", i."kind", i."weight",
                (extract(epoch FROM i."createdAt") * 1000)::float8) ORDER BY i."createdAt", i."id"), '[]'::json)
         FROM "Interaction" i JOIN "Product" p ON p."id" = i."productId"
         WHERE i."customerId" = c."id") AS "interactions",
      (SELECT coalesce(json_agg(p."sku" ORDER BY o."placedAt", o."id", oi."id"), '[]'::json)
         FROM "Order" o JOIN "OrderItem" oi ON oi."orderId" = o."id" JOIN "Product" p ON p."id" = oi."productId"
         WHERE o."customerId" = c."id") AS "orderSkus",
      pr."customerId" IS NOT NULL AS "hasProfile", pr."vector", pr."traits", pr."preferences"
    FROM "Customer" c LEFT JOIN "Profile" pr ON pr."customerId" = c."id"
    WHERE c."id" = $1`,
};

/**
 * Builds the RecsysStore over a Prisma client. `sql` runs the hot statements on the database pool
 * directly (the server passes it on PostgreSQL); without it they go through Prisma's raw queries.
 */
export function createPrismaRecsysStore(
  prisma: PrismaClient,
  options: { sql?: RecsysSql } = {},
): RecsysStore {
  const sql: RecsysSql =
    options.sql ??
    (<R>(statement: { text: string }, values: readonly unknown[]) =>
      prisma.$queryRawUnsafe<R[]>(statement.text, ...values));
  return {
    async upsertProducts(rows: readonly ProductRow[]) {
      // One transaction per batch: the whole batch lands or none of it, and the catalog version
      // moves once, so the index job sees one change.
      await prisma.$transaction(async (tx) => {
        for (const row of rows) {
          const { sku, attributes, ...fields } = toCatalogProduct(row);
          const data = { ...fields, attributes: attributes as object };
          await tx.product.upsert({
            where: { sku },
            create: { sku, ...data },
            update: data,
          });
        }
        await tx.catalogState.upsert({
          where: { id: 1 },
          create: { id: 1, version: 1 },
          update: { version: { increment: 1 } },
        });
      });
    },

    async catalogVersion() {
      return (await prisma.catalogState.findUnique({ where: { id: 1 } }))?.version ?? 0;
    },

    countProducts: () => prisma.product.count({ where: { active: true } }),

    async listProducts() {
      return (await prisma.product.findMany({ where: { active: true }, orderBy: { sku: 'asc' } })).map(
        toProduct,
      );
    },

    async getProduct(sku) {
      const p = await prisma.product.findUnique({ where: { sku } });
      return p ? toProduct(p) : null;
    },

    async productsChangedSince(since) {
      return (
        await prisma.product.findMany({ where: { updatedAt: { gt: since } }, orderBy: { sku: 'asc' } })
      ).map(toProduct);
    },

    // The recommend-for-me path: two statements (one each) instead of the ten round trips a nested
    // Prisma include made (customer, interactions, their products, orders, items, their products,
    // profile, plus a second customer lookup), each interpreted by Prisma on the main thread.
    async findCustomerId(idOrRef) {
      const rows = await sql<{ id: string }>(FIND_CUSTOMER, [idOrRef]);
      return rows[0]?.id ?? null;
    },

    async customerHistory(customerId): Promise<CustomerHistory> {
      const rows = await sql<HistoryRow>(CUSTOMER_HISTORY, [customerId]);
      const row = rows[0];
      if (!row) throw new UnknownCustomerError(customerId);
      const interactions = row.interactions.map(([sku, kind, weight, at]) => ({
        sku,
        kind: kind as InteractionKindName,
        weight,
        at: new Date(at),
      }));
      const purchased = new Set<string>(interactions.filter((i) => i.kind === 'purchase').map((i) => i.sku));
      for (const sku of row.orderSkus) purchased.add(sku);
      const profile = row.hasProfile
        ? {
            vector: row.vector ?? [],
            traits: (row.traits ?? {}) as Record<string, unknown>,
            preferences: (row.preferences ?? {}) as Record<string, unknown>,
          }
        : null;
      return { customerId, interactions, purchased: [...purchased], profile };
    },

    async orderBaskets() {
      const orders = await prisma.order.findMany({
        select: { items: { select: { product: { select: { sku: true } } } } },
      });
      return orders.map((o) => o.items.map((i) => i.product.sku)).filter((b) => b.length > 0);
    },

    async interactionRows(): Promise<InteractionRow[]> {
      const byCustomer = new Map<string, Map<string, number>>();
      const add = (customer: string, sku: string, w: number) => {
        const row = byCustomer.get(customer) ?? new Map<string, number>();
        row.set(sku, Math.max(row.get(sku) ?? 0, w));
        byCustomer.set(customer, row);
      };
      const interactions = await prisma.interaction.findMany({
        select: { customerId: true, kind: true, weight: true, product: { select: { sku: true } } },
      });
      for (const i of interactions) {
        const w = INTERACTION_WEIGHTS[i.kind as InteractionKindName] * i.weight;
        if (w > 0) add(i.customerId, i.product.sku, w);
      }
      const items = await prisma.orderItem.findMany({
        select: { order: { select: { customerId: true, id: true } }, product: { select: { sku: true } } },
      });
      for (const item of items)
        add(
          item.order.customerId ?? `order:${item.order.id}`,
          item.product.sku,
          INTERACTION_WEIGHTS.purchase,
        );
      return [...byCustomer.values()].map((row) => ({ items: [...row.keys()], weights: [...row.values()] }));
    },

    async recordInteraction(customerId, sku, kind, turnKey) {
      const product = await prisma.product.findUnique({ where: { sku }, select: { id: true } });
      if (!product) throw new UnknownProductError(sku);
      // ON CONFLICT DO NOTHING on (turnKey, product, kind): a resent turn's second insert is a no-op.
      await prisma.interaction.createMany({
        data: [{ customerId, productId: product.id, kind, weight: 1, turnKey: turnKey ?? null }],
        skipDuplicates: true,
      });
    },

    async replaceRules(rules) {
      await prisma.$transaction(async (tx) => {
        await tx.associationRule.deleteMany({});
        if (rules.length > 0) {
          await tx.associationRule.createMany({
            data: rules.map((r) => ({
              antecedent: r.antecedent,
              consequent: r.consequent,
              support: r.support,
              confidence: r.confidence,
              lift: r.lift,
            })),
          });
        }
      });
    },

    async loadRules() {
      const rows = await prisma.associationRule.findMany({
        orderBy: [{ lift: 'desc' }, { confidence: 'desc' }],
      });
      return rows.map((r) => ({
        antecedent: r.antecedent,
        consequent: r.consequent,
        support: r.support,
        confidence: r.confidence,
        lift: r.lift,
        count: 0,
      }));
    },
  };
}
