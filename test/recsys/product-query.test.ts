import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildCatalogVocabulary,
  parsePrice,
  parseProductQuery,
  toCatalogProduct,
  ZProductRow,
  type CatalogProduct,
} from '../../recsys/index.js';
import { product } from './fixtures.js';

// The parser against the shipped demo catalog's vocabulary (pure, no index, no encoder).
const demo: CatalogProduct[] = (
  JSON.parse(
    readFileSync(resolve(import.meta.dirname, '../../recsys/demo/catalog.json'), 'utf8'),
  ) as unknown[]
).map((row) => toCatalogProduct(ZProductRow.parse(row)));
const vocab = buildCatalogVocabulary(demo);
const parse = (text: string) => parseProductQuery(text, vocab);
const typeNames = (text: string) => parse(text).types.map((t) => t.name);

describe('catalog vocabulary', () => {
  it('reads product types from names without brand, adjective or variant', () => {
    const names = [...vocab.types.values()].map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'Rain Jacket',
        'Running Jacket',
        'Coffee Beans',
        'USB-C Cable',
        'Paper Coffee Filters',
      ]),
    );
    expect(vocab.types.size).toBe(48);
    expect(vocab.types.get('rain jacket')!.head).toBe('jacket');
  });

  it('uses an explicit product type attribute and keeps an adjective-less name whole', () => {
    const v = buildCatalogVocabulary([
      product('A', { name: 'Acme Packable Rain Jacket, red', brand: 'Acme' }),
      product('B', { name: 'Acme Rain Jacket, blue', brand: 'Acme' }),
      product('C', { name: 'Tent for two', attributes: { productType: 'Tent' } }),
    ]);
    expect([...v.types.keys()].sort()).toEqual(['rain jacket', 'tent']);
  });
});

describe('parseProductQuery', () => {
  it('finds the product type by name, head noun, synonym and despite typos', () => {
    expect(typeNames('coffee filters')).toEqual(['Paper Coffee Filters']);
    expect(typeNames('frothing jug')).toEqual(['Milk Frothing Jug']);
    expect(typeNames('boots')).toEqual(['Hiking Boots']);
    expect(typeNames('a jacket')).toEqual(['Rain Jacket', 'Running Jacket']);
    expect(typeNames('running jacket')).toEqual(['Running Jacket']);
    expect(typeNames('sneakers')).toEqual(['Trail Running Shoes']);
    expect(typeNames('a backpack')).toEqual(['Daypack']);
    const typo = parse('hedphones');
    expect(typo.types.map((t) => t.name)).toEqual(['Wireless Earbuds']);
    expect(typo.corrections).toEqual([{ from: 'hedphones', to: 'headphone' }]);
    expect(typeNames('expresso machine')).toEqual(['Espresso Machine']);
    expect(typeNames('usb c cable')).toEqual(['USB-C Cable']);
  });

  it('takes the last noun of a compound and keeps volumes and numbers apart from sizes', () => {
    expect(typeNames('boot wax')).toEqual(['Boot Waterproofing Wax']);
    expect(typeNames('a bottle of ink')).toEqual(['Bottled Ink']);
    expect(parse('30 L daypack')).toMatchObject({ sizes: [], attributes: [{ said: '30 l' }] });
    expect(parse('1 litre water bottle').sizes).toEqual(['1 l']);
    expect(parse('20,000mAh power bank').attributes).toEqual([
      { said: '20000 mah', attributes: ['capacity'] },
    ]);
  });

  it('corrects typos to the product or filter word with the most letters in common', () => {
    expect(parse('gren yoga mat').colour?.families).toEqual(['green']);
    expect(typeNames('yoga matt')).toEqual(['Yoga Mat']);
    expect(typeNames('floating shelves')).toEqual(['Floating Shelf']);
    // verb forms of catalog words are not typos
    expect(parse('keep my phone charged').corrections).toEqual([]);
  });

  it('treats a tag as a likely type, not a required one', () => {
    const q = parse('something wireless');
    expect(q.types).toEqual([]);
    expect(q.likelyTypes.map((t) => t.name)).toEqual(['Wireless Earbuds']);
  });

  it('does not turn a different word into a catalog word', () => {
    const q = parse('bluetooth speaker');
    expect(q.types).toEqual([]);
    expect(q.corrections).toEqual([]);
    expect(q.missing).toBe('speaker');
  });

  it('reads colour, size, attribute values, brand and category as hard filters', () => {
    const mat = parse('green yoga mat');
    expect(mat.colour).toMatchObject({ said: ['green'], families: ['green'] });
    expect(parse('size L rain jacket').sizes).toEqual(expect.arrayContaining(['l']));
    expect(parse('trail running shoes size 42').sizes).toEqual(['42']);
    expect(parse('dark roast coffee beans').attributes).toEqual([
      { said: 'dark roast', attributes: ['roast'] },
    ]);
    expect(parse('Cragline jacket').brands).toEqual(['Cragline']);
    expect(parse('anything in footwear').categories).toEqual(['Footwear']);
    // "cork" is a material of yoga blocks, only a describing word for mats
    expect(parse('cork yoga block').attributes).toHaveLength(1);
    expect(parse('cork yoga mat').attributes).toEqual([]);
    expect(parse('cork yoga mat').soft).toContain('cork');
  });

  it('reads price ranges and soft preferences', () => {
    expect(parse('boots under $50')).toMatchObject({ priceMax: 50 });
    expect(parse('earbuds between 50 and 100')).toMatchObject({ priceMin: 50, priceMax: 100 });
    expect(parse('cheap kettle').sort).toBe('price-asc');
    const gift = parse('gift for a writer');
    expect(gift).toMatchObject({ gift: true, uses: ['writer'], types: [] });
    expect(gift.missing).toBeUndefined();
    expect(parse('something warm for winter').soft).toEqual(['warm']);
  });

  it('names what the catalog does not have', () => {
    expect(parse('sandals under 10')).toMatchObject({ missing: 'sandals', priceMax: 10, types: [] });
  });

  it('never turns odd input into a wrong filter', () => {
    for (const text of [
      '',
      '   ',
      '🙂🙂',
      'x'.repeat(5000),
      'shoes for $1e9',
      'mug under -5',
      'jacket $-5',
    ]) {
      const q = parse(text);
      expect(q.priceMax === undefined || q.priceMax > 0).toBe(true);
      expect(q.priceMin === undefined || q.priceMin >= 0).toBe(true);
    }
    expect(parse('shoes for $1e9')).toMatchObject({
      invalidPrice: '$1e9',
      types: [{ name: 'Trail Running Shoes' }],
    });
    expect(parse('mug under -5').invalidPrice).toBe('-5');
    expect(parse('mug under -5').priceMax).toBeUndefined();
  });
});

describe('parsePrice', () => {
  it.each([
    ['under $50', { max: 50 }],
    ['50 bucks or less', { max: 50 }],
    ['no more than 30 dollars', { max: 30 }],
    ['between 20 and 40', { min: 20, max: 40 }],
    ['$20-$40', { min: 20, max: 40 }],
    ['over 100', { min: 100 }],
    ['around 50', { min: 40, max: 60 }],
    ['a $25 mug', { max: 25 }],
  ])('%s', (text, expected) => {
    expect(parsePrice(text)).toMatchObject(expected);
  });

  it.each([
    'size 42 boots',
    '750 ml bottle',
    '8-in-1 hub',
    '20,000 mAh power bank',
    '3 pairs of socks',
    'E27 bulb',
  ])('%s has no price', (text) => {
    const p = parsePrice(text);
    expect([p.min, p.max]).toEqual([undefined, undefined]);
  });
});
