import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEncoder, withDiskCache, type DiskCachedEncoder } from '../../nlu/index.js';
import {
  EmptyCatalogError,
  RecsysService,
  UnknownCustomerError,
  UnknownProductError,
  recsysJobProcessors,
  type RecsysStore,
} from '../../recsys/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { createPrismaRecsysStore, seedDemoCatalog } from '../../prisma/repositories/index.js';

// End-to-end over the shipped demo shop, the real USE-lite encoder and an in-memory PGlite.
const repoRoot = resolve(import.meta.dirname, '../..');
let db: TestDatabase;
let store: RecsysStore;
let encoder: DiskCachedEncoder;
let dir: string;
let service: RecsysService;
const logs: string[] = [];
const logger = {
  info: (_: object, m?: string) => logs.push(`info ${m}`),
  warn: (_: object, m?: string) => logs.push(`warn ${m}`),
};

beforeAll(async () => {
  [db, encoder, dir] = await Promise.all([
    createTestDatabase('pglite'),
    createEncoder('use-lite').then((e) =>
      withDiskCache(e, join(repoRoot, 'test-artifacts', 'recsys-use-lite.bin')),
    ),
    mkdtemp(join(tmpdir(), 'recsys-service-')),
  ]);
  store = createPrismaRecsysStore(db.prisma);
}, 300_000);
afterAll(async () => {
  await service?.stop();
  await encoder?.flush();
  await encoder?.dispose();
  await db?.close();
  await rm(dir, { recursive: true, force: true });
});

const text = (r: { name: string; category: string }) => `${r.name} ${r.category}`.toLowerCase();

describe('RecsysService on an empty catalog', () => {
  it('says the catalog is empty instead of crashing', async () => {
    const svc = await new RecsysService({ store, encoder, dataDir: join(dir, 'empty') }).start();
    await expect(svc.query('jacket')).rejects.toBeInstanceOf(EmptyCatalogError);
    expect(() => svc.similar('X')).toThrow(/catalog is empty/);
    await expect(svc.forCustomer('nobody')).rejects.toBeInstanceOf(UnknownCustomerError);
  });
});

describe('RecsysService on the demo shop', () => {
  beforeAll(async () => {
    const seeded = await seedDemoCatalog(db.prisma);
    expect(seeded).toMatchObject({ skipped: false, products: 320, customers: 60, orders: 2400 });
    expect(seeded.rules).toBeGreaterThan(20);
    expect((await seedDemoCatalog(db.prisma)).skipped).toBe(true);
    service = await new RecsysService({ store, encoder, dataDir: dir, logger }).start();
    await encoder.flush();
  }, 300_000);

  it('built the index on first start and loads it on the next', async () => {
    expect(logs.some((l) => l.startsWith('info product index not found'))).toBe(true);
    expect(service.productCount).toBeGreaterThanOrEqual(300);
    const again = await new RecsysService({ store, encoder, dataDir: dir, logger }).start();
    expect(logs.filter((l) => l.startsWith('info product index loaded'))).toHaveLength(1);
    expect(again.productCount).toBe(service.productCount);
  });

  it('"waterproof jacket under 100": price filter applied, jackets first, reasons given', async () => {
    const res = await service.query('waterproof jacket under 100', { k: 8 });
    expect(res.filters).toMatchObject({ priceMax: 100 });
    expect(res.items.length).toBeGreaterThan(0);
    for (const r of res.items) {
      expect(r.price).toBeLessThanOrEqual(100);
      expect(service.product(r.sku)!.stock).toBeGreaterThan(0);
      expect(r.reason).toMatch(/under \$100/);
    }
    const top = res.items.slice(0, 5);
    expect(top.filter((r) => /jacket|trousers|shell/.test(text(r))).length).toBeGreaterThanOrEqual(3);
  });

  it('"a gift for a coffee lover" lands in coffee products', async () => {
    const res = await service.query('a gift for a coffee lover', { k: 10 });
    const coffee = res.items
      .slice(0, 5)
      .filter((r) => r.category === 'Coffee & Kitchen' || /coffee|espresso|mug/.test(text(r)));
    expect(coffee.length).toBeGreaterThanOrEqual(4);
  });

  it('filters passed by the dialog (NLU entities) restrict the search', async () => {
    const res = await service.query('something warm', { k: 5, filters: { category: 'Home', priceMax: 60 } });
    for (const r of res.items) {
      expect(r.category).toBe('Home');
      expect(r.price).toBeLessThanOrEqual(60);
    }
  });

  it('exact SKUs and brands match lexically', async () => {
    expect((await service.query('JKT-1101')).items[0]!.sku).toBe('JKT-1101');
    const brand = await service.query('Copperkettle', { k: 5 });
    expect(brand.items.filter((r) => r.brand === 'Copperkettle').length).toBeGreaterThanOrEqual(4);
  });

  it('"something like X but cheaper" anchors on X and returns cheaper similar products', async () => {
    const res = await service.query('something like the Wayfarer Peak Storm-proof Rain Jacket but cheaper', {
      k: 5,
    });
    const anchor = service.product(res.anchorSku!)!;
    expect(anchor.name).toMatch(/Storm-proof Rain Jacket/);
    expect(res.items.length).toBeGreaterThan(0);
    for (const r of res.items) {
      expect(r.price).toBeLessThan(anchor.price);
      expect(r.reason).toMatch(/^Like .* but \$[\d.]+ cheaper/);
    }
  });

  it('similar items exclude the product itself and stay close in kind', () => {
    const recs = service.similar('ESP-1101', { k: 6 });
    expect(recs.map((r) => r.sku)).not.toContain('ESP-1101');
    expect(recs.filter((r) => r.category === 'Coffee & Kitchen').length).toBeGreaterThanOrEqual(4);
    expect(recs[0]!.reason).toMatch(/^Similar to /);
    const cheaper = service.similar('ESP-1101', { k: 6, cheaper: true });
    for (const r of cheaper) expect(r.price).toBeLessThan(service.product('ESP-1101')!.price);
  });

  it('frequently bought together comes from mined rules with support/confidence in the reason', () => {
    const recs = service.boughtTogether('ESP-1101', { k: 5 });
    expect(recs.length).toBeGreaterThan(0);
    expect(recs.some((r) => /^(TMP|JUG|BNS|GRN)-/.test(r.sku))).toBe(true);
    expect(recs.some((r) => /^Often bought together: \d+% of orders with/.test(r.reason))).toBe(true);
  });

  it('a customer gets personal recommendations without already-bought items', async () => {
    const id = (await store.findCustomerId('demo-customer-01'))!;
    const history = await store.customerHistory(id);
    const recs = await service.forCustomer('demo-customer-01', { k: 10 });
    expect(recs).toHaveLength(10);
    for (const r of recs) {
      expect(history.purchased).not.toContain(r.sku);
      expect(r.reason.length).toBeGreaterThan(10);
    }
    expect(
      recs.some(
        (r) => /^Because you (bought|viewed) /.test(r.reason) || /^Customers who bought/.test(r.reason),
      ),
    ).toBe(true);
  });

  it('a survey profile alone (stated interests) steers a new customer', async () => {
    const c = await db.prisma.customer.create({
      data: {
        externalRef: 'survey-only',
        profile: {
          create: { traits: { openness: 4.5 }, preferences: { interests: ['espresso', 'coffee brewing'] } },
        },
      },
    });
    const recs = await service.forCustomer(c.id, { k: 5 });
    expect(recs.filter((r) => r.category === 'Coffee & Kitchen').length).toBeGreaterThanOrEqual(3);
    expect(recs[0]!.reason).toMatch(/interests you told us about: espresso/);
  });

  it('job processors re-mine rules and reindex the catalog', async () => {
    const jobs = recsysJobProcessors(service);
    const mined = (await jobs['rules.mine']({ minSupport: 0.004, minConfidence: 0.2 })) as {
      baskets: number;
      rules: number;
    };
    expect(mined.baskets).toBe(2400);
    expect(mined.rules).toBeGreaterThan(0);
    expect(await db.prisma.associationRule.count()).toBe(mined.rules);
    expect(await jobs['catalog.reindex']({ catalogVersion: 1 })).toEqual({ products: service.productCount });
    expect(service.similar('ESP-1101', { k: 3 })).toHaveLength(3);
  });

  it('unknown SKUs and customers give clear errors', async () => {
    expect(() => service.similar('NOPE-1')).toThrow(UnknownProductError);
    expect(() => service.boughtTogether(['ESP-1101', 'NOPE-2'])).toThrow(/unknown product SKU "NOPE-2"/);
    await expect(service.forCustomer('nobody-here')).rejects.toBeInstanceOf(UnknownCustomerError);
  });

  it('applies catalog changes incrementally', async () => {
    await store.upsertProducts([
      {
        sku: 'NEW-1',
        name: 'Titanium camping spork',
        description: 'An ultralight spork for backpacking trips',
        category: 'Outdoor Clothing',
        price: 9,
        currency: 'USD',
        tags: ['camping'],
        attributes: {},
        stock: 10,
        active: true,
      },
    ]);
    const sync = await service.syncCatalog();
    expect(sync.upserted).toBe(1);
    expect((await service.query('ultralight camping spork', { k: 3 })).items[0]!.sku).toBe('NEW-1');
    await store.upsertProducts([
      {
        sku: 'NEW-1',
        name: 'Titanium camping spork',
        description: '',
        category: 'Outdoor Clothing',
        price: 9,
        currency: 'USD',
        tags: [],
        attributes: {},
        stock: 10,
        active: false,
      },
    ]);
    expect((await service.syncCatalog()).removed).toBe(1);
    expect((await service.query('ultralight camping spork', { k: 3 })).items.map((r) => r.sku)).not.toContain(
      'NEW-1',
    );
  });
});
