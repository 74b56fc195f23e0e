// Thin adapter: the RecsysStore port over Prisma (PGlite or PostgreSQL). No logic beyond mapping.
import type { PrismaClient } from '../prisma/generated/client.js';
import { toCatalogProduct, type ProductRow } from './catalog-schema.js';
import { UnknownCustomerError, UnknownProductError } from './errors.js';
import type { InteractionRow } from './item-knn.js';
import {
  INTERACTION_WEIGHTS,
  type CustomerHistory,
  type InteractionKindName,
  type RecsysStore,
} from './store.js';
import type { CatalogProduct } from './types.js';

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

/** Builds the RecsysStore over a Prisma client. */
export function createPrismaRecsysStore(prisma: PrismaClient): RecsysStore {
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

    async findCustomerId(idOrRef) {
      const c = await prisma.customer.findFirst({
        where: { OR: [...(isUuid(idOrRef) ? [{ id: idOrRef }] : []), { externalRef: idOrRef }] },
        select: { id: true },
      });
      return c?.id ?? null;
    },

    async customerHistory(customerId): Promise<CustomerHistory> {
      const customer = await prisma.customer.findUnique({
        where: { id: customerId },
        select: {
          id: true,
          interactions: {
            select: { kind: true, weight: true, createdAt: true, product: { select: { sku: true } } },
            orderBy: { createdAt: 'asc' },
          },
          orders: { select: { items: { select: { product: { select: { sku: true } } } } } },
          profile: { select: { vector: true, traits: true, preferences: true } },
        },
      });
      if (!customer) throw new UnknownCustomerError(customerId);
      const interactions = customer.interactions.map((i) => ({
        sku: i.product.sku,
        kind: i.kind as InteractionKindName,
        weight: i.weight,
        at: i.createdAt,
      }));
      const purchased = new Set<string>(interactions.filter((i) => i.kind === 'purchase').map((i) => i.sku));
      for (const order of customer.orders) for (const item of order.items) purchased.add(item.product.sku);
      const profile = customer.profile
        ? {
            vector: customer.profile.vector,
            traits: (customer.profile.traits ?? {}) as Record<string, unknown>,
            preferences: (customer.profile.preferences ?? {}) as Record<string, unknown>,
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

    async recordInteraction(customerId, sku, kind) {
      const product = await prisma.product.findUnique({ where: { sku }, select: { id: true } });
      if (!product) throw new UnknownProductError(sku);
      await prisma.interaction.create({ data: { customerId, productId: product.id, kind, weight: 1 } });
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

function isUuid(s: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}
