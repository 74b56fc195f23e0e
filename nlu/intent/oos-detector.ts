// Out-of-scope scoring of the intent classifier. The top fused probability alone separates known
// from unknown requests poorly on fine-grained data (BANKING77: 0.47 recall at a 2-point in-scope
// cost), because a softmax is confident far from its training data. So the decision combines
// several signals in a small logistic model fitted on the pseudo out-of-scope calibration rounds:
// confidence, margin and entropy of the fused and per-head distributions, and how close the
// message's sentence embedding lies to the training examples (nearest-neighbour cosine similarity,
// a strong out-of-scope signal on BANKING77-style data).
// Mahalanobis distances to the intent means (format 2) were dropped in format 3: on the
// calibration rounds they added no recall (0.454 with, 0.457 without), while costing a 512×512
// whitening product per message and a covariance fit per calibration round.
import type { MetricHead } from './metric-head.js';
import { dot } from './vector-math.js';

/** Names of the features, in vector order (recorded in the manifest). */
export const OOS_FEATURES = [
  'fusedMax',
  'fusedMargin',
  'fusedEntropy',
  'lexicalMax',
  'semanticMax',
  'headsAgree',
  'nnSimilarity',
  'nnTop5Similarity',
  'nnSimilarityPredicted',
  'centroidSimilarityPredicted',
] as const;

/** Features the metric methods add (see MetricView). */
export const METRIC_OOS_FEATURES = ['metricCosPredicted', 'metricBoundaryMargin', 'metricAgrees'] as const;

/** Feature names of the logistic out-of-scope model, with or without the metric-space features. */
export function featureNames(withMetric: boolean): string[] {
  return withMetric ? [...OOS_FEATURES, ...METRIC_OOS_FEATURES] : [...OOS_FEATURES];
}

/** What the metric head says about a message given the intent the fused heads chose. */
export interface MetricView {
  /** Cosine of the projection to the chosen intent's direction. */
  cosPredicted: number;
  /** That cosine minus the chosen intent's adaptive boundary (negative: outside it). */
  boundaryMargin: number;
  /** 1 when the metric head's own best intent is the chosen one. */
  agrees: number;
}

/** Slope of the logistic squashing of the boundary margin into a (0, 1) in-scope score for `adb`. */
const ADB_SLOPE = 10;

/** The metric head's view of one embedding for the chosen intent `predicted`. */
export function metricView(
  head: MetricHead,
  boundaries: Float32Array,
  embedding: Float32Array,
  predicted: number,
): MetricView {
  const cos = head.cosines(head.project(embedding));
  return {
    cosPredicted: cos[predicted]!,
    boundaryMargin: cos[predicted]! - boundaries[predicted]!,
    agrees: argmaxOf(cos) === predicted ? 1 : 0,
  };
}

/** In-scope score of the `adb` method: the boundary margin squashed into (0, 1). */
export function adbScore(view: MetricView): number {
  return 1 / (1 + Math.exp(-ADB_SLOPE * view.boundaryMargin));
}

/** How many top-ranked intents the neighbour search covers (their examples are scanned). */
export const NEIGHBOUR_INTENTS = 5;

/**
 * Training embeddings (unit length, one row each) grouped by intent, plus unit-length intent
 * centroids. Only the examples of the best-ranked intents are scanned per message: the nearest
 * training example almost always belongs to one of them, and it keeps a query at ~0.3 M
 * multiply-adds instead of ~5 M for BANKING77 (the same rule is used in calibration and at run
 * time, so the learned weights match what is computed). Five intents gave the same validation
 * recall as ten (0.458 vs 0.454) at half the cost.
 */
export class NeighbourIndex {
  /** Row offsets per class: rows of class c are [starts[c], starts[c + 1]). */
  readonly starts: Int32Array;

  constructor(
    readonly dims: number,
    /** Rows sorted by class, each L2-normalised. */
    readonly matrix: Float32Array,
    /** Number of rows of each class. */
    readonly counts: Int32Array,
    /** Unit-length class centroids [classes × dims] (zero for a class without rows). */
    readonly centroids: Float32Array,
  ) {
    this.starts = new Int32Array(counts.length + 1);
    for (let c = 0; c < counts.length; c++) this.starts[c + 1] = this.starts[c]! + counts[c]!;
    if (matrix.length !== this.starts[counts.length]! * dims || centroids.length !== counts.length * dims) {
      throw new RangeError(
        `neighbour index shape mismatch: ${matrix.length} values for ${this.starts[counts.length]} rows of ${dims}`,
      );
    }
  }

  /** Builds the index from embeddings and their class indices. */
  static build(
    vectors: readonly Float32Array[],
    classes: readonly number[],
    classCount: number,
    dims: number,
  ): NeighbourIndex {
    const counts = new Int32Array(classCount);
    for (const c of classes) counts[c]!++;
    const order = Array.from(vectors.keys()).sort((a, b) => classes[a]! - classes[b]! || a - b);
    const matrix = new Float32Array(order.length * dims);
    const centroids = new Float32Array(classCount * dims);
    order.forEach((i, row) => {
      const v = unit(vectors[i]!);
      matrix.set(v, row * dims);
      const base = classes[i]! * dims;
      for (let d = 0; d < dims; d++) centroids[base + d]! += v[d]!;
    });
    for (let c = 0; c < classCount; c++) unitInPlace(centroids.subarray(c * dims, (c + 1) * dims));
    return new NeighbourIndex(dims, matrix, counts, centroids);
  }

  /** Cosine of a unit-length query to the nearest training example of each of `classes`. */
  nearestPerClass(q: Float32Array, classes: readonly number[]): Float32Array {
    const D = this.dims;
    const out = new Float32Array(classes.length).fill(-1);
    for (const [k, c] of classes.entries()) {
      for (let r = this.starts[c]!; r < this.starts[c + 1]!; r++) {
        const s = dot(q, this.matrix, r * D, D);
        if (s > out[k]!) out[k] = s;
      }
    }
    return out;
  }

  /**
   * Similarities of a unit-length query to the training examples of `candidates` (class indices,
   * best first): the largest, the mean of the five largest, the largest within the first
   * candidate, and the cosine to the first candidate's centroid.
   */
  query(
    q: Float32Array,
    candidates: readonly number[],
  ): { nn: number; top5: number; nnPredicted: number; centroid: number } {
    const D = this.dims;
    const top = [-1, -1, -1, -1, -1]; // descending
    let nnPredicted = -1;
    for (const [k, c] of candidates.entries()) {
      for (let r = this.starts[c]!; r < this.starts[c + 1]!; r++) {
        const s = dot(q, this.matrix, r * D, D);
        if (k === 0 && s > nnPredicted) nnPredicted = s;
        if (s > top[4]!) {
          let j = 4;
          while (j > 0 && top[j - 1]! < s) {
            top[j] = top[j - 1]!;
            j--;
          }
          top[j] = s;
        }
      }
    }
    const first = candidates[0] ?? 0;
    let centroid = 0;
    for (let d = 0; d < D; d++) centroid += q[d]! * this.centroids[first * D + d]!;
    const filled = top.filter((s) => s > -1);
    return {
      nn: Math.max(0, top[0]!),
      top5: filled.length ? filled.reduce((a, b) => a + b, 0) / filled.length : 0,
      nnPredicted: Math.max(0, nnPredicted),
      centroid,
    };
  }
}

/** Feature vector of one message (see OOS_FEATURES). */
export function oosFeatures(
  fused: Float32Array,
  lexicalLogProbs: Float32Array,
  semanticLogProbs: Float32Array,
  embedding: Float32Array,
  index: NeighbourIndex,
  metric?: MetricView,
): Float64Array {
  const order = topIndices(fused, NEIGHBOUR_INTENTS);
  const p1 = fused[order[0]!]!;
  const p2 = order.length > 1 ? fused[order[1]!]! : 0;
  let entropy = 0;
  for (const p of fused) if (p > 0) entropy -= p * Math.log(p);
  const lexBest = argmaxOf(lexicalLogProbs);
  const semBest = argmaxOf(semanticLogProbs);
  const q = unit(embedding);
  const nb = index.query(q, order);
  return Float64Array.from([
    p1,
    p1 - p2,
    fused.length > 1 ? entropy / Math.log(fused.length) : 0,
    Math.exp(lexicalLogProbs[lexBest]!),
    Math.exp(semanticLogProbs[semBest]!),
    lexBest === semBest ? 1 : 0,
    nb.nn,
    nb.top5,
    nb.nnPredicted,
    nb.centroid,
    ...(metric ? [metric.cosPredicted, metric.boundaryMargin, metric.agrees] : []),
  ]);
}

/**
 * Logistic model giving P(in scope) from standardised features. Fitted by Newton's method
 * (hand-written: ten features, a few thousand rows, and no maintained npm package offers a
 * weighted, ridge-penalised logistic regression without pulling in a larger framework).
 */
export class OosScorer {
  constructor(
    readonly mean: Float64Array,
    readonly std: Float64Array,
    readonly weights: Float64Array,
    readonly bias: number,
  ) {}

  /** Probability that a message with these features is in scope. */
  score(x: Float64Array): number {
    let z = this.bias;
    for (let j = 0; j < this.weights.length; j++)
      z += this.weights[j]! * ((x[j]! - this.mean[j]!) / this.std[j]!);
    return 1 / (1 + Math.exp(-z));
  }

  /** Fits on rows labelled in scope (1) or out of scope (0); both classes get equal total weight. */
  static fit(xs: readonly Float64Array[], ys: readonly number[], l2 = 1e-2, iterations = 25): OosScorer {
    const n = xs.length;
    const F = xs[0]?.length ?? 0;
    const mean = new Float64Array(F);
    const std = new Float64Array(F);
    for (const x of xs) for (let j = 0; j < F; j++) mean[j]! += x[j]! / n;
    for (const x of xs) for (let j = 0; j < F; j++) std[j]! += (x[j]! - mean[j]!) ** 2 / n;
    for (let j = 0; j < F; j++) std[j] = Math.sqrt(std[j]!) || 1;
    const z = xs.map((x) => Float64Array.from(x, (v, j) => (v - mean[j]!) / std[j]!));
    const pos = ys.filter((y) => y === 1).length;
    const w = ys.map((y) => (y === 1 ? n / (2 * Math.max(1, pos)) : n / (2 * Math.max(1, n - pos))));
    const P = F + 1; // last parameter is the bias
    const theta = new Float64Array(P);
    for (let it = 0; it < iterations; it++) {
      const grad = new Float64Array(P);
      const hess = Array.from({ length: P }, () => new Float64Array(P));
      for (let i = 0; i < n; i++) {
        const row = z[i]!;
        let s = theta[F]!;
        for (let j = 0; j < F; j++) s += theta[j]! * row[j]!;
        const p = 1 / (1 + Math.exp(-s));
        const g = w[i]! * (p - ys[i]!);
        const h = w[i]! * p * (1 - p);
        for (let a = 0; a < P; a++) {
          const xa = a === F ? 1 : row[a]!;
          grad[a]! += g * xa;
          for (let b = 0; b <= a; b++) hess[a]![b]! += h * xa * (b === F ? 1 : row[b]!);
        }
      }
      for (let a = 0; a < P; a++) {
        for (let b = 0; b < a; b++) hess[b]![a] = hess[a]![b]!;
        if (a < F) {
          grad[a]! += l2 * n * theta[a]!;
          hess[a]![a]! += l2 * n;
        }
        hess[a]![a]! += 1e-9 * n;
      }
      const step = solve(hess, grad);
      let change = 0;
      for (let a = 0; a < P; a++) {
        theta[a]! -= step[a]!;
        change = Math.max(change, Math.abs(step[a]!));
      }
      if (change < 1e-6) break;
    }
    return new OosScorer(mean, std, theta.slice(0, F), theta[F]!);
  }
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small and symmetric positive definite). */
function solve(A: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length;
  const M = A.map((row, i) => Float64Array.from([...row, b[i]!]));
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(M[r]![col]!) > Math.abs(M[pivot]![col]!)) pivot = r;
    [M[col], M[pivot]] = [M[pivot]!, M[col]!];
    const p = M[col]![col]! || 1e-12;
    for (let r = col + 1; r < n; r++) {
      const f = M[r]![col]! / p;
      if (f !== 0) for (let k = col; k <= n; k++) M[r]![k]! -= f * M[col]![k]!;
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= M[r]![k]! * x[k]!;
    x[r] = s / (M[r]![r]! || 1e-12);
  }
  return x;
}

/** Indices of the k largest values, largest first (a partial insertion sort: k is small). */
export function topIndices(v: Float32Array, k: number): number[] {
  const top: number[] = [];
  for (let i = 0; i < v.length; i++) {
    if (top.length === k && v[i]! <= v[top[k - 1]!]!) continue;
    let j = top.length === k ? k - 1 : top.length;
    while (j > 0 && v[top[j - 1]!]! < v[i]!) {
      top[j] = top[j - 1]!;
      j--;
    }
    top[j] = i;
  }
  return top;
}

function argmaxOf(v: Float32Array): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

/** A unit-length copy of `v`. */
export function unit(v: Float32Array): Float32Array {
  return unitInPlace(Float32Array.from(v));
}

function unitInPlace(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}
