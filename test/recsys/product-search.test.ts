import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEncoder, withDiskCache, type DiskCachedEncoder } from '../../nlu/index.js';
import {
  LexicalIndex,
  buildCatalogVocabulary,
  buildProductIndex,
  searchProducts,
  toCatalogProduct,
  ZProductRow,
  type CatalogProduct,
  type ProductSearchDeps,
} from '../../recsys/index.js';

// Search over the shipped demo catalog with the real USE-lite encoder and HNSW index: hard filters
// hold for every item shown as a match, and the no-match path says so and labels alternatives.
const repoRoot = resolve(import.meta.dirname, '../..');
const demo: CatalogProduct[] = (
  JSON.parse(readFileSync(join(repoRoot, 'recsys/demo/catalog.json'), 'utf8')) as unknown[]
).map((row) => toCatalogProduct(ZProductRow.parse(row)));
const bySku = new Map(demo.map((p) => [p.sku, p]));
let encoder: DiskCachedEncoder;
let deps: ProductSearchDeps;

beforeAll(async () => {
  encoder = await withDiskCache(
    await createEncoder('use-lite'),
    join(repoRoot, 'test-artifacts', 'recsys-use-lite.bin'),
  );
  const lexical = new LexicalIndex();
  lexical.upsert(demo);
  deps = {
    index: await buildProductIndex(demo, encoder, {}),
    lexical,
    encoder,
    productOf: (sku) => bySku.get(sku),
    vocabulary: buildCatalogVocabulary(demo),
  };
}, 300_000);
afterAll(async () => {
  await encoder?.flush();
  await encoder?.dispose();
});

const product = (sku: string) => bySku.get(sku)!;
const search = (text: string) => searchProducts(deps, text, { k: 10 });

describe('searchProducts', () => {
  it('shows only products of the named type, colour and price', async () => {
    const mats = await search('green yoga mat');
    expect(mats.status).toBe('matched');
    expect(mats.items.length).toBeGreaterThan(0);
    for (const item of mats.items) {
      expect(item.sku.startsWith('YMT-')).toBe(true);
      expect(String(product(item.sku).attributes.colour)).toMatch(/green/);
      expect(item.reason).toMatch(/Yoga Mat/);
    }
    const jackets = await search('rain jacket under $130');
    expect(jackets.items.length).toBeGreaterThan(0);
    for (const item of jackets.items) {
      expect(item.sku.startsWith('JKT-')).toBe(true);
      expect(item.price).toBeLessThanOrEqual(130);
    }
  });

  it('finds products through synonyms and typos', async () => {
    const sneakers = await search('sneakers');
    expect(sneakers.items[0]!.sku.startsWith('TRN-')).toBe(true);
    const headphones = await search('hedphones');
    expect(headphones.items.every((i) => i.sku.startsWith('EAR-'))).toBe(true);
    expect(headphones.notes.join(' ')).toMatch(/headphones/);
  });

  it('says when nothing matches and labels the cheapest of the type as alternatives', async () => {
    const boots = await search('hiking boots under $50');
    expect(boots.status).toBe('no-match');
    expect(boots.items).toEqual([]);
    expect(boots.notice).toMatch(/^No hiking boots under \$50\. The cheapest hiking boots are:/);
    expect(boots.relaxed).toEqual(['price']);
    expect(boots.alternatives.length).toBeGreaterThan(0);
    const prices = boots.alternatives.map((a) => a.price);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    const cheapestBoot = Math.min(
      ...demo.filter((p) => p.sku.startsWith('BOT-') && p.stock > 0).map((p) => p.price),
    );
    expect(prices[0]).toBe(cheapestBoot);
    for (const alt of boots.alternatives) {
      expect(alt.sku.startsWith('BOT-')).toBe(true);
      expect(alt.reason).toMatch(/^Alternative, not an exact match/);
    }
  });

  it('says when the catalog does not carry the thing at all', async () => {
    const sandals = await search('sandals under 10');
    expect(sandals.status).toBe('no-match');
    expect(sandals.items).toEqual([]);
    expect(sandals.notice).toMatch(/We don't seem to carry sandals/);
    expect(sandals.alternatives.every((a) => a.reason.startsWith('Alternative'))).toBe(true);
  });

  it('answers an empty or content-free query with a question, not random products', async () => {
    for (const text of ['', '   ', '🙂🙂🙂', 'hello there', 'x'.repeat(4500)]) {
      const result = await search(text);
      expect(result.items).toEqual([]);
      expect(result.alternatives).toEqual([]);
      expect(result.notice).toMatch(/What are you looking for/);
    }
  });

  it('searches a long message by what it asks for', async () => {
    const result = await search(
      `${'I have been thinking about this for a while and '.repeat(60)} I need a yoga mat`,
    );
    expect(result.status).toBe('matched');
    expect(result.items.every((i) => i.sku.startsWith('YMT-'))).toBe(true);
  });

  it('offers other sizes when the size is not stocked', async () => {
    const shoes = await search('trail running shoes size 39');
    expect(shoes.status).toBe('no-match');
    expect(shoes.notice).toMatch(/in other sizes \(we have 40, 42, 44, 46\)/);
    expect(shoes.alternatives.every((a) => a.sku.startsWith('TRN-'))).toBe(true);
  });
});
