import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexUnusableError } from '../../recsys/errors.js';
import { buildProductIndex, applyCatalogChanges, openProductIndex } from '../../recsys/index-lifecycle.js';
import { ProductIndex } from '../../recsys/product-index.js';
import { rewriteAsLegacy } from '../support/legacy-manifests.js';
import { clusteredVectors, exactTopK, hashingEncoder, product } from './fixtures.js';

const DIMS = 32;
const N = 2000;
const vectors = clusteredVectors(N, DIMS, 40);
const categories = ['jackets', 'boots', 'mugs', 'lamps', 'cables'];
const items = vectors.map((_, i) => ({
  sku: `SKU-${i}`,
  price: (i * 37) % 500,
  category: categories[i % 5]!,
  stock: i % 3 === 0 ? 0 : 4,
}));
const queries = clusteredVectors(50, DIMS, 40, 99);

let dir: string;
let index: ProductIndex;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'product-index-'));
  index = ProductIndex.create({
    encoderId: 'vec',
    dims: DIMS,
    capacity: 100,
    params: { M: 16, efConstruction: 100, ef: 64 },
  });
  items.forEach((item, i) => index.upsert(item, vectors[i]!));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function recall(filter: Parameters<ProductIndex['search']>[2], accept: (i: number) => boolean): number {
  let hit = 0;
  let total = 0;
  for (const q of queries) {
    const truth = new Set(exactTopK(q, vectors, 10, accept).map((i) => `SKU-${i}`));
    const got = index.search(q, 10, filter).map((h) => h.sku);
    for (const sku of got) expect(accept(Number(sku.slice(4)))).toBe(true);
    hit += got.filter((s) => truth.has(s)).length;
    total += truth.size;
  }
  return hit / total;
}

describe('ProductIndex', () => {
  it('grows past its initial capacity with resizeIndex', () => {
    expect(index.size).toBe(N);
    expect(index.capacity).toBeGreaterThanOrEqual(N);
  });

  it('finds the exact nearest neighbours with high recall', () => {
    expect(recall({}, () => true)).toBeGreaterThanOrEqual(0.95);
    const top = index.search(vectors[5]!, 1)[0]!;
    expect(top.sku).toBe('SKU-5');
    expect(top.similarity).toBeCloseTo(1, 5);
  });

  it('applies price, category and stock filters inside the search', () => {
    const accept = (i: number) =>
      items[i]!.category === 'mugs' && items[i]!.price <= 250 && items[i]!.stock > 0;
    // this filter passes about 7% of the items
    expect(recall({ category: 'Mugs', priceMax: 250, inStock: true }, accept)).toBeGreaterThanOrEqual(0.9);
    expect(
      recall({ priceMin: 100, priceMax: 200 }, (i) => items[i]!.price >= 100 && items[i]!.price <= 200),
    ).toBeGreaterThanOrEqual(0.9);
    expect(index.search(queries[0]!, 10, { category: 'no-such-category' })).toEqual([]);
    expect(index.search(vectors[5]!, 3, { excludeSkus: ['SKU-5'] }).map((h) => h.sku)).not.toContain('SKU-5');
  });

  it('scales ef by the pass rate for filtered searches, keeping recall, and restores the configured ef', () => {
    const accept = (i: number) => items[i]!.price < 50; // about 10 % of the items
    const scaled = recall({ priceMax: 49.99 }, accept);
    expect(scaled).toBeGreaterThanOrEqual(0.95);
    expect(index.params.ef).toBe(64);
    let hit = 0;
    for (const q of queries) {
      const plain = Array.from(q);
      const fixed = new Set(index.searchArray(plain, 10, { priceMax: 49.99 }, 'fixed').map((h) => h.sku));
      hit += index.searchArray(plain, 10, { priceMax: 49.99 }).filter((h) => fixed.has(h.sku)).length;
    }
    // the cheaper scaled search finds nearly the same products as the search at the full ef
    expect(hit / (queries.length * 10)).toBeGreaterThanOrEqual(0.95);
    expect(recall({}, () => true)).toBeGreaterThanOrEqual(0.95);
  });

  it('updates incrementally: remove, re-add, move a vector, change facts', () => {
    const q = vectors[7]!;
    expect(index.remove('SKU-7')).toBe(true);
    expect(index.search(q, 5).map((h) => h.sku)).not.toContain('SKU-7');
    expect(index.size).toBe(N - 1);
    index.upsert(items[7]!, q);
    expect(index.search(q, 1)[0]!.sku).toBe('SKU-7');
    expect(index.size).toBe(N);
    index.upsert(items[7]!, vectors[8]!); // moved onto SKU-8's vector
    expect(
      index
        .search(vectors[8]!, 2)
        .map((h) => h.sku)
        .sort(),
    ).toEqual(['SKU-7', 'SKU-8']);
    index.upsert(items[7]!, q);
    index.updateFacts({ ...items[7]!, stock: 0 });
    expect(index.search(q, 1, { inStock: true })[0]!.sku).not.toBe('SKU-7');
    index.updateFacts(items[7]!);
  });

  it('round-trips through persist and load with identical results and a complete manifest', async () => {
    const folder = join(dir, 'rt');
    index.catalogVersion = 12;
    index.remove('SKU-9');
    await index.persist(folder);
    const loaded = await ProductIndex.load(folder, { encoderId: 'vec', dims: DIMS, catalogVersion: 12 });
    expect(loaded.size).toBe(index.size);
    for (const q of queries.slice(0, 10)) {
      expect(loaded.search(q, 10, { inStock: true, category: 'boots' })).toEqual(
        index.search(q, 10, { inStock: true, category: 'boots' }),
      );
      expect(loaded.search(q, 10)).toEqual(index.search(q, 10));
    }
    expect(loaded.has('SKU-9')).toBe(false);
    const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      kind: 'product-index',
      encoder: { id: 'vec', dims: DIMS },
      params: { elementCount: N, activeCount: N - 1, catalogVersion: 12 },
    });
    expect(manifest.files).toContainEqual({
      name: 'index.bin',
      bytes: expect.any(Number),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    index.upsert(items[9]!, vectors[9]!);
  });

  it('loads a folder saved with the recsys manifest format of before the common one', async () => {
    const folder = join(dir, 'legacy');
    await index.persist(folder);
    const legacy = await rewriteAsLegacy(folder, 'recsys');
    expect(legacy).toMatchObject({
      encoderId: 'vec',
      dims: DIMS,
      extra: { catalogVersion: index.catalogVersion },
    });
    const loaded = await ProductIndex.load(folder, {
      encoderId: 'vec',
      dims: DIMS,
      catalogVersion: index.catalogVersion,
    });
    for (const q of queries.slice(0, 10)) expect(loaded.search(q, 10)).toEqual(index.search(q, 10));
    await expect(ProductIndex.load(folder, { encoderId: 'other', dims: DIMS })).rejects.toThrow(
      /encoder vec/,
    );
  });

  it('refuses missing, corrupt and mismatched artifacts with a reason', async () => {
    const folder = join(dir, 'bad');
    await index.persist(folder);
    const expectCode = async (
      expectation: Parameters<typeof ProductIndex.load>[1],
      code: string,
      where = folder,
    ) => {
      const error = await ProductIndex.load(where, expectation).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IndexUnusableError);
      expect((error as IndexUnusableError).code).toBe(code);
      return error as IndexUnusableError;
    };
    await expectCode({ encoderId: 'vec', dims: DIMS }, 'RECSYS_INDEX_MISSING', join(dir, 'none'));
    expect((await expectCode({ encoderId: 'other', dims: DIMS }, 'RECSYS_INDEX_MISMATCH')).message).toMatch(
      /encoder vec/,
    );
    await expectCode({ encoderId: 'vec', dims: DIMS, catalogVersion: 13 }, 'RECSYS_INDEX_MISMATCH');
    await expectCode(
      { encoderId: 'vec', dims: DIMS, params: { M: 32, efConstruction: 100 } },
      'RECSYS_INDEX_MISMATCH',
    );
    const bin = await readFile(join(folder, 'index.bin'));
    await writeFile(join(folder, 'index.bin'), bin.subarray(0, bin.length >> 1)); // truncated
    expect((await expectCode({ encoderId: 'vec', dims: DIMS }, 'RECSYS_INDEX_CORRUPT')).file).toBe(
      join(folder, 'index.bin'),
    );
  });
});

describe('openProductIndex', () => {
  const encoder = hashingEncoder(48);
  const catalog = [
    product('J-1', { name: 'Waterproof rain jacket', category: 'jackets', price: 89 }),
    product('J-2', { name: 'Insulated winter parka', category: 'jackets', price: 189 }),
    product('M-1', { name: 'Ceramic coffee mug', category: 'kitchen', price: 12 }),
    product('X-1', { name: 'Retired item', category: 'kitchen', active: false }),
  ];
  const params = { M: 8, efConstruction: 50, ef: 20 };

  it('builds on first start, loads on the next, rebuilds with a log line on mismatch or corruption', async () => {
    const folder = join(dir, 'open');
    const logs: string[] = [];
    const logger = {
      info: (_: object, m?: string) => logs.push(`info ${m}`),
      warn: (_: object, m?: string) => logs.push(`warn ${m}`),
    };
    const opts = {
      dir: folder,
      encoder,
      params,
      catalogVersion: 1,
      loadProducts: async () => catalog,
      logger,
    };
    const first = await openProductIndex(opts);
    expect(first.rebuilt).toBe(true);
    expect(first.index.size).toBe(3); // inactive product not indexed
    const second = await openProductIndex(opts);
    expect(second.rebuilt).toBe(false);
    expect(second.index.search((await encoder.embed(['rain jacket']))[0]!, 1)[0]!.sku).toBe('J-1');
    const third = await openProductIndex({ ...opts, catalogVersion: 2 });
    expect(third.rebuilt).toBe(true);
    expect(third.reason).toMatch(/catalog version 1, catalog is at 2/);
    await writeFile(join(folder, 'items.json'), '{}');
    const fourth = await openProductIndex({ ...opts, catalogVersion: 2 });
    expect(fourth.rebuilt).toBe(true);
    expect(logs.filter((l) => l.startsWith('info product index out of date, rebuilding'))).toHaveLength(1);
    expect(logs.filter((l) => l.startsWith('warn product index unusable, rebuilding'))).toHaveLength(1);
    expect(logs.some((l) => l.startsWith('info product index not found'))).toBe(true);
  });

  it('applies catalog changes incrementally', async () => {
    const index = await buildProductIndex(catalog, encoder, { params });
    const res = await applyCatalogChanges(index, encoder, {
      upserted: [
        product('M-2', { name: 'Espresso cup set', category: 'kitchen' }),
        { ...catalog[0]!, active: false },
      ],
      removedSkus: ['J-2'],
      catalogVersion: 5,
    });
    expect(res).toEqual({ upserted: 1, removed: 2 });
    expect(index.has('M-2')).toBe(true);
    expect(index.has('J-1')).toBe(false);
    expect(index.has('J-2')).toBe(false);
    expect(index.catalogVersion).toBe(5);
  });
});

describe('passesFilter', () => {
  it('agrees with the in-search HNSW filter', async () => {
    const { passesFilter } = await import('../../recsys/lexical-index.js');
    const filter = { category: 'mugs', priceMax: 250, inStock: true };
    const inSearch = new Set(index.search(queries[1]!, N, filter).map((h) => h.sku));
    const byObject = items
      .filter((it) =>
        passesFilter(product(it.sku, { category: it.category, price: it.price, stock: it.stock }), filter),
      )
      .map((it) => it.sku);
    expect(byObject.length).toBeGreaterThan(50);
    // every product the object check accepts is reachable by the filtered search and vice versa
    expect([...inSearch].every((s) => byObject.includes(s))).toBe(true);
    expect(inSearch.size).toBeGreaterThanOrEqual(byObject.length * 0.9);
  });
});
