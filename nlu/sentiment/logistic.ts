// Binary logistic regression over one sparse block (TF-IDF) and one dense block (lexicon scores and
// optional sentence embeddings). Hand-written because it is ~60 lines of arithmetic on a few
// thousand rows: a tensor library (tfjs wasm) would add start-up time and wasm memory for no gain,
// and full-batch Adam with L2 converges in well under a second here.
import type { SparseRow } from './features.js';

/** One training or inference row. */
export interface FeatureRow {
  readonly sparse: SparseRow;
  readonly dense: Float32Array;
}

/** Training parameters. */
export interface LogisticOptions {
  /** L2 penalty on the weights (not on the bias). */
  l2: number;
  /** Full-batch Adam steps. */
  epochs: number;
  /** Adam step size. */
  learningRate: number;
}

/** Learned weights. */
export interface LogisticWeights {
  readonly sparse: Float32Array;
  readonly dense: Float32Array;
  readonly bias: number;
}

/** Probability of the positive class for one row (weights may be a float64 view while training). */
export function predictProbability(
  w: { readonly sparse: ArrayLike<number>; readonly dense: ArrayLike<number>; readonly bias: number },
  row: FeatureRow,
): number {
  let z = w.bias;
  const { indices, values } = row.sparse;
  for (let k = 0; k < indices.length; k += 1) z += w.sparse[indices[k]!]! * values[k]!;
  for (let k = 0; k < row.dense.length; k += 1) z += w.dense[k]! * row.dense[k]!;
  return 1 / (1 + Math.exp(-z));
}

/** Fits the weights by full-batch Adam on the mean log-loss plus L2. Deterministic (zero init). */
export function trainLogistic(
  rows: readonly FeatureRow[],
  labels: readonly number[],
  sparseSize: number,
  denseSize: number,
  options: LogisticOptions,
): LogisticWeights {
  const size = sparseSize + denseSize + 1; // one parameter vector: sparse | dense | bias
  const w = new Float64Array(size);
  const m = new Float64Array(size);
  const v = new Float64Array(size);
  const grad = new Float64Array(size);
  const { l2, epochs, learningRate } = options;
  const view = () => ({
    sparse: w.subarray(0, sparseSize),
    dense: w.subarray(sparseSize, sparseSize + denseSize),
    bias: w[size - 1]!,
  });
  for (let step = 1; step <= epochs; step += 1) {
    grad.fill(0);
    const current = view();
    rows.forEach((row, i) => {
      const g = (predictProbability(current, row) - labels[i]!) / rows.length;
      const { indices, values } = row.sparse;
      for (let k = 0; k < indices.length; k += 1) grad[indices[k]!]! += g * values[k]!;
      for (let k = 0; k < row.dense.length; k += 1) grad[sparseSize + k]! += g * row.dense[k]!;
      grad[size - 1]! += g;
    });
    const correction1 = 1 - 0.9 ** step;
    const correction2 = 1 - 0.999 ** step;
    for (let j = 0; j < size; j += 1) {
      const gj = grad[j]! + (j < size - 1 ? l2 * w[j]! : 0);
      m[j] = 0.9 * m[j]! + 0.1 * gj;
      v[j] = 0.999 * v[j]! + 0.001 * gj * gj;
      w[j]! -= (learningRate * (m[j]! / correction1)) / (Math.sqrt(v[j]! / correction2) + 1e-8);
    }
  }
  return {
    sparse: Float32Array.from(w.subarray(0, sparseSize)),
    dense: Float32Array.from(w.subarray(sparseSize, sparseSize + denseSize)),
    bias: Math.fround(w[size - 1]!),
  };
}
