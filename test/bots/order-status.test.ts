// Order status: the message parsing and the dialog's decisions (pure), and the Order table as the
// port on PGlite and PostgreSQL: the right pair and the customer's own order are answered, a wrong
// pair and an unknown number both give null.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, DEFAULT_POLICY } from '../../bots/dialog/decide.js';
import { readOrderQuery } from '../../bots/dialog/order-query.js';
import type { DialogState } from '../../bots/dialog/state.js';
import type { NluResult } from '../../bots/ports.js';
import {
  DEMO_ORDER_EMAIL,
  PrismaOrderStatus,
  seedDemoCatalog,
  seedDemoOrderDesk,
} from '../../prisma/repositories/index.js';
import { createLookupHasher } from '../../server/security/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { decisionInput, nluResult } from '../support/dialog-input.js';

const nlu = nluResult;

function run(text: string, result: NluResult, state: Partial<DialogState> = {}) {
  return decide(decisionInput(text, result, state));
}

describe('reading an order number and e-mail', () => {
  it.each([
    ['where is my order NW-10042?', 'NW-10042', null],
    ["it's nw-10042, alex@example.com", 'nw-10042', 'alex@example.com'],
    ['#10042 a.b+c@x.co.uk', '10042', 'a.b+c@x.co.uk'],
    ['alex99@example.com', null, 'alex99@example.com'],
    ['where is my order', null, null],
    ['size 42 please', null, null],
  ])('%s', (text, number, email) => {
    expect(readOrderQuery(text)).toEqual({ number, email });
  });
});

describe('the order-status dialog', () => {
  it('asks, keeps the number (never the e-mail) while waiting, and passes the pair on', () => {
    expect(run('where is my order?', nlu('order_status')).action).toEqual({
      kind: 'order_status',
      number: null,
      email: null,
      lastTry: false,
    });
    const waiting = { orderQuery: { number: 'NW-10043' } };
    const d = run('alex@example.com', nlu('off_topic', 0.3), waiting);
    expect(d.action).toEqual({
      kind: 'order_status',
      number: 'NW-10043',
      email: 'alex@example.com',
      lastTry: false,
    });
  });

  it('while waiting, words without a number re-ask; a clear other request drops the question', () => {
    const waiting = { orderQuery: { number: null } };
    expect(run("I don't know it", nlu('deny', 0.4), waiting).action).toEqual({
      kind: 'reply',
      reply: 'order_ask',
    });
    const search = run('show me rain jackets', nlu('product_search', 0.9), waiting);
    expect(search.action.kind).toBe('search');
    expect(search.state.orderQuery).toBeNull();
  });

  it('after the limit of wrong pairs nothing is looked up: a person is offered', () => {
    const max = DEFAULT_POLICY.orderLookupMaxFailures;
    expect(run('NW-1 x', nlu('order_status'), { orderFailures: max - 1 }).action).toMatchObject({
      lastTry: true,
    });
    const d = run('where is my order NW-10042 alex@example.com', nlu('order_status'), { orderFailures: max });
    expect(d.action).toEqual({ kind: 'reply', reply: 'order_lookup_limit' });
    expect(d.state.pendingConfirm).toBe('handoff');
  });
});

describe.each(['pglite', 'postgres'] as const)('PrismaOrderStatus (%s)', (kind) => {
  let db: TestDatabase;
  const lookup = createLookupHasher(randomBytes(32));
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await seedDemoCatalog(db.prisma);
    expect(await seedDemoOrderDesk(db.prisma, lookup.email, new Date('2026-12-04T12:00:00Z'))).toBe(3);
    expect(await seedDemoOrderDesk(db.prisma, lookup.email)).toBe(0);
  }, 300_000);
  afterAll(() => db?.close());

  it('answers the right pair in any case, and nothing for a wrong pair or an unknown number', async () => {
    const orders = new PrismaOrderStatus(db.prisma, lookup.email);
    const stranger = 'no-such-customer';
    const shipped = await orders.find({
      number: 'nw-10042',
      email: ' Alex@Example.com',
      customerId: stranger,
    });
    expect(shipped).toMatchObject({
      number: 'NW-10042',
      status: 'shipped',
      placedAt: new Date('2026-12-01T12:00:00Z'),
      shippedAt: new Date('2026-12-02T12:00:00Z'),
    });
    expect(shipped!.items).toHaveLength(2);
    expect(shipped!.items[0]!.name.length).toBeGreaterThan(3);
    expect(
      await orders.find({ number: 'NW-10042', email: 'bob@example.com', customerId: stranger }),
    ).toBeNull();
    expect(
      await orders.find({ number: 'NW-99999', email: DEMO_ORDER_EMAIL, customerId: stranger }),
    ).toBeNull();
    expect(await orders.find({ number: 'NW-10042', email: null, customerId: stranger })).toBeNull();
    // Without the keyed hash (no lookup key configured) no e-mail can match.
    const unkeyed = new PrismaOrderStatus(db.prisma, undefined);
    expect(
      await unkeyed.find({ number: 'NW-10042', email: DEMO_ORDER_EMAIL, customerId: stranger }),
    ).toBeNull();
  });

  it("a signed-in customer's own order needs no e-mail, and 'where is my order?' finds the latest", async () => {
    const orders = new PrismaOrderStatus(db.prisma, lookup.email);
    const mine = await db.prisma.order.findFirstOrThrow({
      where: { customerId: { not: null } },
      orderBy: { placedAt: 'desc' },
      select: { externalId: true, customerId: true },
    });
    const own = await orders.find({ number: mine.externalId!, email: null, customerId: mine.customerId! });
    expect(own?.number).toBe(mine.externalId);
    expect((await orders.latest(mine.customerId!))?.number).toBe(mine.externalId);
    expect(await orders.latest('no-such-customer')).toBeNull();
  });
});
