// Lexical features: TF-IDF over word 1–2 grams and character 2–5 grams taken inside word
// boundaries (padded words, like scikit-learn's "char_wb"). Measured on BANKING77 these lexical
// features alone beat the sentence embedding (0.918 vs 0.890), so they are the backbone of the
// intent head. Hand-written because no maintained npm package offers char_wb n-grams with
// sparse output, and the routine is short.

/** A sparse feature vector: sorted feature indices with their values. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

/** Parameters of the vectoriser, recorded in the manifest. */
export interface TfidfParams {
  wordNgrams: [number, number];
  charNgrams: [number, number];
  /** Terms seen in fewer training texts are dropped. */
  minDf: number;
  /** Upper bound on the vocabulary size (most frequent terms kept). */
  maxFeatures: number;
}

/** Defaults used for BANKING77-sized data. */
export const DEFAULT_TFIDF_PARAMS: TfidfParams = {
  wordNgrams: [1, 2],
  charNgrams: [2, 5],
  minDf: 1,
  maxFeatures: 200_000,
};

/** Lower-cases, folds compatibility forms and splits into word tokens (letters, digits, inner apostrophes). */
export function tokenize(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu) ?? []
  );
}

/** Word n-gram and char_wb n-gram terms of a text, with repeats (term frequency). */
export function extractTerms(text: string, params: TfidfParams): { words: string[]; chars: string[] } {
  const tokens = tokenize(text);
  const words: string[] = [];
  for (let n = params.wordNgrams[0]; n <= params.wordNgrams[1]; n++) {
    for (let i = 0; i + n <= tokens.length; i++) words.push(`w:${tokens.slice(i, i + n).join(' ')}`);
  }
  const chars: string[] = [];
  for (const token of tokens) {
    const padded = ` ${token} `;
    for (let n = params.charNgrams[0]; n <= params.charNgrams[1]; n++) {
      if (n > padded.length) break;
      for (let i = 0; i + n <= padded.length; i++) chars.push(`c:${padded.slice(i, i + n)}`);
    }
  }
  return { words, chars };
}

/** Fitted TF-IDF vectoriser (sublinear tf, smoothed idf, each block L2-normalised). */
export class TfidfVectorizer {
  private readonly index: Map<string, number>;

  constructor(
    readonly params: TfidfParams,
    readonly terms: readonly string[],
    readonly idf: Float32Array,
  ) {
    this.index = new Map(terms.map((t, i) => [t, i]));
  }

  /** Number of features. */
  get size(): number {
    return this.terms.length;
  }

  /** Learns the vocabulary and idf weights from training texts. */
  static fit(texts: readonly string[], params: TfidfParams = DEFAULT_TFIDF_PARAMS): TfidfVectorizer {
    const df = new Map<string, number>();
    for (const text of texts) {
      const { words, chars } = extractTerms(text, params);
      for (const term of new Set([...words, ...chars])) df.set(term, (df.get(term) ?? 0) + 1);
    }
    const kept = [...df.entries()]
      .filter(([, count]) => count >= params.minDf)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, params.maxFeatures)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const n = texts.length;
    const idf = Float32Array.from(kept, ([, count]) => Math.log((1 + n) / (1 + count)) + 1);
    return new TfidfVectorizer(
      params,
      kept.map(([term]) => term),
      idf,
    );
  }

  /** Sparse TF-IDF vector of one text (unknown terms are ignored). */
  transform(text: string): SparseVector {
    const { words, chars } = extractTerms(text, this.params);
    const parts = [this.block(words), this.block(chars)];
    // Each block has unit norm; scale so the concatenation has unit norm too.
    const nonEmpty = parts.filter((p) => p.size > 0).length;
    const scale = nonEmpty > 0 ? 1 / Math.sqrt(nonEmpty) : 0;
    const merged = new Map<number, number>();
    for (const part of parts) for (const [i, v] of part) merged.set(i, v * scale);
    const indices = Int32Array.from([...merged.keys()].sort((a, b) => a - b));
    const values = Float32Array.from(indices, (i) => merged.get(i)!);
    return { indices, values };
  }

  private block(terms: readonly string[]): Map<number, number> {
    const counts = new Map<number, number>();
    for (const term of terms) {
      const i = this.index.get(term);
      if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    let norm = 0;
    for (const [i, tf] of counts) {
      const w = (1 + Math.log(tf)) * this.idf[i]!;
      counts.set(i, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [i, w] of counts) counts.set(i, w / norm);
    return counts;
  }
}
