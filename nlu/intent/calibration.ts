// Validation-time decisions of the intent classifier: which rows validate, which intents play
// "unknown" (pseudo out-of-scope), how to weight the two heads, and where the out-of-scope
// threshold sits. All pure functions so that they are unit-testable and deterministic.
import { createHash } from 'node:crypto';
import type { IntentExample } from './training-data.js';
import { mulberry32, shuffleInPlace } from '../../random/index.js';

/**
 * Deterministic validation split: an example validates when the hash of (intent, text) falls in
 * the first `fraction` of the hash space, so an example keeps its side when data is added
 * (which keeps validation scores of successive model versions comparable). Every intent keeps
 * at least one training example.
 */
export function validationMask(examples: readonly IntentExample[], fraction: number): boolean[] {
  const mask = examples.map((e) => {
    const h = createHash('sha1').update(`${e.intent}\u0000${e.text}`).digest();
    return h.readUInt32BE(0) / 2 ** 32 < fraction;
  });
  const trainCount = new Map<string, number>();
  examples.forEach((e, i) => {
    if (!mask[i]) trainCount.set(e.intent, (trainCount.get(e.intent) ?? 0) + 1);
  });
  examples.forEach((e, i) => {
    if (mask[i] && !trainCount.get(e.intent)) {
      mask[i] = false;
      trainCount.set(e.intent, 1);
    }
  });
  return mask;
}

/** Splits intents into `rounds` disjoint groups of pseudo out-of-scope intents (seeded). */
export function pseudoOosGroups(
  intents: readonly string[],
  fraction: number,
  rounds: number,
  seed: number,
): string[][] {
  const pool = shuffleInPlace([...intents].sort(), mulberry32(seed));
  // Leave at least two intents in scope in every round.
  const size = Math.min(Math.max(1, Math.round(intents.length * fraction)), intents.length - 2);
  const groups: string[][] = [];
  for (let r = 0; r < rounds && size > 0 && (r + 1) * size <= pool.length; r++)
    groups.push(pool.slice(r * size, (r + 1) * size));
  return groups;
}

/** Per-row validation outcome of a calibration model after fusion. */
export interface ScoredRow {
  /** Highest fused probability. */
  confidence: number;
  /** True for in-scope rows whose top intent is right; always false for out-of-scope rows. */
  correct: boolean;
  outOfScope: boolean;
}

/** Threshold choice and the validation figures it gives. */
export interface ThresholdChoice {
  threshold: number;
  criterion: string;
  inScopeAccuracy: number;
  inScopeAccuracyWithThreshold: number;
  oosRecall: number;
  oosPrecision: number;
}

/**
 * Chooses the out-of-scope threshold on validation rows: the threshold with the highest
 * out-of-scope recall whose in-scope accuracy drop (correct in-scope answers turned into
 * "out of scope") stays within `maxInScopeDrop`; ties go to the lower threshold. This is the
 * trade-off the product asks for (catch unknown requests without losing known ones).
 * Without out-of-scope validation rows, the threshold is the largest one within the drop budget.
 */
export function chooseThreshold(rows: readonly ScoredRow[], maxInScopeDrop: number): ThresholdChoice {
  const inScope = rows.filter((r) => !r.outOfScope);
  const oos = rows.filter((r) => r.outOfScope);
  const nIn = Math.max(1, inScope.length);
  const baseCorrect = inScope.filter((r) => r.correct).length;
  // Candidate thresholds: midpoints between sorted distinct confidences, plus 0.
  const confs = [...new Set(rows.map((r) => r.confidence))].sort((a, b) => a - b);
  const candidates = [0, ...confs.slice(1).map((c, i) => (c + confs[i]!) / 2)];
  let best: ThresholdChoice | undefined;
  for (const threshold of candidates) {
    const lostCorrect = inScope.filter((r) => r.correct && r.confidence < threshold).length;
    if (lostCorrect / nIn > maxInScopeDrop + 1e-12) break; // drop only grows with the threshold
    const caught = oos.filter((r) => r.confidence < threshold).length;
    const flagged = rows.filter((r) => r.confidence < threshold).length;
    const choice: ThresholdChoice = {
      threshold,
      criterion: `max out-of-scope recall with in-scope accuracy drop <= ${maxInScopeDrop}`,
      inScopeAccuracy: baseCorrect / nIn,
      inScopeAccuracyWithThreshold: (baseCorrect - lostCorrect) / nIn,
      oosRecall: oos.length ? caught / oos.length : 0,
      oosPrecision: flagged ? caught / flagged : 0,
    };
    if (!best || choice.oosRecall > best.oosRecall || (oos.length === 0 && threshold > best.threshold))
      best = choice;
  }
  return best!;
}

/**
 * Fuses two heads' log-probabilities with weight `w` on the first, plus `beta` times per-intent
 * neighbour scores when given (see neighbour-vote.ts), renormalised to probabilities.
 */
export function fuse(
  a: Float32Array,
  b: Float32Array,
  w: number,
  neighbours?: Float32Array,
  beta = 0,
): Float32Array {
  const out = new Float32Array(a.length);
  let max = -Infinity;
  for (let c = 0; c < a.length; c++) {
    out[c] = w * a[c]! + (1 - w) * b[c]! + (neighbours && beta ? beta * neighbours[c]! : 0);
    if (out[c]! > max) max = out[c]!;
  }
  let sum = 0;
  for (let c = 0; c < out.length; c++) sum += out[c] = Math.exp(out[c]! - max);
  for (let c = 0; c < out.length; c++) out[c]! /= sum;
  return out;
}

/** How the heads are fused: weight on the lexical head and on the neighbour vote. */
export interface FusionChoice {
  weight: number;
  neighbourWeight: number;
}

/** Neighbour-vote weights tried (0 = off); the vote is a cosine, so 6 moves a log-probability by up to ~6. */
export const NEIGHBOUR_WEIGHTS = [0, 2, 4, 6, 8, 10] as const;

/**
 * Weights that maximise validation accuracy: the lexical weight on a grid of tenths (ties prefer
 * 0.5) and, when rows carry neighbour scores, the neighbour weight (ties prefer no vote).
 */
export function chooseFusion(
  rows: ReadonlyArray<{
    lexical: Float32Array;
    semantic: Float32Array;
    neighbours?: Float32Array;
    label: number;
  }>,
): FusionChoice {
  const betas = rows.every((r) => r.neighbours) ? NEIGHBOUR_WEIGHTS : [0];
  let best = { weight: 0.5, neighbourWeight: 0, correct: -1 };
  for (const beta of betas) {
    for (const w of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9, 0, 1]) {
      const correct = rows.filter(
        (r) => argmax(fuse(r.lexical, r.semantic, w, r.neighbours, beta)) === r.label,
      ).length;
      if (correct > best.correct) best = { weight: w, neighbourWeight: beta, correct };
    }
  }
  return { weight: best.weight, neighbourWeight: best.neighbourWeight };
}

/** Index of the largest value. */
export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}
