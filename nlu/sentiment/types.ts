// Shapes shared by every sentiment analyzer (trained head or local ONNX classifier).

/** Three-way sentiment label. */
export type SentimentLabel = 'positive' | 'neutral' | 'negative';

/** Sentiment of one text. */
export interface SentimentResult {
  /** positive / neutral / negative: see labelFromScore (neutral band, evidence rule) and empty text. */
  readonly label: SentimentLabel;
  /** Polarity in [-1, 1]: 2·P(positive) − 1 for the trained head, P(pos) − P(neg) for an ONNX classifier. */
  readonly score: number;
  /** Probability that the text is positive rather than negative (0.5 when unknown). */
  readonly positiveProbability: number;
  /** Why the result is what it is when no model ran (e.g. "empty"). */
  readonly note?: string;
}

/** Anything that scores sentiment: the trained head or an ONNX text-classification model. */
export interface SentimentAnalyzer {
  /** Stable description, e.g. "head:use-lite" or "onnx:distilbert-sst2". */
  readonly id: string;
  /** Scores texts in order; never throws on odd text (empty, huge, control characters, emoji). */
  analyze(texts: readonly string[]): Promise<SentimentResult[]>;
  /** Releases model resources (not the injected encoder, which the caller owns). */
  dispose(): Promise<void>;
}

/** Default half-width of the neutral band around score 0 (see README: how neutral is decided). */
export const DEFAULT_NEUTRAL_BAND = 0.3;

// Longer texts are cut before featurising: sentiment of a 100 kB paste is decided by its start,
// and this bounds latency (the USE-lite encoder cuts at 2,000 characters as well).
const MAX_CHARS = 2_000;

/** Cleans a text for scoring: control characters become spaces, long text is cut. */
export function cleanSentimentText(text: unknown): string {
  if (typeof text !== 'string') return '';
  // eslint-disable-next-line no-control-regex
  const cleaned = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return cleaned.length > MAX_CHARS ? cleaned.slice(0, MAX_CHARS) : cleaned;
}

/**
 * Without a sentiment word, only a score at least this far from 0 is polar: the head was trained on
 * reviews, which are all polar, so it is over-confident on plain requests ("can I pay by card?").
 */
export const NO_EVIDENCE_MIN_SCORE = 0.8;

/**
 * Maps a polarity score to a label: neutral inside the band, and neutral up to
 * NO_EVIDENCE_MIN_SCORE when `evidence` is false (no sentiment word, emoticon or negated word found).
 */
export function labelFromScore(score: number, neutralBand: number, evidence = true): SentimentLabel {
  const needed = evidence ? neutralBand : Math.max(neutralBand, NO_EVIDENCE_MIN_SCORE);
  if (Math.abs(score) < needed) return 'neutral';
  return score > 0 ? 'positive' : 'negative';
}

/** The result for a text with nothing to score. */
export function emptyResult(): SentimentResult {
  return { label: 'neutral', score: 0, positiveProbability: 0.5, note: 'empty' };
}
