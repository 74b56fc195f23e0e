import type { AnswerRecord } from './flow.js';
import type { Instrument } from './instrument.js';
import { cronbachAlpha, reverseKey, type AlphaResult } from './psychometrics.js';

/** One trait score: the mean of the keyed items answered. */
export interface TraitScore {
  score: number;
  answered: number;
  items: number;
}

/** Share of a trait's items that must be answered for a score (prorated mean below that is too noisy). */
export const MIN_ANSWERED_SHARE = 0.5;

/** Trait scores of one respondent: mean of keyed items, reverse items as min+max−x. */
export function scoreTraits(
  instrument: Instrument,
  answers: readonly AnswerRecord[],
): Record<string, TraitScore> {
  const byItem = new Map(answers.map((a) => [a.itemId, a]));
  const sums = new Map<string, { sum: number; answered: number; items: number }>();
  for (const item of instrument.items) {
    if (item.type !== 'likert' || !item.trait) continue;
    const acc = sums.get(item.trait) ?? { sum: 0, answered: 0, items: 0 };
    acc.items++;
    const a = byItem.get(item.id);
    const scale = instrument.responseScales[item.scale];
    if (a && !a.skipped && a.value !== null && scale) {
      acc.sum += item.reverse ? reverseKey(a.value, scale.min, scale.max) : a.value;
      acc.answered++;
    }
    sums.set(item.trait, acc);
  }
  const out: Record<string, TraitScore> = {};
  for (const [trait, s] of sums)
    if (s.answered > 0 && s.answered / s.items >= MIN_ANSWERED_SHARE)
      out[trait] = { score: s.sum / s.answered, answered: s.answered, items: s.items };
  return out;
}

/** NPS class of a 0–10 answer. */
export function npsClass(value: number): 'promoter' | 'passive' | 'detractor' {
  return value >= 9 ? 'promoter' : value >= 7 ? 'passive' : 'detractor';
}

/** Net Promoter Score: % promoters (9–10) − % detractors (0–6), in −100…100. */
export function npsScore(values: readonly number[]): {
  nps: number;
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
} {
  const counts = { promoter: 0, passive: 0, detractor: 0 };
  for (const v of values) counts[npsClass(v)]++;
  const n = values.length;
  const nps = n === 0 ? NaN : (100 * (counts.promoter - counts.detractor)) / n;
  return { nps, n, promoters: counts.promoter, passives: counts.passive, detractors: counts.detractor };
}

/** CSAT: share (%) of answers at or above `threshold` (4 on 1–5: satisfied or very satisfied). */
export function csatShare(
  values: readonly number[],
  threshold = 4,
): { csat: number; n: number; satisfied: number } {
  const satisfied = values.filter((v) => v >= threshold).length;
  return { csat: values.length === 0 ? NaN : (100 * satisfied) / values.length, n: values.length, satisfied };
}

/** Population norms of one score, for percentiles and z-scores. */
export interface Norms {
  n: number;
  mean: number;
  sd: number;
  sorted: number[];
}

/** Builds norms from the collected population's scores. */
export function buildNorms(scores: readonly number[]): Norms {
  const sorted = [...scores].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(sorted.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  return { n, mean, sd, sorted };
}

/** Percentile rank (mid-rank definition): % below plus half the % equal. */
export function percentileRank(norms: Norms, x: number): number {
  let below = 0;
  let equal = 0;
  for (const v of norms.sorted) {
    if (v < x) below++;
    else if (v === x) equal++;
    else break;
  }
  return (100 * (below + equal / 2)) / norms.n;
}

/** Standard score against the norms. */
export function zScore(norms: Norms, x: number): number {
  return (x - norms.mean) / norms.sd;
}

/** Alpha for each trait of an instrument over many respondents (listwise per trait, items keyed). */
export function instrumentReliability(
  instrument: Instrument,
  respondents: readonly (readonly AnswerRecord[])[],
): Record<string, AlphaResult | null> {
  const traits = new Map<string, { id: string; reverse: boolean; min: number; max: number }[]>();
  for (const item of instrument.items) {
    if (item.type !== 'likert' || !item.trait) continue;
    const s = instrument.responseScales[item.scale]!;
    traits.set(item.trait, [
      ...(traits.get(item.trait) ?? []),
      { id: item.id, reverse: item.reverse, min: s.min, max: s.max },
    ]);
  }
  const out: Record<string, AlphaResult | null> = {};
  for (const [trait, items] of traits) {
    const rows: number[][] = [];
    for (const answers of respondents) {
      const byItem = new Map(answers.map((a) => [a.itemId, a]));
      const row = items.map((it) => {
        const v = byItem.get(it.id)?.value;
        return v === null || v === undefined ? NaN : it.reverse ? reverseKey(v, it.min, it.max) : v;
      });
      if (row.every(Number.isFinite)) rows.push(row);
    }
    out[trait] =
      rows.length >= 2 && items.length >= 2
        ? cronbachAlpha(
            rows,
            items.map((i) => i.id),
          )
        : null;
  }
  return out;
}
