import { percentile } from '../nlu/index.js';
import { calibrateGate, DEFAULT_TARGET_PRECISION, type GateRow } from './gate.js';
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
  confidence: number;
  /** Confidence when the answering document is held out (the question is then not covered). */
  uncoveredConfidence?: number;
  ms: number;
}

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
  /** How the gate was calibrated in this run. */
  gate: { method: string; targetPrecision: number; thresholds: number[] };
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
    const hits = await kb.search(q.query, 10, channels);
    const ms = performance.now() - start;
    const rank = hits.findIndex((h) => h.docId === q.docId);
    const outcome: QueryOutcome = { rank: rank < 0 ? Infinity : rank, confidence: marginOf(hits), ms };
    if (options.uncovered)
      outcome.uncoveredConfidence = marginOf(await kb.search(q.query, 10, channels, new Set([q.docId])));
    out.push(outcome);
  }
  return out;
}

/** Fold (0 or 1) of a document: a stable hash of its id, so both folds hold whole documents. */
export function foldOf(docId: string): 0 | 1 {
  let h = 2166136261;
  for (let i = 0; i < docId.length; i++) h = Math.imul(h ^ docId.charCodeAt(i), 16777619);
  return (h >>> 0) % 2 === 0 ? 0 : 1;
}

/**
 * Ranking metrics over all queries, and the gate's effect measured by two-fold calibration: the
 * threshold applied to queries about one half of the documents is calibrated on the queries about
 * the other half, so no query is gated by a threshold fitted on itself or on its own document.
 * Outcomes with `uncoveredConfidence` also calibrate it on those queries as wrong answers (as the
 * service does), and their refusal rate is reported.
 */
export function summarise(
  queries: readonly LabelledQuery[],
  outcomes: readonly QueryOutcome[],
  targetPrecision = DEFAULT_TARGET_PRECISION,
): KbEvalReport {
  const n = outcomes.length;
  const mean = (f: (o: QueryOutcome) => number) => (n === 0 ? 0 : outcomes.reduce((s, o) => s + f(o), 0) / n);
  const rows: Array<GateRow & { fold: 0 | 1 }> = outcomes.map((o, i) => ({
    confidence: o.confidence,
    correct: o.rank === 0,
    fold: foldOf(queries[i]!.docId),
  }));
  const uncovered = outcomes.flatMap((o, i) =>
    o.uncoveredConfidence === undefined
      ? []
      : [{ confidence: o.uncoveredConfidence, correct: false, fold: foldOf(queries[i]!.docId) }],
  );
  const twoFold = (calibration: ReadonlyArray<GateRow & { fold: 0 | 1 }>) =>
    ([0, 1] as const).map(
      (fold) =>
        calibrateGate(
          calibration.filter((r) => r.fold !== fold),
          targetPrecision,
        ).threshold,
    );
  const effect = (gate: number[]) => {
    const answered = rows.filter((r) => r.confidence >= gate[r.fold]!);
    return {
      answeredRate: n === 0 ? 0 : answered.length / n,
      precisionWhenAnswered:
        answered.length === 0 ? 0 : answered.filter((r) => r.correct).length / answered.length,
    };
  };
  const thresholds = twoFold([...rows, ...uncovered]);
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
    ...effect(thresholds),
    ...(uncovered.length > 0
      ? {
          refusedWhenUncovered:
            uncovered.filter((r) => r.confidence < thresholds[r.fold]!).length / uncovered.length,
          answerableOnly: effect(twoFold(rows)),
        }
      : {}),
    gate: {
      method: uncovered.length > 0 ? 'two-fold by document, with uncovered queries' : 'two-fold by document',
      targetPrecision,
      thresholds,
    },
  };
}
