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
  /** How the gate was calibrated in this run. */
  gate: { method: string; targetPrecision: number; thresholds: number[] };
}

/** Ranks every query (top 10), timing each search (encoder included). */
export async function rankQueries(
  kb: KnowledgeBase,
  queries: readonly LabelledQuery[],
  channels: ChannelSelection = 'fused',
): Promise<QueryOutcome[]> {
  const out: QueryOutcome[] = [];
  for (const q of queries) {
    const start = performance.now();
    const hits = await kb.search(q.query, 10, channels);
    const ms = performance.now() - start;
    const rank = hits.findIndex((h) => h.docId === q.docId);
    out.push({ rank: rank < 0 ? Infinity : rank, confidence: marginOf(hits), ms });
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
  const thresholds = ([0, 1] as const).map(
    (fold) =>
      calibrateGate(
        rows.filter((r) => r.fold !== fold),
        targetPrecision,
      ).threshold,
  );
  const answered = rows.filter((r) => r.confidence >= thresholds[r.fold]!);
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
    answeredRate: n === 0 ? 0 : answered.length / n,
    precisionWhenAnswered:
      answered.length === 0 ? 0 : answered.filter((r) => r.correct).length / answered.length,
    gate: { method: 'two-fold by document', targetPrecision, thresholds },
  };
}
