import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  extractColours,
  extractDates,
  extractEntities,
  extractMoney,
  extractNumbers,
  extractPriceRanges,
  extractSizes,
  Gazetteer,
  parseNumberWords,
  type GazetteerEntry,
} from '../../nlu/index.js';

const NOW = new Date('2026-03-18T10:00:00Z'); // a Wednesday
const range = (text: string) => {
  const r = extractPriceRanges(text)[0];
  return r ? { min: r.min, max: r.max, currency: r.currency } : null;
};

describe('price ranges', () => {
  it.each([
    ['under $50', { max: 50, currency: 'USD' }],
    ['show me shoes under 50 dollars', { max: 50, currency: 'USD' }],
    ['between 20 and 30 euros', { min: 20, max: 30, currency: 'EUR' }],
    ['between twenty and thirty euros', { min: 20, max: 30, currency: 'EUR' }],
    ['less than 100', { max: 100 }],
    ['cheaper than 40 bucks', { max: 40, currency: 'USD' }],
    ['from 20 to 35 dollars', { min: 20, max: 35, currency: 'USD' }],
    ['50-80€', { min: 50, max: 80, currency: 'EUR' }],
    ['£30 or less', { max: 30, currency: 'GBP' }],
    ['over 100 USD please', { min: 100, currency: 'USD' }],
    ['at least fifty bucks', { min: 50, currency: 'USD' }],
    ['a budget of $1,200', { max: 1200, currency: 'USD' }],
    ['up to 2k', { max: 2000 }],
    ['two hundred and fifty dollars max', { max: 250, currency: 'USD' }],
    ['$100+', { min: 100, currency: 'USD' }],
    ['between 30 and 20 euros', { min: 20, max: 30, currency: 'EUR' }],
    ['no more than €75.50', { max: 75.5, currency: 'EUR' }],
  ])('%j', (text, expected) => {
    expect(range(text)).toEqual({ min: undefined, max: undefined, currency: undefined, ...expected });
  });

  it.each([
    'under 3 days',
    'less than 5 km away',
    'orders from 2023',
    'size 8-10',
    'over the moon',
    'under a tree',
    'more than 10 items',
  ])('finds no price in %j', (text) => {
    expect(extractPriceRanges(text)).toEqual([]);
  });
});

describe('money and numbers', () => {
  it('finds amounts with a currency', () => {
    expect(
      extractMoney('it was $19.99, the other 20€ and a third forty bucks').map((m) => [m.amount, m.currency]),
    ).toEqual([
      [19.99, 'USD'],
      [20, 'EUR'],
      [40, 'USD'],
    ]);
    expect(extractMoney('I want 3 of them')).toEqual([]);
  });

  it.each([
    ['twenty five', 25],
    ['a hundred', 100],
    ['two hundred and fifty', 250],
    ['one thousand two hundred', 1200],
    ['a dozen', 12],
    ['ninety-nine', 99],
    ['three million', 3_000_000],
  ])('parses %j', (words, value) => {
    expect(parseNumberWords(words)).toBe(value);
  });

  it('finds digit and word numbers in order', () => {
    expect(extractNumbers('I need twenty five pens, 1,200 sheets and 2.5 kg').map((n) => n.value)).toEqual([
      25, 1200, 2.5,
    ]);
    expect(extractNumbers('between twenty and thirty').map((n) => n.value)).toEqual([20, 30]);
    expect(extractNumbers('no numbers here')).toEqual([]);
  });
});

describe('dates (now = Wednesday 2026-03-18 10:00 UTC)', () => {
  const d = (text: string) =>
    extractDates(text, NOW).map((r) => [r.from.slice(0, 10), r.to.slice(0, 10), r.grain]);
  it.each([
    ['nps this month', ['2026-03-01', '2026-04-01', 'month']],
    ['sales last week', ['2026-03-09', '2026-03-16', 'week']],
    ['this week', ['2026-03-16', '2026-03-23', 'week']],
    ['last month', ['2026-02-01', '2026-03-01', 'month']],
    ['since March', ['2026-03-01', '2026-03-18', 'custom']],
    ['since December', ['2025-12-01', '2026-03-18', 'custom']],
    ['since 2024', ['2024-01-01', '2026-03-18', 'custom']],
    ['last 30 days', ['2026-02-17', '2026-03-19', 'custom']],
    ['past week', ['2026-03-12', '2026-03-19', 'custom']],
    ['the past two weeks', ['2026-03-05', '2026-03-19', 'custom']],
    ['last sixty days', ['2026-01-18', '2026-03-19', 'custom']],
    ['today', ['2026-03-18', '2026-03-19', 'day']],
    ['yesterday', ['2026-03-17', '2026-03-18', 'day']],
    ['Q1', ['2026-01-01', '2026-04-01', 'quarter']],
    ['Q4', ['2025-10-01', '2026-01-01', 'quarter']],
    ['Q2 2024', ['2024-04-01', '2024-07-01', 'quarter']],
    ['year to date', ['2026-01-01', '2026-03-18', 'custom']],
    ['in May', ['2025-05-01', '2025-06-01', 'month']],
    ['January 2025', ['2025-01-01', '2025-02-01', 'month']],
    ['in 2024', ['2024-01-01', '2025-01-01', 'year']],
    ['last quarter', ['2025-10-01', '2026-01-01', 'quarter']],
    ['on March 5', ['2026-03-05', '2026-03-06', 'day']],
    ['2024-03-01', ['2024-03-01', '2024-03-02', 'day']],
    ['from March 1 to March 15', ['2026-03-01', '2026-03-16', 'custom']],
  ])('%j', (text, expected) => {
    expect(d(text)).toEqual([expected]);
  });

  it('ignores words that only look like dates', () => {
    expect(d('I may buy it')).toEqual([]);
    expect(d('march on')).toEqual([]);
    expect(d('show me red shoes')).toEqual([]);
  });
});

describe('colours and sizes', () => {
  it('canonicalises colours, multi-word shades first', () => {
    expect(
      extractColours('a navy blue or grey jacket, maybe burgundy').map((c) => [c.text, c.value]),
    ).toEqual([
      ['navy blue', 'navy'],
      ['grey', 'gray'],
      ['burgundy', 'red'],
    ]);
    expect(extractColours('the best running shoes')).toEqual([]);
  });

  it.each([
    ['I need a jacket in size M', 'M', 'letter'],
    ['do you have it in XL?', 'XL', 'letter'],
    ['size xxl please', 'XXL', 'letter'],
    ['a medium one', 'M', 'letter'],
    ['EU 42', '42', 'eu'],
    ['size 9.5 US', '9.5', 'us'],
    ['UK 8', '8', 'uk'],
    ['jeans 32x34', '32x34', 'waist'],
    ['size 42', '42', undefined],
  ])('%j', (text, value, system) => {
    const [size] = extractSizes(text);
    expect(size?.value).toBe(value);
    expect(size?.system).toBe(system);
  });

  it('does not take ordinary words for sizes', () => {
    expect(extractSizes('I am looking for a gift')).toEqual([]);
    expect(extractSizes("it's fine, I'll take it")).toEqual([]);
  });
});

describe('Gazetteer on the demo catalog', () => {
  let gazetteer: Gazetteer;
  let entries: GazetteerEntry[];
  beforeAll(async () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
    const catalog = JSON.parse(
      await readFile(join(root, 'recsys', 'demo', 'catalog.json'), 'utf8'),
    ) as Array<{
      sku: string;
      name: string;
      category: string;
      brand: string;
    }>;
    const categories = [...new Set(catalog.map((p) => p.category))];
    const brands = [...new Set(catalog.map((p) => p.brand))];
    entries = [
      ...catalog.map((p) => ({ id: p.sku, name: p.name.split(',')[0]!, kind: 'product' as const })),
      ...categories.map((c) => ({ id: `cat:${c}`, name: c, kind: 'category' as const })),
      ...brands.map((b) => ({ id: `brand:${b}`, name: b, kind: 'brand' as const })),
    ];
    gazetteer = new Gazetteer(entries);
  });

  it('finds products despite typos and plurals', () => {
    const [top] = gazetteer.match('do you have the cragline waterprof rain jackets?');
    expect(top?.name).toBe('Cragline Waterproof Rain Jacket');
    expect(top?.kind).toBe('product');
    expect(top?.coverage).toBe(1);
  });

  it('finds categories and brands', () => {
    const kinds = gazetteer.match('something from Stridewell in footwear').map((m) => `${m.kind}:${m.name}`);
    expect(kinds).toContain('brand:Stridewell');
    expect(kinds).toContain('category:Footwear');
  });

  it('finds nothing in unrelated text', () => {
    expect(gazetteer.match('what time do you open on sunday?')).toEqual([]);
    expect(gazetteer.match('')).toEqual([]);
  });

  it('follows catalog changes (upsert, remove, replaceAll)', () => {
    const local = new Gazetteer(entries);
    expect(local.match('zephyr trail runner')).toEqual([]);
    local.upsert([{ id: 'NEW-1', name: 'Zephyr Trail Runner', kind: 'product', aliases: ['zephyr'] }]);
    expect(local.match('the zephyr trail runners please')[0]).toMatchObject({ id: 'NEW-1', coverage: 1 });
    local.upsert([{ id: 'NEW-1', name: 'Zephyr Road Racer', kind: 'product' }]);
    expect(local.match('zephyr road racer')[0]?.name).toBe('Zephyr Road Racer');
    expect(local.match('trail runner').some((m) => m.id === 'NEW-1')).toBe(false);
    local.remove(['NEW-1']);
    expect(local.match('zephyr road racer')).toEqual([]);
    local.replaceAll([{ id: 'only', name: 'Espresso Grinder', kind: 'product' }]);
    expect(local.size).toBe(1);
    expect(local.match('espresso grinders')[0]?.id).toBe('only');
  });
});

describe('extractEntities', () => {
  it('combines every extractor', () => {
    const gazetteer = new Gazetteer([{ id: 'c1', name: 'Running Shoes', kind: 'category' }]);
    const e = extractEntities('red running shoes in size 42 under $80, bought since March', {
      gazetteer,
      now: NOW,
    });
    expect(e.priceRange).toMatchObject({ max: 80, currency: 'USD' });
    expect(e.colours.map((c) => c.value)).toEqual(['red']);
    expect(e.sizes.map((s) => s.value)).toEqual(['42']);
    expect(e.dates[0]?.from.slice(0, 10)).toBe('2026-03-01');
    expect(e.catalog[0]?.id).toBe('c1');
  });

  it.each([
    ['empty', ''],
    ['whitespace', '   \n\t '],
    ['control characters', '\u0000\u0007\u001b[31m under $50'],
    ['emoji only', '😀😀🔥'],
    ['mixed scripts', 'Привет 你好 under $50'],
    ['100 kB', `${'lorem ipsum '.repeat(9_000)} under $50`],
  ])('never throws on %s', (_name, text) => {
    expect(() => extractEntities(text, { now: NOW })).not.toThrow();
  });

  it('returns clear empty results for odd input', () => {
    expect(extractEntities('')).toEqual({
      money: [],
      priceRange: null,
      numbers: [],
      dates: [],
      colours: [],
      sizes: [],
      catalog: [],
    });
    expect(extractEntities(undefined).priceRange).toBeNull();
    expect(extractEntities('\u0000\u0007 under $50').priceRange).toMatchObject({ max: 50 });
    expect(extractEntities('Привет 你好 under $50').priceRange).toMatchObject({ max: 50, currency: 'USD' });
  });
});
