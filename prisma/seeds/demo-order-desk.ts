// Orders a visitor of the demo can ask about in the chat ("where is my order NW-10042?"): guest
// orders placed with a demo e-mail address, in each state, dated relative to the seed so "shipped
// yesterday" stays true-looking. Idempotent: skipped when NW-10041 exists or the catalog is empty.
import type { PrismaClient } from '../generated/client.js';

/** The e-mail address the demo orders were placed with (shown in the README). */
export const DEMO_ORDER_EMAIL = 'alex@example.com';

const DAY = 86_400_000;
const DEMO_ORDERS = [
  { number: 'NW-10041', status: 'packed', placedDaysAgo: 1, skus: 1 },
  { number: 'NW-10042', status: 'shipped', placedDaysAgo: 3, shippedDaysAgo: 2, skus: 2 },
  {
    number: 'NW-10043',
    status: 'delivered',
    placedDaysAgo: 12,
    shippedDaysAgo: 11,
    deliveredDaysAgo: 8,
    skus: 1,
  },
] as const;

/** Seeds the demo's order-status orders; returns how many were added. */
export async function seedDemoOrderDesk(
  prisma: PrismaClient,
  emailHash: (email: string) => string,
  now = new Date(),
): Promise<number> {
  if (await prisma.order.findUnique({ where: { externalId: DEMO_ORDERS[0].number } })) return 0;
  const products = await prisma.product.findMany({
    orderBy: { sku: 'asc' },
    take: 3,
    select: { id: true, price: true },
  });
  if (products.length === 0) return 0;
  const hash = emailHash(DEMO_ORDER_EMAIL);
  const ago = (days: number | undefined) =>
    days === undefined ? null : new Date(now.getTime() - days * DAY);
  for (const [i, o] of DEMO_ORDERS.entries()) {
    const items = products.slice(i % products.length, (i % products.length) + o.skus);
    await prisma.order.create({
      data: {
        externalId: o.number,
        status: o.status,
        placedAt: ago(o.placedDaysAgo)!,
        shippedAt: ago('shippedDaysAgo' in o ? o.shippedDaysAgo : undefined),
        deliveredAt: ago('deliveredDaysAgo' in o ? o.deliveredDaysAgo : undefined),
        emailHash: hash,
        items: { create: items.map((p) => ({ productId: p.id, quantity: 1, unitPrice: p.price })) },
      },
    });
  }
  return DEMO_ORDERS.length;
}
