import { z } from 'zod';
import {
  fitConfidenceModel,
  modelConfidence,
  ZConfidenceModel,
  type GateFeatureName,
  type GateFeatures,
  type LabelledFeatures,
} from './confidence.js';
import { innerFoldOf } from './folds.js';

/** The confidence gate: answers whose confidence is below `threshold` are refused. */
export const ZGate = z.object({
  /**
   * Minimum confidence: the model's probability when the gate has one, else the margin (fused
   * score of the best document minus the second's; gates calibrated before the model had none).
   */
  threshold: z.number(),
  /** The learned confidence (absent: the margin is the confidence). */
  model: ZConfidenceModel.optional(),
  /** Precision the threshold was chosen for on the held-out questions. */
  targetPrecision: z.number().min(0).max(1),
  /** Held-out questions it was calibrated on. */
  calibratedOn: z.number().int().nonnegative(),
  /** Precision and answered rate on those questions at the threshold. */
  precision: z.number(),
  answeredRate: z.number(),
});
/** The confidence gate. */
export type Gate = z.infer<typeof ZGate>;

/** One held-out question's outcome: its confidence and whether the top document was right. */
export interface GateRow {
  confidence: number;
  correct: boolean;
}

/** Default precision the gate aims for when answering. */
export const DEFAULT_TARGET_PRECISION = 0.9;

/**
 * z of the Wilson bound the calibration requires to reach the target (one standard error): a
 * threshold picked where the held-out precision only just touches 0.90 lands on either side of it
 * on new questions (StackFAQ two-fold: 0.899 at z = 0; 0.912 at z = 1). z = 1.645 (95 %) gave
 * 0.925 on StackFAQ but answers nothing on a small help centre's ~30 held-out questions once one
 * confident answer is wrong.
 */
export const GATE_CONFIDENCE_Z = 1;

/** Lower Wilson score bound of a proportion (k successes of n) at one-sided z. */
export function wilsonLower(k: number, n: number, z = GATE_CONFIDENCE_Z): number {
  if (n === 0) return 0;
  const p = k / n;
  const z2 = z * z;
  return (p + z2 / (2 * n) - z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
}

/**
 * Chooses the lowest confidence threshold at which the answered held-out questions are at least
 * `targetPrecision` right (the most answers at that precision). With no threshold reaching it,
 * the gate answers nothing above the best row.
 */
export function calibrateGate(rows: readonly GateRow[], targetPrecision = DEFAULT_TARGET_PRECISION): Gate {
  const sorted = [...rows].sort((a, b) => b.confidence - a.confidence);
  let correct = 0;
  let best = -1;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i]!.correct) correct++;
    // Ties: a threshold cannot split rows of equal confidence.
    if (i + 1 < sorted.length && sorted[i + 1]!.confidence === sorted[i]!.confidence) continue;
    if (wilsonLower(correct, i + 1) >= targetPrecision) best = i;
  }
  if (best < 0) {
    return {
      threshold: (sorted[0]?.confidence ?? 0) + 1e-9,
      targetPrecision,
      calibratedOn: rows.length,
      precision: 0,
      answeredRate: 0,
    };
  }
  const answered = sorted.slice(0, best + 1);
  return {
    threshold: sorted[best]!.confidence,
    targetPrecision,
    calibratedOn: rows.length,
    precision: answered.filter((r) => r.correct).length / answered.length,
    answeredRate: answered.length / rows.length,
  };
}

/** The confidence of a ranking (its features; none when empty) under a gate: its model's probability, or the margin. */
export function confidenceOf(features: GateFeatures | undefined, gate?: Pick<Gate, 'model'>): number {
  if (!features) return -Infinity;
  return gate?.model ? modelConfidence(gate.model, features) : features.margin;
}

/** A held-out question for the learned gate: its features, whether it was right, and its group. */
export interface LearnedGateRow extends LabelledFeatures {
  /**
   * What must stay on one side of the cross-fit split: the document asked about, so a model is
   * never scored on questions about a document it was fitted on (nor on the same question asked
   * with its document held out).
   */
  group: string;
}

/**
 * Calibrates a gate with a learned confidence, without scoring any row with a model fitted on it:
 * the rows are split in two by group; each half is scored by the model fitted on the other, the
 * threshold is chosen on those out-of-fold scores (as `calibrateGate`), and the served model is
 * then fitted on all rows. The margin stays the confidence when a half has too few rows of either
 * outcome to fit on.
 */
export function calibrateLearnedGate(
  rows: readonly LearnedGateRow[],
  targetPrecision = DEFAULT_TARGET_PRECISION,
  features?: readonly GateFeatureName[],
): Gate {
  // Not `foldOf`: within one of its folds (an outer two-fold evaluation) that split is constant.
  const half = rows.map((r) => innerFoldOf(r.group));
  const fits = ([0, 1] as const).map((f) => rows.filter((_, i) => half[i] !== f));
  const enough = (part: readonly LearnedGateRow[]) =>
    part.filter((r) => r.correct).length >= MIN_ROWS_PER_OUTCOME &&
    part.filter((r) => !r.correct).length >= MIN_ROWS_PER_OUTCOME;
  if (!fits.every(enough))
    return calibrateGate(
      rows.map((r) => ({ confidence: r.features.margin, correct: r.correct })),
      targetPrecision,
    );
  const models = fits.map((part) => fitConfidenceModel(part, features));
  const outOfFold = rows.map((r, i) => ({
    confidence: modelConfidence(models[half[i]!]!, r.features),
    correct: r.correct,
  }));
  return { ...calibrateGate(outOfFold, targetPrecision), model: fitConfidenceModel(rows, features) };
}

/**
 * Fewest right and wrong rows each half needs for a model to be fitted on it. The demo help
 * centre's phrasings (68 rows when measured) are too few: a model fitted on them refused only 23
 * of the 34 questions about a removed page (the margin refused 33), so small help centres keep
 * the margin.
 */
export const MIN_ROWS_PER_OUTCOME = 50;
