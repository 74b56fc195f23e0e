// Lexical features of the sentiment head: TF-IDF over negation-marked word 1–2 grams, plus the
// lexicon rule scores. Sparse rows are (index, value) pairs; the vocabulary is fitted on training
// text only and persisted with the head.
import type { SentimentLexicon } from './lexicon.js';
import { sentimentTokens, type SentimentToken } from './tokenize.js';

/** A sparse feature row: parallel index and value arrays. */
export interface SparseRow {
  readonly indices: Uint32Array;
  readonly values: Float32Array;
}

/** Serialized TF-IDF vocabulary. */
export interface TfidfState {
  readonly terms: string[];
  readonly idf: number[];
}

/** Turns tokens into the n-gram terms the TF-IDF vocabulary counts. */
export function sentimentTerms(tokens: readonly SentimentToken[]): string[] {
  const words = tokens.map((t) => (t.negated ? `NEG_${t.text}` : t.text));
  const terms = words.map((w) => `w:${w}`);
  for (let i = 1; i < words.length; i += 1) terms.push(`b:${words[i - 1]} ${words[i]}`);
  return terms;
}

/** TF-IDF with sub-linear term frequency and L2-normalised rows (the usual text-classification recipe). */
export class TfidfVectorizer {
  private readonly index: Map<string, number>;

  private constructor(private readonly state: TfidfState) {
    this.index = new Map(state.terms.map((term, i) => [term, i]));
  }

  /** Fits the vocabulary on training documents; terms seen in fewer than `minDf` documents are dropped. */
  static fit(documents: readonly string[][], minDf = 1): TfidfVectorizer {
    const df = new Map<string, number>();
    for (const doc of documents) for (const term of new Set(doc)) df.set(term, (df.get(term) ?? 0) + 1);
    const terms = [...df.entries()]
      .filter(([, count]) => count >= minDf)
      .map(([term]) => term)
      .sort();
    // Rounded to 6 decimals at fit time so the persisted vocabulary is compact and loads back identical.
    const idf = terms.map(
      (term) => Math.round((Math.log((1 + documents.length) / (1 + df.get(term)!)) + 1) * 1e6) / 1e6,
    );
    return new TfidfVectorizer({ terms, idf });
  }

  /** Restores a fitted vectorizer. */
  static fromState(state: TfidfState): TfidfVectorizer {
    return new TfidfVectorizer(state);
  }

  /** Number of features. */
  get size(): number {
    return this.state.terms.length;
  }

  /** The state to persist. */
  toState(): TfidfState {
    return this.state;
  }

  /** One sparse, L2-normalised row for a document's terms. */
  transform(terms: readonly string[]): SparseRow {
    const counts = new Map<number, number>();
    for (const term of terms) {
      const j = this.index.get(term);
      if (j !== undefined) counts.set(j, (counts.get(j) ?? 0) + 1);
    }
    const indices = Uint32Array.from([...counts.keys()].sort((a, b) => a - b));
    const values = new Float32Array(indices.length);
    let norm = 0;
    indices.forEach((j, k) => {
      const v = (1 + Math.log(counts.get(j)!)) * this.state.idf[j]!;
      values[k] = v;
      norm += v * v;
    });
    if (norm > 0) for (let k = 0; k < values.length; k += 1) values[k]! /= Math.sqrt(norm);
    return { indices, values };
  }
}

/** Number of dense lexicon features. */
export const LEXICON_FEATURES = 6;

/** Dense lexicon features: compound score, positive/negative mass, negation, ! and ? counts. */
export function lexiconFeatures(lexicon: SentimentLexicon, tokens: readonly SentimentToken[]): Float32Array {
  const s = lexicon.score(tokens);
  // compound is doubled so that the rule score starts on the same scale as a strong TF-IDF term.
  return Float32Array.from([
    s.compound * 2,
    Math.log1p(s.positive),
    Math.log1p(s.negative),
    s.negation ? 1 : 0,
    s.exclamations / 4,
    s.questions / 4,
  ]);
}

/** Tokenises once for both feature families. */
export function analyseText(text: string): { tokens: SentimentToken[]; terms: string[] } {
  const tokens = sentimentTokens(text);
  return { tokens, terms: sentimentTerms(tokens) };
}
