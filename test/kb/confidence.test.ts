// The learned confidence of the gate: features read off a ranking, a logistic fit on held-out
// questions, and its calibration without scoring a row with a model fitted on it.
import { describe, expect, it } from 'vitest';
import {
  calibrateGate,
  calibrateLearnedGate,
  confidenceOf,
  GATE_FEATURES,
  gateFeatures,
  ZGate,
  type GateFeatures,
  type LearnedGateRow,
} from '../../kb/index.js';

const features = (over: Partial<GateFeatures>): GateFeatures => ({
  ...(Object.fromEntries(GATE_FEATURES.map((f) => [f, 0])) as GateFeatures),
  ...over,
});

describe('gateFeatures', () => {
  it('reads the best document against the best other one, channel by channel', () => {
    const f = gateFeatures(
      [
        { fused: 5, channels: { question: 0.9, passage: 0.4, lexical: 6 }, matchedTerms: 3 },
        { fused: 2, channels: { question: 0.5, passage: 0.6, lexical: 2 }, matchedTerms: 1 },
        { fused: 1, channels: { question: 0.7, passage: 0.1, lexical: 0 }, matchedTerms: 0 },
      ],
      2,
      4,
    )!;
    expect(f.margin).toBe(3);
    expect(f.fused).toBe(5);
    expect(f.question).toBe(0.9);
    expect(f.lexical).toBe(3);
    expect(f.coverage).toBe(0.75);
    expect(f.questionMargin).toBeCloseTo(0.2);
    expect(f.passageMargin).toBeCloseTo(-0.2);
    expect(f.lexicalMargin).toBe(2);
    // First on the question and lexical channels, not on passages.
    expect(f.agreement).toBe(2);
    expect(gateFeatures([], 1, 1)).toBeUndefined();
  });
});

describe('calibrateLearnedGate', () => {
  // Answerable questions whose best document is right have a close question match; questions
  // about a missing page land on a neighbour by as wide a margin, but with a weaker match.
  const rows: LearnedGateRow[] = Array.from({ length: 400 }, (_, i) => {
    // Each document has two questions, each asked with it (right) and without it (wrong).
    const group = `doc${Math.floor(i / 4)}`;
    const margin = 1 + (i % 7) / 2;
    if (i % 2 === 0)
      return { features: features({ margin, question: 0.8 + (i % 5) / 50 }), correct: true, group };
    return { features: features({ margin, question: 0.5 + (i % 5) / 50 }), correct: false, group };
  });

  it('separates what the margin alone cannot, on out-of-fold scores', () => {
    const byMargin = calibrateGate(rows.map((r) => ({ confidence: r.features.margin, correct: r.correct })));
    expect(byMargin.answeredRate).toBe(0);
    const gate = calibrateLearnedGate(rows);
    expect(gate.model).toBeDefined();
    // Every right row is answered (half the rows), and few of the others.
    expect(gate.answeredRate).toBeGreaterThanOrEqual(0.5);
    expect(gate.precision).toBeGreaterThanOrEqual(0.9);
    const right = confidenceOf(features({ margin: 2, question: 0.85 }), gate);
    const uncovered = confidenceOf(features({ margin: 2, question: 0.5 }), gate);
    expect(right).toBeGreaterThanOrEqual(gate.threshold);
    expect(uncovered).toBeLessThan(gate.threshold);
  });

  it('chooses its threshold on the precision of the answers and the refusal of uncovered rows apart', () => {
    const marked = rows.map((r) => (r.correct ? r : { ...r, uncovered: true }));
    const gate = calibrateLearnedGate(marked);
    expect(gate.model).toBeDefined();
    expect(gate.targetRefusal).toBe(0.9);
    expect(gate.refusedUncovered).toBeGreaterThanOrEqual(0.9);
    // The answered rate is now of the answerable rows: every one of them is right and answered.
    expect(gate.answeredRate).toBeGreaterThanOrEqual(0.95);
    expect(gate.precision).toBe(1);
  });

  it('falls back to the margin when a half has too few rows of an outcome to fit on', () => {
    const few = rows.slice(0, 80).map((r) => (r.correct ? r : { ...r, uncovered: true }));
    const gate = calibrateLearnedGate(few);
    expect(gate.model).toBeUndefined();
    expect(confidenceOf(features({ margin: 2.5 }), gate)).toBe(2.5);
    // Few rows: the uncovered ones are pooled with the answerable ones as wrong answers.
    expect(gate.targetRefusal).toBeUndefined();
    expect(gate.answeredRate).toBeLessThanOrEqual(0.5);
  });

  it('is part of a gate that still reads gates stored without a model (the margin is their confidence)', () => {
    const gate = calibrateLearnedGate(rows);
    expect(ZGate.parse(JSON.parse(JSON.stringify(gate)))).toEqual(gate);
    const old = ZGate.parse({
      threshold: 1.5,
      targetPrecision: 0.9,
      calibratedOn: 40,
      precision: 0.95,
      answeredRate: 0.4,
    });
    expect(confidenceOf(features({ margin: 2 }), old)).toBe(2);
    expect(confidenceOf(undefined, old)).toBe(-Infinity);
  });
});
