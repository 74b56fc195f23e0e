// The trained sentiment head: logistic regression over TF-IDF (negation-marked n-grams), lexicon
// rule scores and, when an encoder is given, sentence embeddings. Lifecycle: train → analyze →
// persist → load (see artifact.ts for the folder format).
import type { SentenceEncoder } from '../encoder.js';
import { NluTrainingDataError } from '../errors.js';
import { hashSentences, type LabelledSentence } from './data.js';
import { analyseText, LEXICON_FEATURES, lexiconFeatures, TfidfVectorizer } from './features.js';
import { SentimentLexicon } from './lexicon.js';
import { predictProbability, trainLogistic, type FeatureRow, type LogisticWeights } from './logistic.js';
import { binaryMetrics } from './metrics.js';
import {
  cleanSentimentText,
  DEFAULT_NEUTRAL_BAND,
  emptyResult,
  labelFromScore,
  type SentimentAnalyzer,
  type SentimentResult,
} from './types.js';

/** Which feature blocks feed the logistic model (the embedding is used whenever an encoder is given). */
export interface SentimentFeatureSet {
  /** Negation-marked word 1–2 gram TF-IDF. */
  tfidf: boolean;
  /** The lexicon rule scores. */
  lexicon: boolean;
}

/** Hyper-parameters of the head (recorded in the manifest). */
export interface SentimentHeadParameters {
  l2: number;
  features: SentimentFeatureSet;
  epochs: number;
  learningRate: number;
  minDf: number;
  neutralBand: number;
}

/**
 * Training options. `l2: 'auto'` chooses the penalty AND the feature blocks together: by
 * leave-one-domain-out when the sentences come from two or more domains (train on all domains but
 * one, test on that one; the mean over held-out domains decides), else by 3-fold cross-validation.
 */
export interface TrainSentimentOptions extends Partial<Omit<SentimentHeadParameters, 'l2'>> {
  encoder?: SentenceEncoder | null;
  l2?: number | 'auto';
  /** Called with (done, total) during cross-validation and the final fit. */
  onProgress?: (done: number, total: number) => void;
}

/** Everything a head needs at inference time; persisted by artifact.ts. */
export interface SentimentHeadState {
  parameters: SentimentHeadParameters;
  encoder: { id: string; dims: number } | null;
  vectorizer: TfidfVectorizer;
  weights: LogisticWeights;
  dataHash: string;
  trainingSize: number;
  metrics: Record<string, number>;
}

// Grid of 'auto'. The hand-written lexicon and the domain's own n-grams fit the training domains
// best and transfer worst, so the selection can switch either block off; ties go to the larger
// penalty and the fewer blocks, which transfer better to unseen domains.
const L2_GRID = [3e-4, 1e-3, 3e-3, 1e-2];
const FEATURE_GRID: readonly SentimentFeatureSet[] = [
  { tfidf: true, lexicon: true },
  { tfidf: true, lexicon: false },
  { tfidf: false, lexicon: true },
  { tfidf: false, lexicon: false },
];
const ALL_FEATURES: SentimentFeatureSet = { tfidf: true, lexicon: true };
const DEFAULTS = {
  l2: 1e-3,
  features: ALL_FEATURES,
  epochs: 300,
  learningRate: 0.1,
  minDf: 2,
  neutralBand: DEFAULT_NEUTRAL_BAND,
};

/** Trained sentiment head. */
export class SentimentHead implements SentimentAnalyzer {
  private readonly lexicon = new SentimentLexicon();

  constructor(
    readonly state: SentimentHeadState,
    private readonly encoder: SentenceEncoder | null,
  ) {}

  get id(): string {
    return `head:${this.state.encoder?.id ?? 'lexical'}`;
  }

  async analyze(texts: readonly string[]): Promise<SentimentResult[]> {
    const cleaned = texts.map((t) => cleanSentimentText(t));
    const scored = cleaned.map((t, i) => ({ t, i })).filter(({ t }) => t.length > 0);
    const kept = scored.map(({ t }) => t);
    const embeddings = this.encoder && kept.length > 0 ? await this.encoder.embed(kept) : [];
    const results: SentimentResult[] = cleaned.map(() => emptyResult());
    scored.forEach(({ i }, k) => {
      const analysed = analyseText(kept[k]!);
      const row = featureRow(
        analysed,
        this.state.vectorizer,
        this.lexicon,
        embeddings[k],
        this.state.parameters.features,
      );
      const p = predictProbability(this.state.weights, row);
      const score = 2 * p - 1;
      // Lexicon evidence: a sentiment word or emoticon was found (positive or negative mass > 0),
      // whether or not the lexicon block feeds the model.
      const lexical = lexiconFeatures(this.lexicon, analysed.tokens);
      const evidence = lexical[1]! > 0 || lexical[2]! > 0;
      const label = labelFromScore(score, this.state.parameters.neutralBand, evidence);
      results[i] = { label, score, positiveProbability: p };
    });
    return results;
  }

  async dispose(): Promise<void> {
    // The encoder belongs to the caller; the head holds only plain arrays.
  }
}

const NO_TERMS: string[] = [];

/**
 * One row: sparse TF-IDF, then dense lexicon features followed by the embedding (if any). A block
 * switched off stays in the layout as zeros, so every feature set shares one artifact format.
 */
function featureRow(
  analysed: ReturnType<typeof analyseText>,
  vectorizer: TfidfVectorizer,
  lexicon: SentimentLexicon,
  embedding: Float32Array | undefined,
  features: SentimentFeatureSet,
): FeatureRow {
  const dense = new Float32Array(LEXICON_FEATURES + (embedding?.length ?? 0));
  if (features.lexicon) dense.set(lexiconFeatures(lexicon, analysed.tokens), 0);
  if (embedding) dense.set(embedding, LEXICON_FEATURES);
  return { sparse: vectorizer.transform(features.tfidf ? analysed.terms : NO_TERMS), dense };
}

function fit(
  texts: readonly string[],
  labels: readonly number[],
  embeddings: readonly Float32Array[] | null,
  params: SentimentHeadParameters,
  lexicon: SentimentLexicon,
): { vectorizer: TfidfVectorizer; weights: LogisticWeights; rows: FeatureRow[] } {
  const analysed = texts.map((t) => analyseText(t));
  const vectorizer = TfidfVectorizer.fit(
    analysed.map((a) => (params.features.tfidf ? a.terms : NO_TERMS)),
    params.minDf,
  );
  const rows = analysed.map((a, i) => featureRow(a, vectorizer, lexicon, embeddings?.[i], params.features));
  const denseSize = rows[0]?.dense.length ?? LEXICON_FEATURES;
  const weights = trainLogistic(rows, labels, vectorizer.size, denseSize, params);
  return { vectorizer, weights, rows };
}

/** Trains a head on labelled sentences (embedding them with `encoder` when given). */
export async function trainSentimentHead(
  examples: readonly LabelledSentence[],
  options: TrainSentimentOptions = {},
): Promise<SentimentHead> {
  const usable = examples
    .map((e) => ({ text: cleanSentimentText(e.text), label: e.label, domain: e.domain }))
    .filter((e) => e.text);
  const classes = new Set(usable.map((e) => e.label));
  if (usable.length < 4 || classes.size < 2) {
    throw new NluTrainingDataError(
      'sentiment training needs at least 4 non-empty sentences of both labels (0 and 1)',
    );
  }
  const encoder = options.encoder ?? null;
  const texts = usable.map((e) => e.text);
  const labels = usable.map((e) => e.label);
  const embeddings = encoder ? await encoder.embed(texts) : null;
  const lexicon = new SentimentLexicon();
  const base = { ...DEFAULTS, ...stripUndefined(options) };
  const metrics: Record<string, number> = {};
  let l2 = typeof options.l2 === 'number' ? options.l2 : DEFAULTS.l2;
  let features = base.features;
  if (options.l2 === 'auto') {
    const folds = foldsOf(usable.map((e) => e.domain));
    const best = select(texts, labels, embeddings, base, lexicon, folds.folds, options.onProgress);
    l2 = best.l2;
    features = best.features;
    metrics[folds.byDomain ? 'lodoAccuracy' : 'cvAccuracy'] = best.accuracy;
    if (folds.byDomain) metrics.lodoMinAccuracy = best.minAccuracy;
  }
  const params: SentimentHeadParameters = { ...base, l2, features };
  const { vectorizer, weights, rows } = fit(texts, labels, embeddings, params, lexicon);
  const trainPredictions = rows.map((row) => (predictProbability(weights, row) >= 0.5 ? 1 : 0));
  metrics.trainAccuracy = binaryMetrics(labels, trainPredictions).accuracy;
  const state: SentimentHeadState = {
    parameters: params,
    encoder: encoder ? { id: encoder.id, dims: encoder.dims } : null,
    vectorizer,
    weights,
    dataHash: hashSentences(usable),
    trainingSize: usable.length,
    metrics,
  };
  return new SentimentHead(state, encoder);
}

/**
 * Test folds: one per domain when the sentences name two or more domains (leave-one-domain-out),
 * else three interleaved folds (which keep both labels and every source in every fold).
 */
export function foldsOf(domains: ReadonlyArray<string | undefined>): { folds: number[]; byDomain: boolean } {
  const names = [...new Set(domains.filter((d): d is string => d !== undefined))].sort();
  if (names.length >= 2 && domains.every((d) => d !== undefined))
    return { folds: domains.map((d) => names.indexOf(d!)), byDomain: true };
  return { folds: domains.map((_, i) => i % 3), byDomain: false };
}

/** Grid search over feature blocks × λ; the score is the mean accuracy over held-out folds. */
function select(
  texts: readonly string[],
  labels: readonly number[],
  embeddings: readonly Float32Array[] | null,
  base: Omit<SentimentHeadParameters, 'l2'>,
  lexicon: SentimentLexicon,
  folds: readonly number[],
  onProgress?: (done: number, total: number) => void,
): { l2: number; features: SentimentFeatureSet; accuracy: number; minAccuracy: number } {
  const foldIds = [...new Set(folds)].sort((a, b) => a - b);
  // Without an encoder only the lexical blocks exist: never switch both off.
  const grid = FEATURE_GRID.filter((f) => embeddings || f.tfidf || f.lexicon);
  const total = grid.length * L2_GRID.length * foldIds.length + 1;
  let best = { l2: L2_GRID[0]!, features: ALL_FEATURES, accuracy: -1, minAccuracy: -1 };
  let done = 0;
  const pick = <T>(xs: readonly T[], idx: number[]) => idx.map((i) => xs[i]!);
  for (const features of grid) {
    for (const l2 of L2_GRID) {
      const accuracies = foldIds.map((f) => {
        const train = folds.flatMap((g, i) => (g !== f ? [i] : []));
        const test = folds.flatMap((g, i) => (g === f ? [i] : []));
        const model = fit(
          pick(texts, train),
          pick(labels, train),
          embeddings && pick(embeddings, train),
          { ...base, l2, features },
          lexicon,
        );
        const correct = test.filter((i) => {
          const row = featureRow(
            analyseText(texts[i]!),
            model.vectorizer,
            lexicon,
            embeddings?.[i],
            features,
          );
          return (predictProbability(model.weights, row) >= 0.5 ? 1 : 0) === labels[i];
        }).length;
        onProgress?.((done += 1), total);
        return correct / Math.max(1, test.length);
      });
      const accuracy = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
      // Later grid points use fewer blocks / a larger penalty, so ">=" prefers them on ties.
      if (accuracy >= best.accuracy - 1e-9)
        best = { l2, features, accuracy: round4(accuracy), minAccuracy: round4(Math.min(...accuracies)) };
    }
  }
  return best;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

function stripUndefined(options: TrainSentimentOptions): Partial<Omit<SentimentHeadParameters, 'l2'>> {
  const out: Partial<Omit<SentimentHeadParameters, 'l2'>> = {};
  if (options.epochs !== undefined) out.epochs = options.epochs;
  if (options.learningRate !== undefined) out.learningRate = options.learningRate;
  if (options.minDf !== undefined) out.minDf = options.minDf;
  if (options.neutralBand !== undefined) out.neutralBand = options.neutralBand;
  if (options.features !== undefined) out.features = options.features;
  return out;
}
