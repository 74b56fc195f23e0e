import { percentile } from '../nlu/index.js';
import { foldOf } from './folds.js';
import type { GateFeatures } from './confidence.js';
import {
  calibrateGate,
  calibrateLearnedGate,
  confidenceOf,
  DEFAULT_TARGET_PRECISION,
  type Gate,
} from './gate.js';
import { marginOf, type ChannelSelection, type KnowledgeBase } from './knowledge-base.js';

/** One labelled query: the text and the id of the document that answers it. */
export interface LabelledQuery {
  query: string;
  docId: string;
}

/** Outcome of one query. */
export interface QueryOutcome {
  /** 0-based rank of the answering document; Infinity when not in the top 10. */
  rank: number;
  /** The margin (the confidence without a learned model). */
  confidence: number;
  /** The margin when the answering document is held out (the question is then not covered). */
  uncoveredConfidence?: number;
  /** What the learned confidence reads of the ranking, and of the one without the document. */
  features?: GateFeatures;
  uncoveredFeatures?: GateFeatures;
  ms: number;
}

/** What the gate thresholds: the learned confidence (as the service) or the margin alone. */
export type GateSignal = 'learned' | 'margin';

/** Ranking and gate figures of an evaluation run (the `mkt kb eval --json` contract). */
export interface KbEvalReport {
  n: number;
  hitAt1: number;
  hitAt5: number;
  mrr: number;
  ndcgAt10: number;
  p50Ms: number;
  p95Ms: number;
  answeredRate: number;
  precisionWhenAnswered: number;
  /** Share of the queries asked with their document held out that the gate refused (when measured). */
  refusedWhenUncovered?: number;
  /** The gate calibrated on the answerable queries only (when uncovered ones were measured too). */
  answerableOnly?: { answeredRate: number; precisionWhenAnswered: number };
  /** How the gate was calibrated in this run (`signal`: the learned confidence or the margin). */
  gate: { method: string; signal: GateSignal; targetPrecision: number; thresholds: number[] };
}

/**
 * Ranks every query (top 10), timing each search (encoder included). With `uncovered`, each query
 * is asked again (untimed) with its document held out, as the service calibrates its gate.
 */
export async function rankQueries(
  kb: KnowledgeBase,
  queries: readonly LabelledQuery[],
  channels: ChannelSelection = 'fused',
  options: { uncovered?: boolean } = {},
): Promise<QueryOutcome[]> {
  const out: QueryOutcome[] = [];
  for (const q of queries) {
    const start = performance.now();
    const ranking = await kb.ranking(q.query, 10, channels);
    const ms = performance.now() - start;
    const rank = ranking.hits.findIndex((h) => h.docId === q.docId);
    const outcome: QueryOutcome = {
      rank: rank < 0 ? Infinity : rank,
      confidence: marginOf(ranking.hits),
      ms,
      ...(ranking.features ? { features: ranking.features } : {}),
    };
    if (options.uncovered) {
      const without = await kb.ranking(q.query, 10, channels, new Set([q.docId]));
      outcome.uncoveredConfidence = marginOf(without.hits);
      if (without.features) outcome.uncoveredFeatures = without.features;
    }
    out.push(outcome);
  }
  return out;
}

/**
 * Ranking metrics over all queries, and the gate's effect measured by two-fold calibration: the
 * gate applied to queries about one half of the documents (its model and its threshold) is
 * calibrated on the queries about the other half, so no query is gated by a gate fitted on itself
 * or on its own document. Outcomes with `uncoveredConfidence` also calibrate it on those queries,
 * which it must refuse (as the service does: `calibrateGate`), and their refusal rate is reported. The signal is the
 * learned confidence when every outcome carries its features, unless `signal` says `margin`.
 */
export function summarise(
  queries: readonly LabelledQuery[],
  outcomes: readonly QueryOutcome[],
  targetPrecision = DEFAULT_TARGET_PRECISION,
  signal: GateSignal = 'learned',
): KbEvalReport {
  const n = outcomes.length;
  const mean = (f: (o: QueryOutcome) => number) => (n === 0 ? 0 : outcomes.reduce((s, o) => s + f(o), 0) / n);
  const withUncovered = outcomes.some((o) => o.uncoveredConfidence !== undefined);
  const learned =
    signal === 'learned' &&
    n > 0 &&
    outcomes.every((o) => o.features && (!withUncovered || o.uncoveredFeatures));
  const rows: EvalRow[] = outcomes.map((o, i) => ({
    confidence: o.confidence,
    ...(o.features ? { features: o.features } : {}),
    correct: o.rank === 0,
    group: queries[i]!.docId,
    fold: foldOf(queries[i]!.docId),
  }));
  const uncovered: EvalRow[] = outcomes.flatMap((o, i) =>
    o.uncoveredConfidence === undefined
      ? []
      : [
          {
            confidence: o.uncoveredConfidence,
            ...(o.uncoveredFeatures ? { features: o.uncoveredFeatures } : {}),
            correct: false,
            uncovered: true,
            group: queries[i]!.docId,
            fold: foldOf(queries[i]!.docId),
          },
        ],
  );
  const calibrate = (calibration: readonly EvalRow[]): Gate =>
    learned
      ? calibrateLearnedGate(
          calibration.map((r) => ({
            features: r.features!,
            correct: r.correct,
            uncovered: r.uncovered === true,
            group: r.group,
          })),
          targetPrecision,
        )
      : calibrateGate(calibration, targetPrecision);
  const twoFold = (calibration: readonly EvalRow[]) =>
    ([0, 1] as const).map((fold) => calibrate(calibration.filter((r) => r.fold !== fold)));
  const admitted = (gates: readonly Gate[], r: EvalRow) => {
    const gate = gates[r.fold]!;
    const confidence = gate.model ? confidenceOf(r.features, gate) : r.confidence;
    return confidence >= gate.threshold;
  };
  const effect = (gates: readonly Gate[]) => {
    const answered = rows.filter((r) => admitted(gates, r));
    return {
      answeredRate: n === 0 ? 0 : answered.length / n,
      precisionWhenAnswered:
        answered.length === 0 ? 0 : answered.filter((r) => r.correct).length / answered.length,
    };
  };
  const gates = twoFold([...rows, ...uncovered]);
  return {
    n,
    hitAt1: mean((o) => (o.rank === 0 ? 1 : 0)),
    hitAt5: mean((o) => (o.rank < 5 ? 1 : 0)),
    mrr: mean((o) => (Number.isFinite(o.rank) ? 1 / (o.rank + 1) : 0)),
    ndcgAt10: mean((o) => (o.rank < 10 ? 1 / Math.log2(o.rank + 2) : 0)),
    p50Ms: percentile(
      outcomes.map((o) => o.ms),
      0.5,
    ),
    p95Ms: percentile(
      outcomes.map((o) => o.ms),
      0.95,
    ),
    ...effect(gates),
    ...(uncovered.length > 0
      ? {
          refusedWhenUncovered: uncovered.filter((r) => !admitted(gates, r)).length / uncovered.length,
          answerableOnly: effect(twoFold(rows)),
        }
      : {}),
    gate: {
      method:
        uncovered.length > 0
          ? 'two-fold by document, with uncovered queries (answer precision and their refusal, each on its own rows)'
          : 'two-fold by document',
      signal: learned ? 'learned' : 'margin',
      targetPrecision,
      thresholds: gates.map((g) => g.threshold),
    },
  };
}

/** One query (asked with or without its document) in the two-fold calibration. */
interface EvalRow {
  confidence: number;
  features?: GateFeatures;
  correct: boolean;
  uncovered?: boolean;
  group: string;
  fold: 0 | 1;
}
