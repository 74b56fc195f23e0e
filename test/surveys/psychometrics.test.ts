import { describe, expect, it } from 'vitest';
import {
  alphaFromCovariance,
  alphaFromVariances,
  buildNorms,
  covarianceMatrix,
  cronbachAlpha,
  csatShare,
  npsClass,
  npsScore,
  percentileRank,
  reverseKey,
  scoreTraits,
  shippedInstrument,
  simulateFactorData,
  zScore,
  instrumentReliability,
  type AnswerRecord,
} from '../../surveys/index.js';

const ans = (itemId: string, value: number | null, skipped = false): AnswerRecord => ({
  itemId,
  value,
  choices: [],
  text: null,
  skipped,
  sentiment: null,
});

describe('Cronbach alpha on a hand-computed matrix', () => {
  // 5 respondents × 3 items. By hand: item variances 1.3, 0.5, 0.2 (n−1); totals 12, 9, 14, 12, 14
  // with variance 4.2; alpha = 3/2 · (1 − 2.0/4.2) = 11/14. Without item 1: variances 0.5, 0.2,
  // covariance 0.25, total variance 1.2, alpha = 2 · (1 − 0.7/1.2) = 5/6. Item 1 vs. rest (items 2+3):
  // covariance 0.85, sds √1.3 and √1.2 → r = 0.85/√1.56 = 0.68054...
  const rows = [
    [3, 4, 5],
    [2, 3, 4],
    [4, 5, 5],
    [3, 4, 5],
    [5, 4, 5],
  ];
  it('gives the hand-computed alpha, alpha-if-deleted and corrected item-total r', () => {
    const r = cronbachAlpha(rows, ['i1', 'i2', 'i3']);
    expect(r.alpha).toBeCloseTo(11 / 14, 12);
    expect(r.items[0]!.alphaIfDeleted).toBeCloseTo(5 / 6, 12);
    expect(r.items[0]!.itemRestR).toBeCloseTo(0.85 / Math.sqrt(1.56), 12);
    expect(r.items[0]!.sd).toBeCloseTo(Math.sqrt(1.3), 12);
    expect(r.items.map((i) => i.mean)).toEqual([3.4, 4, 4.8]);
    expect(r.n).toBe(5);
  });
  it('variance formula and covariance formula agree', () => {
    expect(alphaFromVariances(rows)).toBeCloseTo(alphaFromCovariance(covarianceMatrix(rows)), 12);
  });
});

describe('Cronbach alpha against an independent implementation', () => {
  // 300 × 6 simulated responses (seed 42, items 3 and 6 reverse-worded); reference figures from
  // numpy (np.cov, np.corrcoef) computed once outside this project, after keying items 3 and 6.
  const sim = simulateFactorData({
    respondents: 300,
    factors: 1,
    itemsPerFactor: 6,
    min: 1,
    max: 5,
    loading: 0.6,
    reverseEvery: 3,
    missing: 0,
    seed: 42,
  });
  const keyed = sim.rows.map((r) => r.map((x, j) => (sim.items[j]!.reverse ? reverseKey(x, 1, 5) : x)));
  const r = cronbachAlpha(keyed);
  it('matches numpy to 1e-10', () => {
    expect(r.alpha).toBeCloseTo(0.7180145407318155, 10);
    expect(r.stdAlpha).toBeCloseTo(0.7190123698506286, 10);
    expect(r.items.map((i) => i.itemRestR)).toEqual(
      [
        0.4588442026926647, 0.5054538849399455, 0.41845083475890077, 0.5027874372994103, 0.41478858541706176,
        0.40753581128567246,
      ].map((v) => expect.closeTo(v, 10)),
    );
    expect(r.items.map((i) => i.alphaIfDeleted)).toEqual(
      [
        0.6775904877510481, 0.6640115238617474, 0.6889877319886001, 0.6635158986613079, 0.6901119018151811,
        0.6925100331485068,
      ].map((v) => expect.closeTo(v, 10)),
    );
  });
  it('unkeyed reverse items lower alpha and show negative item-rest correlations', () => {
    const raw = cronbachAlpha(sim.rows);
    expect(raw.alpha).toBeLessThan(r.alpha - 0.3);
    expect(raw.items[2]!.itemRestR).toBeLessThan(0);
  });
  it('properties: identical items give alpha 1; more parallel items raise alpha', () => {
    expect(
      cronbachAlpha([
        [1, 1],
        [2, 2],
        [4, 4],
        [3, 3],
      ]).alpha,
    ).toBeCloseTo(1, 12);
    // one factor, same loading, same respondents: only the number of items differs
    const alphaOf = (itemsPerFactor: number) =>
      cronbachAlpha(
        simulateFactorData({
          respondents: 2000,
          factors: 1,
          itemsPerFactor,
          min: 1,
          max: 5,
          loading: 0.6,
          reverseEvery: 0,
          missing: 0,
          seed: 1,
        }).rows,
      ).alpha;
    expect(alphaOf(12)).toBeGreaterThan(alphaOf(3) + 0.15);
  });
});

describe('scoring', () => {
  it('scores traits with reverse keying (min + max − x) on a shipped instrument', () => {
    const mini = shippedInstrument('mini-ipip-20');
    // extraversion: mini1 (+), mini6 (R), mini11 (+), mini16 (R)
    const s = scoreTraits(mini, [
      ans('mini1', 5),
      ans('mini6', 1),
      ans('mini11', 4),
      ans('mini16', 2),
      ans('mini5', 2),
      ans('mini10', 5, true),
    ]);
    expect(s.extraversion).toEqual({ score: (5 + 5 + 4 + 4) / 4, answered: 4, items: 4 });
    expect(s.intellect).toBeUndefined(); // 1 of 4 answered: below the 50% rule
    expect(reverseKey(2, 1, 6)).toBe(5);
  });
  it('NPS and CSAT', () => {
    expect(npsScore([10, 9, 8, 7, 6, 0, 10, 3, 9, 9])).toEqual({
      nps: 20,
      n: 10,
      promoters: 5,
      passives: 2,
      detractors: 3,
    });
    expect([0, 6, 7, 8, 9, 10].map(npsClass)).toEqual([
      'detractor',
      'detractor',
      'passive',
      'passive',
      'promoter',
      'promoter',
    ]);
    expect(csatShare([5, 4, 3, 2, 5])).toEqual({ csat: 60, n: 5, satisfied: 3 });
  });
  it('norms: mid-rank percentiles and z-scores', () => {
    const norms = buildNorms([1, 2, 2, 3, 4, 5, 5, 5, 6, 7]);
    expect(percentileRank(norms, 5)).toBe(65); // 5 below + half of 3 equal → 6.5 / 10
    expect(percentileRank(norms, 0)).toBe(0);
    expect(percentileRank(norms, 8)).toBe(100);
    expect(norms.mean).toBe(4);
    expect(zScore(norms, 4)).toBe(0);
  });
  it('reliability per trait from stored answers, listwise', () => {
    const pm = shippedInstrument('purchase-motivation');
    const sim = simulateFactorData({
      respondents: 200,
      factors: 4,
      itemsPerFactor: 4,
      min: 1,
      max: 5,
      loading: 0.7,
      reverseEvery: 4,
      missing: 0.02,
      seed: 3,
    });
    const ids = ['pc', 'bl', 'ns', 'si'].flatMap((p) => [1, 2, 3, 4].map((i) => `${p}${i}`));
    const respondents = sim.rows.map((row) =>
      row.map((v, j) => ans(ids[j]!, Number.isNaN(v) ? null : v, Number.isNaN(v))),
    );
    const rel = instrumentReliability(pm, respondents);
    for (const t of ['price', 'loyalty', 'novelty', 'social']) {
      expect(rel[t]!.alpha).toBeGreaterThan(0.6);
      expect(rel[t]!.n).toBeLessThan(200);
      expect(rel[t]!.items.every((i) => i.itemRestR > 0)).toBe(true); // keying matches the simulated wording
    }
  });
});
