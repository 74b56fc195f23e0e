// Order status for the chat, from the Order table: an order is shown only to its own customer or
// to someone who gives its number with the e-mail it was placed with (compared as keyed hashes,
// in constant time). Every other case returns null, so a wrong pair reveals nothing.
import { timingSafeEqual } from 'node:crypto';
import type { OrderStatusLookup, OrderView } from '../../bots/ports.js';
import type { PrismaClient } from '../generated/client.js';

const ORDER_VIEW = {
  id: true,
  externalId: true,
  customerId: true,
  status: true,
  placedAt: true,
  shippedAt: true,
  deliveredAt: true,
  emailHash: true,
  customer: { select: { emailHash: true } },
  items: { select: { quantity: true, product: { select: { name: true } } }, orderBy: { id: 'asc' } },
} as const;

type OrderRow = {
  externalId: string | null;
  customerId: string | null;
  status: OrderView['status'];
  placedAt: Date;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  emailHash: string | null;
  customer: { emailHash: string | null } | null;
  items: Array<{ quantity: number; product: { name: string } }>;
};

/** The Order table as the dialog's order-status port; `emailHash` is the keyed e-mail hash. */
export class PrismaOrderStatus implements OrderStatusLookup {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly emailHash: ((email: string) => string) | undefined,
  ) {}

  async find(query: { number: string; email: string | null; customerId: string }): Promise<OrderView | null> {
    // Customers type "nw-10042" as often as "NW-10042".
    const row = (await this.prisma.order.findFirst({
      where: { externalId: { equals: query.number.trim(), mode: 'insensitive' } },
      select: ORDER_VIEW,
    })) as OrderRow | null;
    // The hash is computed even for an unknown number, so both cases take the same work.
    const given = query.email && this.emailHash ? this.emailHash(query.email) : null;
    if (!row) return null;
    const own = row.customerId !== null && row.customerId === query.customerId;
    const matches =
      given !== null && (sameHash(given, row.emailHash) || sameHash(given, row.customer?.emailHash));
    return own || matches ? toView(row) : null;
  }

  async latest(customerId: string): Promise<OrderView | null> {
    const row = (await this.prisma.order.findFirst({
      where: { customerId },
      orderBy: { placedAt: 'desc' },
      select: ORDER_VIEW,
    })) as OrderRow | null;
    return row ? toView(row) : null;
  }
}

function sameHash(a: string, b: string | null | undefined): boolean {
  if (!b || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function toView(row: OrderRow): OrderView {
  return {
    number: row.externalId ?? '',
    status: row.status,
    placedAt: row.placedAt,
    ...(row.shippedAt ? { shippedAt: row.shippedAt } : {}),
    ...(row.deliveredAt ? { deliveredAt: row.deliveredAt } : {}),
    items: row.items.map((i) => ({ name: i.product.name, quantity: i.quantity })),
  };
}
