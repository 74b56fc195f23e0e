import type { IntentPrediction } from './intent-classifier.js';

/** One labelled test row; `outOfScope` rows should be refused. */
export interface EvalRow {
  text: string;
  intent: string;
  outOfScope: boolean;
}

/** Scores of a classifier on a labelled test set (the `mkt nlu eval` contract). */
export interface IntentEvalReport {
  n: number;
  nInScope: number;
  nOutOfScope: number;
  /** Share of all rows answered right (in-scope: right intent; out-of-scope: refused). */
  accuracy: number;
  /** Macro-F1 over in-scope intents plus, when present, the out-of-scope class. */
  macroF1: number;
  /** Share of in-scope rows given the right intent (a refusal counts as wrong). */
  inScopeAccuracy: number;
  oosRecall: number | null;
  oosPrecision: number | null;
}

const OOS = '\u0000oos';

/** Computes accuracy, macro-F1 and out-of-scope recall/precision from predictions. */
export function scorePredictions(
  rows: readonly EvalRow[],
  predictions: readonly IntentPrediction[],
): IntentEvalReport {
  const gold = rows.map((r) => (r.outOfScope ? OOS : r.intent));
  const pred = predictions.map((p) => (p.outOfScope || p.intent === null ? OOS : p.intent));
  const classes = new Set(gold);
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  gold.forEach((g, i) => {
    const p = pred[i]!;
    if (g === p) inc(tp, g);
    else {
      inc(fp, p);
      inc(fn, g);
    }
  });
  let f1Sum = 0;
  for (const c of classes) {
    const t = tp.get(c) ?? 0;
    const denom = 2 * t + (fp.get(c) ?? 0) + (fn.get(c) ?? 0);
    f1Sum += denom ? (2 * t) / denom : 0;
  }
  const inScope = gold.flatMap((g, i) => (g === OOS ? [] : [i]));
  const oosIdx = gold.flatMap((g, i) => (g === OOS ? [i] : []));
  const flagged = pred.filter((p) => p === OOS).length;
  const caught = oosIdx.filter((i) => pred[i] === OOS).length;
  return {
    n: rows.length,
    nInScope: inScope.length,
    nOutOfScope: oosIdx.length,
    accuracy: rows.length ? gold.filter((g, i) => g === pred[i]).length / rows.length : 0,
    macroF1: classes.size ? f1Sum / classes.size : 0,
    inScopeAccuracy: inScope.length ? inScope.filter((i) => pred[i] === gold[i]).length / inScope.length : 0,
    oosRecall: oosIdx.length ? caught / oosIdx.length : null,
    oosPrecision: oosIdx.length ? (flagged ? caught / flagged : 0) : null,
  };
}

/** Value at quantile q (0..1) of a list of numbers, by nearest rank. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Accuracy and macro-F1 (over gold classes) of plain label predictions. */
export function classificationScores(
  gold: readonly string[],
  pred: readonly string[],
): { n: number; accuracy: number; macroF1: number } {
  const classes = new Set(gold);
  let f1Sum = 0;
  for (const c of classes) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    gold.forEach((g, i) => {
      if (g === c && pred[i] === c) tp++;
      else if (g === c) fn++;
      else if (pred[i] === c) fp++;
    });
    f1Sum += tp + fp + fn ? (2 * tp) / (2 * tp + fp + fn) : 0;
  }
  return {
    n: gold.length,
    accuracy: gold.length ? gold.filter((g, i) => g === pred[i]).length / gold.length : 0,
    macroF1: classes.size ? f1Sum / classes.size : 0,
  };
}
