// Stores the simulated demo respondents (surveys/demo-respondents.ts) and the demo segments, all
// marked demo: customers (name and e-mail encrypted, e-mail lookup hash), survey sessions and
// answers (free text encrypted), orders from the catalog, conversations, handoffs. Removable with
// one command (`mkt demo remove`), after which the seed does not come back on the next start.
import { randomUUID } from 'node:crypto';
import {
  generateDemoRespondents,
  loadShippedInstruments,
  ZRuleSegment,
  type RuleSegment,
} from '../../surveys/index.js';
import type { PrismaClient } from '../generated/client.js';
import { PrismaSegmentRepository } from '../repositories/segment-repository.js';

/** How personal fields are sealed (server/security's field cipher and lookup hasher). */
export interface DemoSealing {
  encrypt(plain: string, context: string): string;
  emailHash(email: string): string;
}

/** The demo segments (rules over the profiles the recomputation builds). */
export const DEMO_SEGMENTS: RuleSegment[] = [
  {
    name: 'bargain hunters',
    description: 'price-conscious shoppers (price consciousness above 3.5 of 5)',
    match: 'all',
    rules: [{ field: 'traits.price', op: 'gt', value: 3.5 }],
  },
  {
    name: 'promoters',
    description: 'customers whose latest NPS answer was 9 or 10',
    match: 'all',
    rules: [{ field: 'npsClass', op: 'eq', value: 'promoter' }],
  },
  {
    name: 'detractors',
    description: 'customers whose latest NPS answer was 0 to 6',
    match: 'all',
    rules: [{ field: 'npsClass', op: 'eq', value: 'detractor' }],
  },
  {
    name: 'young explorers',
    description: 'under-35s who like trying new products (novelty seeking above 3.5)',
    match: 'all',
    rules: [
      { field: 'ageBand', op: 'in', value: ['18-24', '25-34'] },
      { field: 'traits.novelty', op: 'gt', value: 3.5 },
    ],
  },
].map((s) => ZRuleSegment.parse(s));

/** The audit action that records a removal, so the start-up seed stays away afterwards. */
export const DEMO_REMOVED_ACTION = 'demo.remove';

/** What the seed did. */
export interface DemoSeedResult {
  skipped: 'present' | 'removed' | null;
  customers: number;
  sessions: number;
  conversations: number;
  segments: number;
  /** The new customers, for the profile recomputation. */
  customerIds: string[];
}

/**
 * Seeds `count` demo respondents (default 400) unless demo customers exist or were removed.
 * Deterministic for the seed and the day (dates are relative to `now`).
 */
export async function seedDemoRespondents(
  prisma: PrismaClient,
  sealing: DemoSealing,
  opts: { count?: number; seed?: number; now?: Date } = {},
): Promise<DemoSeedResult> {
  const none = { customers: 0, sessions: 0, conversations: 0, segments: 0, customerIds: [] };
  if ((await prisma.customer.count({ where: { demo: true } })) > 0) return { skipped: 'present', ...none };
  if ((await prisma.auditLog.count({ where: { action: DEMO_REMOVED_ACTION } })) > 0)
    return { skipped: 'removed', ...none };
  const products = await prisma.product.findMany({
    select: { id: true, category: true, price: true },
    orderBy: { sku: 'asc' },
  });
  const byCategory = new Map<string, typeof products>();
  for (const p of products) byCategory.set(p.category, [...(byCategory.get(p.category) ?? []), p]);
  const people = generateDemoRespondents(loadShippedInstruments(), {
    count: opts.count ?? 400,
    seed: opts.seed ?? 2026,
    now: opts.now ?? new Date(),
    categories: [...byCategory.keys()].sort(),
  });
  const customers: object[] = [];
  const sessions: object[] = [];
  const answers: object[] = [];
  const orders: object[] = [];
  const items: object[] = [];
  const conversations: object[] = [];
  const messages: object[] = [];
  const handoffs: object[] = [];
  const consents: object[] = [];
  const ids: string[] = [];
  for (const [n, p] of people.entries()) {
    const id = randomUUID();
    ids.push(id);
    customers.push({
      id,
      externalRef: p.ref,
      name: sealing.encrypt(p.name, 'Customer.name'),
      email: sealing.encrypt(p.email, 'Customer.email'),
      emailHash: sealing.emailHash(p.email),
      ageBand: p.ageBand,
      marketingOptIn: p.marketingOptIn,
      demo: true,
    });
    if (p.marketingOptIn)
      consents.push({ customerId: id, purpose: 'marketing', granted: true, source: 'demo' });
    for (const s of p.sessions) {
      const sessionId = randomUUID();
      sessions.push({
        id: sessionId,
        instrumentId: s.instrumentId,
        customerId: id,
        status: s.status,
        channel: 'webchat',
        itemOrder: [],
        cursor: null,
        startedAt: s.startedAt,
        completedAt: s.completedAt,
      });
      for (const a of s.answers)
        answers.push({
          sessionId,
          itemId: a.itemId,
          value: a.value,
          choices: a.choices,
          text: a.text === null ? null : sealing.encrypt(a.text, 'Answer.text'),
          skipped: a.skipped,
          sentiment: a.sentiment,
          createdAt: a.createdAt,
        });
    }
    for (const [k, o] of p.orders.entries()) {
      const orderId = randomUUID();
      orders.push({
        id: orderId,
        customerId: id,
        externalId: `${p.ref}-order-${k + 1}`,
        placedAt: o.placedAt,
      });
      const chosen = new Set<string>();
      for (const [j, category] of o.categories.entries()) {
        const pool = byCategory.get(category) ?? [];
        const product = pool[(n * 7 + k * 3 + j * 11) % Math.max(1, pool.length)];
        if (!product || chosen.has(product.id)) continue;
        chosen.add(product.id);
        items.push({ orderId, productId: product.id, quantity: 1, unitPrice: product.price });
      }
    }
    for (const [k, c] of p.conversations.entries()) {
      const conversationId = randomUUID();
      conversations.push({
        id: conversationId,
        channel: 'webchat',
        externalId: `${p.ref}-chat-${k + 1}`,
        customerId: id,
        createdAt: c.startedAt,
      });
      for (const m of c.messages)
        messages.push({
          conversationId,
          direction: m.direction,
          text: sealing.encrypt(m.text, 'Message.text'),
          intent: m.intent,
          confidence: m.confidence,
          sentiment: m.sentiment,
          createdAt: m.at,
        });
      if (c.handoff)
        handoffs.push({
          conversationId,
          status: 'released',
          reason: 'asked for a person',
          createdAt: c.startedAt,
        });
    }
  }
  await prisma.$transaction(
    async (tx) => {
      await tx.customer.createMany({ data: customers as never });
      await tx.consent.createMany({ data: consents as never });
      await tx.surveySession.createMany({ data: sessions as never });
      for (let i = 0; i < answers.length; i += 5_000)
        await tx.answer.createMany({ data: answers.slice(i, i + 5_000) as never });
      await tx.order.createMany({ data: orders as never });
      await tx.orderItem.createMany({ data: items as never });
      await tx.conversation.createMany({ data: conversations as never });
      await tx.message.createMany({ data: messages as never });
      await tx.handoff.createMany({ data: handoffs as never });
    },
    { timeout: 120_000 },
  );
  const segments = new PrismaSegmentRepository(prisma);
  for (const rule of DEMO_SEGMENTS) await segments.saveRule(rule, { demo: true });
  return {
    skipped: null,
    customers: customers.length,
    sessions: sessions.length,
    conversations: conversations.length,
    segments: DEMO_SEGMENTS.length,
    customerIds: ids,
  };
}

/** Deletes every demo customer (and, by cascade, their sessions, orders, chats) and demo segment. */
export async function removeDemoRespondents(
  prisma: PrismaClient,
  actor: string,
): Promise<{ customers: number; segments: number }> {
  const segments = await prisma.segment.deleteMany({ where: { demo: true } });
  const customers = await prisma.customer.deleteMany({ where: { demo: true } });
  await prisma.auditLog.create({
    data: {
      actor,
      action: DEMO_REMOVED_ACTION,
      detail: { customers: customers.count, segments: segments.count },
    },
  });
  return { customers: customers.count, segments: segments.count };
}
