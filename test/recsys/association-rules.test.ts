import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mineRules, ruleKey } from '../../recsys/association-rules.js';
import { BadInputError } from '../../recsys/errors.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const groceriesFile = resolve(repoRoot, '../shared/data/groceries/groceries.csv');

// Hand-computed figures for this basket set are written next to each expectation.
const tiny = [
  ['milk', 'bread'],
  ['milk', 'bread', 'butter'],
  ['milk', 'butter'],
  ['bread'],
  ['milk', 'bread', 'butter'],
  ['beer', 'chips'],
  ['beer', 'chips', 'milk'],
  ['beer'],
];

describe('mineRules on a hand-computed basket set', () => {
  const result = mineRules(tiny, { minSupport: 0.25, minConfidence: 0.5 });
  const byKey = new Map(result.rules.map((r) => [ruleKey(r), r]));

  it('counts transactions and frequent itemsets', () => {
    // 5 items with count ≥ 2, 4 pairs (milk-bread, milk-butter, bread-butter, beer-chips), 1 triple
    expect(result.transactions).toBe(8);
    expect(result.itemsets).toBe(10);
    expect(result.rules).toHaveLength(11);
  });

  it('computes support, confidence and lift as arules does', () => {
    const expectRule = (key: string, support: number, confidence: number, lift: number) => {
      const rule = byKey.get(key);
      expect(rule, key).toBeDefined();
      expect(rule!.support).toBeCloseTo(support, 10);
      expect(rule!.confidence).toBeCloseTo(confidence, 10);
      expect(rule!.lift).toBeCloseTo(lift, 10);
    };
    expectRule('bread=>milk', 3 / 8, 3 / 4, 3 / 4 / (5 / 8)); // lift 1.2
    expectRule('milk=>bread', 3 / 8, 3 / 5, 3 / 5 / (4 / 8)); // lift 1.2
    expectRule('butter=>milk', 3 / 8, 1, 1 / (5 / 8)); // lift 1.6
    expectRule('bread=>butter', 2 / 8, 0.5, 0.5 / (3 / 8)); // confidence exactly at the threshold stays
    expectRule('chips=>beer', 2 / 8, 1, 1 / (3 / 8));
    expectRule('bread,milk=>butter', 2 / 8, 2 / 3, 2 / 3 / (3 / 8)); // lift 1.78
    expectRule('bread,butter=>milk', 2 / 8, 1, 1.6);
  });

  it('has one item on the right and at least one on the left, sorted by lift', () => {
    for (const rule of result.rules) {
      expect(rule.consequent).toHaveLength(1);
      expect(rule.antecedent.length).toBeGreaterThanOrEqual(1);
    }
    const lifts = result.rules.map((r) => r.lift);
    expect(lifts).toEqual([...lifts].sort((a, b) => b - a));
    expect(ruleKey(result.rules[0]!)).toBe('chips=>beer'); // lift 2.67, confidence 1 before beer=>chips
  });

  it('drops infrequent sets and low-confidence rules', () => {
    expect(byKey.has('beer=>milk')).toBe(false); // support 1/8 < 0.25
    const strict = mineRules(tiny, { minSupport: 0.25, minConfidence: 0.7 });
    expect(strict.rules.map(ruleKey).sort()).toEqual(
      ['bread=>milk', 'butter=>milk', 'chips=>beer', 'bread,butter=>milk'].sort(),
    );
  });

  it('ignores duplicates and blanks inside a basket and empty baskets', () => {
    const noisy = mineRules([...tiny.map((b) => [...b, b[0]!, ' ']), []], {
      minSupport: 0.25,
      minConfidence: 0.5,
    });
    expect(noisy.transactions).toBe(8);
    expect(noisy.rules.map(ruleKey)).toEqual(result.rules.map(ruleKey));
  });

  it('rejects out-of-range options', () => {
    expect(() => mineRules(tiny, { minSupport: 0, minConfidence: 0.5 })).toThrow(BadInputError);
    expect(() => mineRules(tiny, { minSupport: 0.1, minConfidence: 1.5 })).toThrow(/confidence|invalid/);
  });
});

describe('mineRules on the groceries data set', () => {
  const baskets = readFileSync(groceriesFile, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(','));
  const result = mineRules(baskets, { minSupport: 0.006, minConfidence: 0.25 });

  it('finds the same 463 rules as R arules at support 0.006 and confidence 0.25 (minlen 2)', () => {
    expect(result.transactions).toBe(9835);
    expect(result.rules).toHaveLength(463);
    for (const rule of result.rules) {
      expect(rule.consequent).toHaveLength(1);
      expect(rule.antecedent.length).toBeGreaterThanOrEqual(1);
      expect(rule.support).toBeGreaterThanOrEqual(0.006);
      expect(rule.confidence).toBeGreaterThanOrEqual(0.25);
    }
  });

  it('matches the published figures of individual rules', () => {
    const rule = result.rules.find((r) => ruleKey(r) === 'citrus fruit,root vegetables=>other vegetables');
    expect(rule!.confidence).toBeCloseTo(0.586, 3);
    expect(rule!.lift).toBeCloseTo(3.03, 2);
    // the top rule by lift in the arules walkthrough: {herbs} => {root vegetables}, lift 3.956
    expect(ruleKey(result.rules[0]!)).toBe('herbs=>root vegetables');
    expect(result.rules[0]!.lift).toBeCloseTo(3.956, 3);
  });
});
