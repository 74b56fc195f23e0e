import { readFile, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArtifactError } from '../../recsys/errors.js';
import { leaveOneOut, withFallback } from '../../recsys/evaluation.js';
import { ItemKnn } from '../../recsys/item-knn.js';
import { PopularityRecommender } from '../../recsys/popularity.js';
import { RuleSet } from '../../recsys/rule-set.js';
import { rewriteAsLegacy } from '../support/legacy-manifests.js';
import { suiteTempDir } from '../support/temp-dir.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const groceries = readFileSync(resolve(repoRoot, '../shared/data/groceries/groceries.csv'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => l.split(','));

const tmp = suiteTempDir('recsys-basket-');

describe('RuleSet', () => {
  const rules = RuleSet.train(groceries, { minSupport: 0.006, minConfidence: 0.25 });

  it('recommends the consequents of rules whose left side is in the basket, with a reason', () => {
    const recs = rules.recommend(['citrus fruit', 'root vegetables'], 5);
    expect(recs[0]!.item).toBe('other vegetables');
    expect(recs[0]!.score).toBeCloseTo(0.586, 3);
    expect(recs[0]!.reason).toBe(
      'Often bought together: 59% of orders with citrus fruit and root vegetables also had other vegetables (3.0× the usual rate)',
    );
    for (const r of recs) expect(r.reason.length).toBeGreaterThan(10);
    expect(recs.map((r) => r.item)).not.toContain('citrus fruit');
  });

  it('returns nothing for a basket no rule covers', () => {
    expect(rules.recommend(['no such item'], 5)).toEqual([]);
  });

  it('round-trips through persist and load with identical recommendations', async () => {
    const folder = tmp.join('rules');
    await rules.persist(folder);
    const loaded = await RuleSet.load(folder);
    expect(loaded.rules).toHaveLength(463);
    for (const basket of [['whole milk'], ['yogurt', 'tropical fruit'], ['herbs']]) {
      expect(loaded.recommend(basket, 10)).toEqual(rules.recommend(basket, 10));
    }
    const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ kind: 'association-rules', metrics: { count: 463 } });
  });

  it('loads a folder saved with the recsys manifest format of before the common one', async () => {
    const folder = tmp.join('rules-legacy');
    await rules.persist(folder);
    const legacy = await rewriteAsLegacy(folder, 'recsys');
    expect(legacy).toMatchObject({ encoderId: null, extra: {}, parameters: rules.parameters });
    const loaded = await RuleSet.load(folder);
    expect(loaded.parameters).toEqual(rules.parameters);
    expect(loaded.recommend(['yogurt', 'tropical fruit'], 10)).toEqual(
      rules.recommend(['yogurt', 'tropical fruit'], 10),
    );
    await writeFile(join(folder, 'rules.json'), '[]');
    await expect(RuleSet.load(folder)).rejects.toThrow(/rules\.json/);
  });

  it('refuses a tampered or missing rules file, naming it', async () => {
    const folder = tmp.join('rules-bad');
    await rules.persist(folder);
    await writeFile(join(folder, 'rules.json'), '[]');
    await expect(RuleSet.load(folder)).rejects.toThrow(/rules\.json: checksum/);
    await expect(RuleSet.load(tmp.join('nowhere'))).rejects.toBeInstanceOf(ArtifactError);
  });
});

describe('ItemKnn', () => {
  const baskets = [['a', 'b'], ['a', 'b'], ['a', 'c'], ['b']];

  it('scores by cosine similarity of item columns (hand-computed)', () => {
    const knn = ItemKnn.train(baskets);
    const recs = knn.recommend(['a'], 5);
    expect(recs.map((r) => r.item)).toEqual(['b', 'c']);
    expect(recs[0]!.score).toBeCloseTo(2 / 3, 10); // co(a,b)=2 / sqrt(3·3)
    expect(recs[1]!.score).toBeCloseTo(1 / Math.sqrt(3), 10); // co(a,c)=1 / sqrt(3·1)
    expect(recs[0]!.reason).toBe('Customers who bought a also bought this');
    expect(knn.recommend(['b'], 5).map((r) => r.item)).toEqual(['a']); // b and c never co-occur
  });

  it('uses weights and the asymmetric exponent', () => {
    const knn = ItemKnn.train(baskets, { alpha: 1 });
    const recs = knn.recommend(['a'], 5);
    expect(recs[0]!.score).toBeCloseTo(2 / 3, 10); // co / n_a
    expect(recs[1]!.score).toBeCloseTo(1 / 3, 10);
    const weighted = ItemKnn.train([{ items: ['x', 'y'], weights: [3, 1] }, { items: ['x', 'z'] }]);
    // co(x,y)=3, n_x=9+1, n_y=1 → 3/sqrt(10); co(x,z)=1, n_z=1 → 1/sqrt(10)
    expect(weighted.recommend(['x'], 2).map((r) => [r.item, Number(r.score.toFixed(6))])).toEqual([
      ['y', Number((3 / Math.sqrt(10)).toFixed(6))],
      ['z', Number((1 / Math.sqrt(10)).toFixed(6))],
    ]);
  });

  it('names the strongest contributing item through nameOf', () => {
    const knn = ItemKnn.train(groceries.slice(0, 2000));
    const recs = knn.recommend(['whole milk', 'yogurt'], 3, (s) => s.toUpperCase());
    expect(recs).toHaveLength(3);
    expect(recs[0]!.reason).toMatch(/^Customers who bought (WHOLE MILK|YOGURT) also bought this$/);
  });

  it('round-trips through persist and load with identical recommendations', async () => {
    const knn = ItemKnn.train(groceries.slice(0, 2000), { neighbours: 20, alpha: 0.8 });
    await knn.persist(tmp.join('knn'));
    const loaded = await ItemKnn.load(tmp.join('knn'));
    expect(loaded.parameters).toEqual(knn.parameters);
    for (const basket of [['whole milk'], ['beef', 'pork'], ['coffee']]) {
      expect(loaded.recommend(basket, 10)).toEqual(knn.recommend(basket, 10));
    }
  });
});

describe('PopularityRecommender', () => {
  it('ranks by basket count and skips items already in the basket', () => {
    const pop = PopularityRecommender.train([['a', 'b'], ['a'], ['a', 'c', 'c'], ['b']]);
    expect(pop.recommend([], 3).map((r) => r.item)).toEqual(['a', 'b', 'c']);
    expect(pop.recommend(['a'], 3).map((r) => r.item)).toEqual(['b', 'c']);
    expect(pop.recommend([], 1)[0]!.reason).toBe('A best-seller: in 75% of all orders');
  });
});

describe('leave-one-out evaluation', () => {
  const subset = groceries.slice(0, 3000);
  const rows = leaveOneOut(subset, [
    { name: 'popularity', train: (b) => PopularityRecommender.train(b) },
    { name: 'item-knn', train: (b) => ItemKnn.train(b, { alpha: 0.9 }) },
    { name: 'rules', train: (b) => RuleSet.train(b, { minSupport: 0.006, minConfidence: 0.25 }) },
    {
      name: 'rules+popularity',
      train: (b) =>
        withFallback(
          RuleSet.train(b, { minSupport: 0.002, minConfidence: 0.1 }),
          PopularityRecommender.train(b),
        ),
    },
  ]);

  it('evaluates the same cases for every method, with metrics in range', () => {
    const cases = subset.filter((b) => new Set(b).size >= 2).length;
    for (const row of rows) {
      expect(row.cases).toBe(cases);
      expect(row.recallAtK).toBeGreaterThanOrEqual(row.ndcgAtK);
      expect(row.recallAtK).toBeLessThanOrEqual(1);
    }
  });

  it('gives real signal: popularity and item-kNN well above chance, rules alone limited by coverage', () => {
    const [pop, knn, rules, hybrid] = rows;
    const chance = 10 / 169;
    expect(pop!.recallAtK).toBeGreaterThan(3 * chance);
    expect(knn!.recallAtK).toBeGreaterThan(3 * chance);
    expect(rules!.shortLists).toBeGreaterThan(0.9); // 463 rules rarely fill 10 slots
    expect(hybrid!.shortLists).toBe(0);
  });

  it('is repeatable for a given seed', () => {
    const again = leaveOneOut(subset, [{ name: 'popularity', train: (b) => PopularityRecommender.train(b) }]);
    expect(again[0]).toEqual(rows[0]);
  });
});
