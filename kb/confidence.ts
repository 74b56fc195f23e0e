import { z } from 'zod';
import { trainLogistic } from '../nlu/index.js';
import type { ChannelScores } from './fusion.js';

/**
 * What the gate reads about one ranking, all from scores the ranking computed anyway (no extra
 * search). The margin alone says how far the best document leads; it cannot tell a question the
 * knowledge base answers from one about a missing page that lands on a neighbour by a wide
 * margin. The absolute agreement of the question with the best document (its question's cosine,
 * the share of the query's words it holds) and whether every channel picks the same document do.
 */
export const GATE_FEATURES = [
  /** Fused score of the best document minus the second's (the confidence before this model). */
  'margin',
  /** Fused score of the best document (z units). */
  'fused',
  /** Cosine of the query with the best document's closest question or heading. */
  'question',
  /** Cosine of the query with the best document's passage. */
  'passage',
  /** The best document's BM25 score in standard deviations above the knowledge base's mean. */
  'lexical',
  /** Share of the query's distinct terms the best document holds (0 for a query of stop words). */
  'coverage',
  /** Question cosine of the best document minus the best other document's. */
  'questionMargin',
  /** Passage cosine of the best document minus the best other document's. */
  'passageMargin',
  /** BM25 of the best document minus the best other document's, in standard deviations. */
  'lexicalMargin',
  /** How many of the three channels rank the best document first on their own (0–3). */
  'agreement',
] as const;
/** One feature's name. */
export type GateFeatureName = (typeof GATE_FEATURES)[number];
/** The gate's view of one ranking. */
export type GateFeatures = Record<GateFeatureName, number>;

/** One candidate document as the ranking saw it: its fused score and its best score per channel. */
export interface DocumentScores {
  fused: number;
  channels: ChannelScores;
  /** Most of the query's distinct terms one of its chunks holds. */
  matchedTerms: number;
}

/**
 * The gate's features of a ranking (documents best first by fused score); undefined when nothing
 * was ranked. `lexicalSd` puts BM25 in the z units fusion uses; `queryTerms` counts the query's
 * distinct index terms.
 */
export function gateFeatures(
  ranked: readonly DocumentScores[],
  lexicalSd: number,
  queryTerms: number,
): GateFeatures | undefined {
  const top = ranked[0];
  if (!top) return undefined;
  const others = ranked.slice(1);
  const bestOther = (channel: keyof ChannelScores) =>
    others.reduce((m, d) => Math.max(m, d.channels[channel]), -Infinity);
  const lead = (channel: keyof ChannelScores) => {
    const other = bestOther(channel);
    // Alone in the ranking: it leads by all of its own score.
    return top.channels[channel] - (Number.isFinite(other) ? other : 0);
  };
  const margins = {
    question: lead('question'),
    passage: lead('passage'),
    lexical: lead('lexical') / lexicalSd,
  };
  return {
    margin: top.fused - (ranked[1]?.fused ?? 0),
    fused: top.fused,
    question: top.channels.question,
    passage: top.channels.passage,
    lexical: top.channels.lexical / lexicalSd,
    coverage: queryTerms === 0 ? 0 : top.matchedTerms / queryTerms,
    questionMargin: margins.question,
    passageMargin: margins.passage,
    lexicalMargin: margins.lexical,
    // A tie for first on a channel counts as first (a channel of zeros ranks nobody first).
    agreement:
      (margins.question >= 0 ? 1 : 0) +
      (margins.passage >= 0 ? 1 : 0) +
      (top.channels.lexical > 0 && margins.lexical >= 0 ? 1 : 0),
  };
}

/** A fitted confidence: logistic regression over standardised gate features. */
export const ZConfidenceModel = z.object({
  features: z.array(z.enum(GATE_FEATURES)).min(1),
  /** Mean and standard deviation of each feature on the rows it was fitted on. */
  mean: z.array(z.number()),
  sd: z.array(z.number().positive()),
  weights: z.array(z.number()),
  bias: z.number(),
});
/** A fitted confidence model. */
export type ConfidenceModel = z.infer<typeof ZConfidenceModel>;

/** The model's probability that the best document is the right answer. */
export function modelConfidence(model: ConfidenceModel, features: GateFeatures): number {
  let logit = model.bias;
  model.features.forEach((name, i) => {
    logit += (model.weights[i]! * (features[name] - model.mean[i]!)) / model.sd[i]!;
  });
  return 1 / (1 + Math.exp(-logit));
}

/** A held-out question's features and whether the best document was the right answer. */
export interface LabelledFeatures {
  features: GateFeatures;
  correct: boolean;
}

/**
 * Full-batch Adam with a small L2 penalty on standardised features: a handful of weights on a few
 * dozen to a few thousand rows, fitted in milliseconds at every rebuild, deterministic.
 */
const FIT = { l2: 0.01, epochs: 400, learningRate: 0.05 };

/**
 * Fits the confidence on held-out questions (logistic regression: right answer or not). Features
 * constant on these rows get a unit sd (their weight then stays near zero).
 */
export function fitConfidenceModel(
  rows: readonly LabelledFeatures[],
  features: readonly GateFeatureName[] = GATE_FEATURES,
): ConfidenceModel {
  const n = Math.max(1, rows.length);
  const mean = features.map((f) => rows.reduce((s, r) => s + r.features[f], 0) / n);
  const sd = features.map((f, i) => {
    const variance = rows.reduce((s, r) => s + (r.features[f] - mean[i]!) ** 2, 0) / n;
    return variance > 1e-12 ? Math.sqrt(variance) : 1;
  });
  const empty = { indices: new Uint32Array(0), values: new Float32Array(0) };
  const dense = rows.map((r) => ({
    sparse: empty,
    dense: Float32Array.from(features, (f, i) => (r.features[f] - mean[i]!) / sd[i]!),
  }));
  const fitted = trainLogistic(
    dense,
    rows.map((r) => (r.correct ? 1 : 0)),
    0,
    features.length,
    FIT,
  );
  return { features: [...features], mean, sd, weights: Array.from(fitted.dense), bias: fitted.bias };
}
