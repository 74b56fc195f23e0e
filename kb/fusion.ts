/** One candidate chunk's raw score on each channel. */
export interface ChannelScores {
  /** Query vs the chunk's question/heading (embedding cosine). */
  question: number;
  /** Query vs the chunk text (embedding cosine). */
  passage: number;
  /** BM25 over heading + text (0 when no term matches). */
  lexical: number;
}

/** Per-query mean and standard deviation of each channel over the whole knowledge base. */
export type ChannelMoments = Record<keyof ChannelScores, { mean: number; sd: number }>;

/** Weight of each channel in the fused score. */
export type FusionWeights = Record<keyof ChannelScores, number>;

/**
 * Equal weights: each channel counts by how many standard deviations it lifts a chunk above the
 * knowledge base's average for this query. Not tuned on any evaluation set.
 */
export const EQUAL_WEIGHTS: FusionWeights = { question: 1, passage: 1, lexical: 1 };

/**
 * Fused score: the weighted sum of per-channel z-scores. Unlike reciprocal-rank fusion it keeps
 * how far ahead a chunk is, which the confidence gate reads (StackFAQ NDCG@10: RRF k=60 0.85,
 * z-score sum 0.89, both over the same three channels).
 */
export function fuse(
  scores: ChannelScores,
  moments: ChannelMoments,
  weights: FusionWeights = EQUAL_WEIGHTS,
): number {
  return (
    (weights.question * (scores.question - moments.question.mean)) / moments.question.sd +
    (weights.passage * (scores.passage - moments.passage.mean)) / moments.passage.sd +
    (weights.lexical * (scores.lexical - moments.lexical.mean)) / moments.lexical.sd
  );
}

/** Reciprocal-rank fusion of ranked lists (kept for comparison in the benchmark). */
export function reciprocalRankFusion<T>(lists: readonly T[][], k = 60): Map<T, number> {
  const out = new Map<T, number>();
  for (const list of lists)
    list.forEach((item, rank) => out.set(item, (out.get(item) ?? 0) + 1 / (k + rank + 1)));
  return out;
}
