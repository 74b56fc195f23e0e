// The server's PostgreSQL pool: its configured limits, the hot statements prepared on it (the
// recommend-for-me history read gives what the Prisma path gives), and overload signalled early.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../prisma/index.js';
import { createPrismaRecsysStore } from '../../prisma/repositories/recsys-store.js';
import { ConfigError, loadConfig } from '../../server/config.js';
import { openConfiguredDatabase, type ServerDatabase } from '../../server/database.js';
import { createMetrics } from '../../server/observability/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

describe('server database pool on PostgreSQL', () => {
  let base: TestDatabase;
  let db: ServerDatabase;

  beforeAll(async () => {
    base = await createTestDatabase('postgres');
    db = await openConfiguredDatabase(
      loadConfig({
        DATABASE_URL: base.url,
        DATABASE_POOL_MAX: '2',
        DATABASE_POOL_TIMEOUT_MS: '300',
        DATABASE_MAX_WAITING: '1',
      }),
    );
  });
  afterAll(async () => {
    await db?.close();
    await base?.close();
  });

  it('validates the pool settings', () => {
    expect(loadConfig({}).pool).toEqual({
      max: 10,
      timeoutMs: 5_000,
      maxWaiting: 200,
      chatStatementTimeoutMs: 5_000,
    });
    expect(() => loadConfig({ DATABASE_CHAT_STATEMENT_TIMEOUT_MS: '5' })).toThrow(
      /DATABASE_CHAT_STATEMENT_TIMEOUT_MS/,
    );
    expect(() => loadConfig({ DATABASE_POOL_MAX: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_POOL_TIMEOUT_MS: 'soon' })).toThrow(/DATABASE_POOL_TIMEOUT_MS/);
  });

  it('reads a customer history in one statement, the same as through Prisma', async () => {
    const { prisma } = db;
    const products = await Promise.all(
      ['SKU-A', 'SKU-B', 'SKU-C'].map((sku) =>
        prisma.product.create({ data: { sku, name: sku, category: 'Test', price: 10 } }),
      ),
    );
    const [a, b, c] = products as [(typeof products)[0], (typeof products)[0], (typeof products)[0]];
    const customer = await prisma.customer.create({ data: { externalRef: 'shop-7' } });
    const t0 = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    await prisma.interaction.createMany({
      data: [
        { customerId: customer.id, productId: b.id, kind: 'view', weight: 1, createdAt: new Date(t0 + 2000) },
        { customerId: customer.id, productId: a.id, kind: 'purchase', weight: 2, createdAt: new Date(t0) },
        { customerId: customer.id, productId: c.id, kind: 'cart', weight: 1, createdAt: new Date(t0 + 1000) },
      ],
    });
    await prisma.order.create({
      data: { customerId: customer.id, items: { create: [{ productId: c.id, unitPrice: 10 }] } },
    });
    await prisma.profile.create({
      data: {
        customerId: customer.id,
        vector: [0.5, -0.25],
        traits: { openness: 4 },
        preferences: { colour: 'red' },
      },
    });
    const bare = await prisma.customer.create({ data: {} });

    const pooled = createPrismaRecsysStore(prisma, { sql: db.sql });
    const viaPrisma = createPrismaRecsysStore(prisma);
    expect(db.sql).toBeDefined();
    for (const store of [pooled, viaPrisma]) {
      expect(await store.findCustomerId('shop-7')).toBe(customer.id);
      expect(await store.findCustomerId(customer.id)).toBe(customer.id);
      expect(await store.findCustomerId('nobody')).toBeNull();
    }
    const history = await pooled.customerHistory(customer.id);
    expect(history).toEqual({
      customerId: customer.id,
      interactions: [
        { sku: 'SKU-A', kind: 'purchase', weight: 2, at: new Date(t0) },
        { sku: 'SKU-C', kind: 'cart', weight: 1, at: new Date(t0 + 1000) },
        { sku: 'SKU-B', kind: 'view', weight: 1, at: new Date(t0 + 2000) },
      ],
      purchased: ['SKU-A', 'SKU-C'],
      profile: { vector: [0.5, -0.25], traits: { openness: 4 }, preferences: { colour: 'red' } },
    });
    expect(await viaPrisma.customerHistory(customer.id)).toEqual(history);
    const empty = { customerId: bare.id, interactions: [], purchased: [], profile: null };
    expect(await pooled.customerHistory(bare.id)).toEqual(empty);
    expect(await viaPrisma.customerHistory(bare.id)).toEqual(empty);
  });

  it('says it is overloaded while more queries wait than allowed, and a starved query fails fast as an outage', async () => {
    const sql = db.sql!;
    const sleep = { name: 'test_sleep', text: 'SELECT pg_sleep($1::float8) AS slept' };
    expect(db.overloaded()).toBe(false);
    // 2 connections, 4 queries: 2 wait, which is more than DATABASE_MAX_WAITING=1.
    const runs = [0.5, 0.5, 0.01, 0.01].map((s) =>
      sql(sleep, [s]).then(
        () => 'ok',
        (e: unknown) => e,
      ),
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(db.poolStats()).toMatchObject({ max: 2, waiting: 2 });
    expect(db.overloaded()).toBe(true);
    // Prometheus sees the same figures.
    const scraped = await createMetrics({ processMetrics: false, pool: db.poolStats }).registry.metrics();
    expect(scraped).toContain('mkt_db_pool_connections{state="waiting"} 2');
    expect(scraped).toContain('mkt_db_pool_connections{state="max"} 2');
    const results = await Promise.all(runs);
    // The waiting ones gave up after DATABASE_POOL_TIMEOUT_MS (300 ms), before the sleepers ended.
    expect(results.slice(0, 2)).toEqual(['ok', 'ok']);
    // (they did not wait for the sleepers: they would have had a connection then and succeeded)
    for (const starved of results.slice(2)) expect(isDatabaseUnavailable(starved)).toBe(true);
    expect(db.overloaded()).toBe(false);
  });
});
