import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildCatalogVocabulary,
  compileHardFilters,
  mulberry32,
  parseProductQuery,
  toCatalogProduct,
  ZProductRow,
  type CatalogProduct,
} from '../../recsys/index.js';

// The parser over the whole demo catalog: every variant of every product type, asked for in three
// phrasings, and seeded one-letter typos of every type name.
const demo: CatalogProduct[] = (
  JSON.parse(
    readFileSync(resolve(import.meta.dirname, '../../recsys/demo/catalog.json'), 'utf8'),
  ) as unknown[]
).map((row) => toCatalogProduct(ZProductRow.parse(row)));
const vocab = buildCatalogVocabulary(demo);

describe('parseProductQuery on every demo product variant', () => {
  it('reads "<value> <type>", "<type> <value>" and "<type> in <value>" into that type and a filter the product meets', () => {
    const wrong: string[] = [];
    for (const p of demo) {
      const facts = vocab.facts.get(p.sku)!;
      const type = vocab.types.get(facts.type)!;
      for (const value of Object.values(p.attributes).map(String)) {
        for (const text of [`${value} ${type.name}`, `${type.name} ${value}`, `${type.name} in ${value}`]) {
          const q = parseProductQuery(text, vocab);
          const constrained = q.colour !== undefined || q.sizes.length > 0 || q.attributes.length > 0;
          const failed = compileHardFilters(q, vocab)(p, facts);
          if (q.types.map((t) => t.key).join() !== type.key || !constrained || failed.length > 0)
            wrong.push(text);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('recovers the type from one-letter typos (dropped, swapped or replaced letters)', () => {
    const random = mulberry32(5);
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    let tried = 0;
    const missed: string[] = [];
    for (const type of vocab.types.values()) {
      const words = type.name.toLowerCase().split(' ');
      for (let k = 0; k < 6; k++) {
        const at = words.length - 1 - Math.floor(random() * Math.min(2, words.length));
        const w = words[at]!;
        if (w.length < 5) continue;
        const i = 1 + Math.floor(random() * (w.length - 2));
        const edit = Math.floor(random() * 3);
        const typo =
          edit === 0
            ? w.slice(0, i) + w.slice(i + 1)
            : edit === 1
              ? w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2)
              : w.slice(0, i) + letters[Math.floor(random() * 26)] + w.slice(i + 1);
        const text = words.map((x, j) => (j === at ? typo : x)).join(' ');
        tried++;
        if (!parseProductQuery(text, vocab).types.some((t) => t.key === type.key)) missed.push(text);
      }
    }
    expect(tried).toBeGreaterThan(150);
    // a typo that makes another real word ("shoes" → "shes") may stay unrecognised
    expect(missed.length / tried).toBeLessThan(0.02);
  });
});

describe('a tag word that is part of one type name', () => {
  it('names that type when said as a noun, and stays a soft hint when it describes', () => {
    const typesOf = (text: string) => parseProductQuery(text, vocab).types.map((t) => t.name);
    expect(typesOf('grey fleece')).toEqual(['Fleece Midlayer']);
    expect(typesOf('fleece under $50')).toEqual(['Fleece Midlayer']);
    const vague = parseProductQuery('something fleece', vocab);
    expect(vague.types).toEqual([]);
    expect(vague.likelyTypes.map((t) => t.name)).toEqual(['Fleece Midlayer']);
  });
});

describe('typo correction beside everyday English', () => {
  it('leaves real words alone unless the word before makes the correction a product type', async () => {
    const { everydayEnglishWords } = await import('../../nlu/index.js');
    const withEnglish = buildCatalogVocabulary(demo, await everydayEnglishWords());
    const corrections = (text: string) => parseProductQuery(text, withEnglish).corrections.map((c) => c.to);
    expect(corrections('something to keep my coffee hot on the train')).toEqual([]);
    expect(corrections('can I return shoes I wore once')).toEqual([]);
    expect(corrections('yoga matt')).toEqual(['mat']);
    expect(corrections('hedphones')).toEqual(['headphone']);
    // without the word list, "train" was read as a typo of "trail"
    expect(parseProductQuery('coffee hot on the train', vocab).corrections.map((c) => c.to)).toEqual([
      'trail',
    ]);
  });
});
