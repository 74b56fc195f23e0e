import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCatalog } from '../../recsys/catalog-import.js';
import { UnknownCustomerError, UnknownProductError } from '../../recsys/errors.js';
import { createPrismaRecsysStore } from '../../prisma/repositories/recsys-store.js';
import type { RecsysStore } from '../../recsys/store.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

// One contract suite, run against both database kinds.
describe.each(['pglite', 'postgres'] as const)('Prisma recsys store on %s', (kind) => {
  let db: TestDatabase;
  let store: RecsysStore;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    store = createPrismaRecsysStore(db.prisma);
    dir = await mkdtemp(join(tmpdir(), `store-${kind}-`));
  });
  afterAll(async () => {
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports a catalog file: good rows land, bad rows are reported, the version moves', async () => {
    expect(await store.catalogVersion()).toBe(0);
    const file = join(dir, 'c.csv');
    await writeFile(
      file,
      [
        'sku,name,category,price,stock,tags,margin,active',
        'P-1,Rain jacket,Outdoor,89.5,4,waterproof|rain,0.3,',
        'P-2,Mug,Kitchen,12,0,,,',
        'P-3,Bad,Kitchen,-1,1,,,',
        'P-4,Old lamp,Home,30,2,,,false',
      ].join('\n'),
    );
    const report = await importCatalog(file, store);
    expect(report).toMatchObject({ imported: 3, rejected: 1 });
    expect(report.errors[0]).toMatchObject({ line: 4, field: 'price', sku: 'P-3' });
    expect(await store.countProducts()).toBe(2); // P-4 inactive
    expect((await store.listProducts()).map((p) => p.sku)).toEqual(['P-1', 'P-2']);
    expect(await store.getProduct('P-1')).toMatchObject({
      price: 89.5,
      tags: ['waterproof', 'rain'],
      margin: 0.3,
      stock: 4,
      brand: null,
    });
    expect(await store.catalogVersion()).toBe(1);
  });

  it('upserts by SKU and reports changes since a date', async () => {
    const before = new Date();
    await new Promise((r) => setTimeout(r, 20));
    await store.upsertProducts([
      {
        sku: 'P-2',
        name: 'Mug',
        description: '',
        category: 'Kitchen',
        price: 9.99,
        currency: 'USD',
        tags: [],
        attributes: {},
        stock: 5,
        active: true,
      },
    ]);
    expect((await store.getProduct('P-2'))?.price).toBe(9.99);
    expect((await store.productsChangedSince(before)).map((p) => p.sku)).toEqual(['P-2']);
    expect(await store.catalogVersion()).toBe(2);
  });

  it('reads customers, histories, baskets and interaction rows', async () => {
    const prisma = db.prisma;
    const customer = await prisma.customer.create({ data: { externalRef: 'ext-42' } });
    const [p1, p2] = await Promise.all([
      prisma.product.findUniqueOrThrow({ where: { sku: 'P-1' } }),
      prisma.product.findUniqueOrThrow({ where: { sku: 'P-2' } }),
    ]);
    await prisma.order.create({
      data: {
        customerId: customer.id,
        items: {
          create: [
            { productId: p1.id, unitPrice: 89.5 },
            { productId: p2.id, unitPrice: 9.99 },
          ],
        },
      },
    });
    await prisma.order.create({ data: { items: { create: [{ productId: p2.id, unitPrice: 9.99 }] } } });
    await store.recordInteraction(customer.id, 'P-2', 'view');
    await expect(store.recordInteraction(customer.id, 'NOPE', 'view')).rejects.toBeInstanceOf(
      UnknownProductError,
    );

    expect(await store.findCustomerId('ext-42')).toBe(customer.id);
    expect(await store.findCustomerId(customer.id)).toBe(customer.id);
    expect(await store.findCustomerId('nobody')).toBeNull();
    const history = await store.customerHistory(customer.id);
    expect(history.purchased.sort()).toEqual(['P-1', 'P-2']);
    expect(history.interactions).toMatchObject([{ sku: 'P-2', kind: 'view', weight: 1 }]);
    expect(history.profile).toBeNull();
    await expect(store.customerHistory('00000000-0000-0000-0000-000000000000')).rejects.toBeInstanceOf(
      UnknownCustomerError,
    );

    expect((await store.orderBaskets()).map((b) => b.sort()).sort()).toEqual([['P-1', 'P-2'], ['P-2']]);
    const rows = await store.interactionRows();
    const mine = rows.find((r) => r.items.length === 2)!;
    expect(Object.fromEntries(mine.items.map((s, i) => [s, mine.weights![i]]))).toEqual({
      'P-1': 3,
      'P-2': 3,
    });
  });

  it('replaces and loads rules in one transaction', async () => {
    await store.replaceRules([
      { antecedent: ['P-1'], consequent: ['P-2'], support: 0.5, confidence: 1, lift: 1.2, count: 1 },
      { antecedent: ['P-2'], consequent: ['P-1'], support: 0.5, confidence: 0.5, lift: 2, count: 1 },
    ]);
    await store.replaceRules([
      { antecedent: ['P-2'], consequent: ['P-1'], support: 0.5, confidence: 0.5, lift: 2, count: 1 },
    ]);
    expect(await store.loadRules()).toEqual([
      { antecedent: ['P-2'], consequent: ['P-1'], support: 0.5, confidence: 0.5, lift: 2, count: 0 },
    ]);
  });
});
