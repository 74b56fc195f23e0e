// Multinomial logistic regression trained with mini-batch "lazy" Adam (only the weight rows of
// features present in the batch are updated, which keeps sparse TF-IDF training fast).
// Hand-written on Float32Array rather than tfjs layers because, measured on this 2-core box,
// tfjs-wasm matMul with sparse 40k-wide TF-IDF inputs would need dense batches and was far
// slower; this loop touches only the non-zero features and trains BANKING77 in seconds.
import { mulberry32, shuffleInPlace } from '../../random/index.js';
import type { SparseVector } from './text-features.js';

/** Hyper-parameters of a softmax head. */
export interface SoftmaxParams {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** L2 penalty; small values work best (1e-4 over-regularises USE features, measured). */
  l2: number;
  /**
   * Fewest optimiser steps: small training sets (a few dozen examples) get more epochs so that
   * they are not left under-trained by an epoch count sized for thousands of examples.
   */
  minSteps?: number;
  seed: number;
}

/** A trained softmax regression: weights are [features × classes], row-major by feature. */
export class SoftmaxHead {
  constructor(
    readonly features: number,
    readonly classes: number,
    readonly weights: Float32Array,
    readonly bias: Float32Array,
  ) {
    if (weights.length !== features * classes || bias.length !== classes) {
      throw new RangeError(
        `softmax head shape mismatch: ${weights.length} weights, ${bias.length} biases for ${features}×${classes}`,
      );
    }
  }

  /** Log-probabilities of every class for one input. */
  logProbs(x: SparseVector): Float32Array {
    const out = new Float32Array(this.classes);
    logits(x, this.weights, this.bias, out, this.features, this.classes);
    return logSoftmaxInPlace(out);
  }

  /**
   * Trains a head; `onEpoch` reports progress. Yields to the event loop after every epoch so that
   * a server retraining in the background keeps answering. Dense inputs (every row has all
   * `features`, e.g. sentence embeddings) take a batched path with 4-way unrolled loops: ~3×
   * fewer CPU seconds than the sparse loop on 512-d embeddings, same mathematics.
   */
  static async train(
    xs: readonly SparseVector[],
    ys: readonly number[],
    features: number,
    classes: number,
    params: SoftmaxParams,
    onEpoch?: (epoch: number) => void,
  ): Promise<SoftmaxHead> {
    const C = classes;
    const W = new Float32Array(features * C);
    const b = new Float32Array(C);
    const adam = new LazyAdam(features, C, params.l2);
    const dense = xs.length > 0 && xs.every((x) => x.indices.length === features);
    const deltas = new Float64Array(params.batchSize * C);
    const rows: Float32Array[] = [];
    const p = new Float64Array(C);
    const random = mulberry32(params.seed);
    const order = Array.from(xs.keys());
    const stepsPerEpoch = Math.max(1, Math.ceil(xs.length / params.batchSize));
    const epochs = Math.max(params.epochs, Math.ceil((params.minSteps ?? 0) / stepsPerEpoch));
    const totalSteps = Math.max(1, stepsPerEpoch * epochs);
    let t = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      shuffleInPlace(order, random);
      for (let start = 0; start < order.length; start += params.batchSize) {
        const batch = order.slice(start, start + params.batchSize);
        const scale = 1 / batch.length;
        rows.length = 0;
        for (let k = 0; k < batch.length; k++) {
          const i = batch[k]!;
          const x = xs[i]!;
          logits(x, W, b, p, features, C);
          softmaxInPlace(p);
          p[ys[i]!]! -= 1; // gradient of cross-entropy wrt logits
          for (let c = 0; c < C; c++) adam.gB[c]! += p[c]! * scale;
          if (dense) {
            // dense rows are added to the weight gradient once per batch, four rows at a time
            rows.push(x.values);
            for (let c = 0; c < C; c++) deltas[k * C + c] = p[c]! * scale;
          } else adam.addSparseGradient(x, p, scale);
        }
        if (dense) adam.addDenseGradient(rows, deltas);
        t++;
        // Linear decay to a tenth of the rate: settles the last epochs without a schedule search.
        adam.step(W, b, params.learningRate * (1 - (0.9 * (t - 1)) / totalSteps), t);
      }
      onEpoch?.(epoch + 1);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return new SoftmaxHead(features, classes, W, b);
  }
}

/**
 * Adam state of a [features × classes] weight matrix plus bias, updated "lazily": only the rows
 * of features that had a gradient in the batch (all of them for dense inputs).
 */
class LazyAdam {
  private readonly mW: Float32Array;
  private readonly vW: Float32Array;
  private readonly mB: Float32Array;
  private readonly vB: Float32Array;
  /** Gradient accumulators of the current batch. */
  private readonly G: Float32Array;
  readonly gB: Float32Array;
  private readonly touched: Uint8Array;
  private readonly touchedRows: number[] = [];

  constructor(
    private readonly features: number,
    private readonly classes: number,
    private readonly l2: number,
  ) {
    const n = features * classes;
    this.mW = new Float32Array(n);
    this.vW = new Float32Array(n);
    this.G = new Float32Array(n);
    this.mB = new Float32Array(classes);
    this.vB = new Float32Array(classes);
    this.gB = new Float32Array(classes);
    this.touched = new Uint8Array(features);
  }

  /** Adds x ⊗ (delta · scale) for one sparse row. */
  addSparseGradient(x: SparseVector, delta: Float64Array, scale: number): void {
    const C = this.classes;
    for (let k = 0; k < x.indices.length; k++) {
      const f = x.indices[k]!;
      this.touch(f);
      const row = f * C;
      const v = x.values[k]! * scale;
      for (let c = 0; c < C; c++) this.G[row + c]! += v * delta[c]!;
    }
  }

  /** Adds Xᵀ·D for a batch of dense rows (D: [rows × classes], already scaled), four rows at a time. */
  addDenseGradient(rows: readonly Float32Array[], D: Float64Array): void {
    const C = this.classes;
    const G = this.G;
    const n = rows.length;
    for (let f = 0; f < this.features; f++) {
      this.touch(f);
      const row = f * C;
      let i = 0;
      for (; i + 3 < n; i += 4) {
        const v0 = rows[i]![f]!;
        const v1 = rows[i + 1]![f]!;
        const v2 = rows[i + 2]![f]!;
        const v3 = rows[i + 3]![f]!;
        const d0 = i * C;
        const d1 = d0 + C;
        const d2 = d1 + C;
        const d3 = d2 + C;
        for (let c = 0; c < C; c++)
          G[row + c]! += v0 * D[d0 + c]! + v1 * D[d1 + c]! + v2 * D[d2 + c]! + v3 * D[d3 + c]!;
      }
      for (; i < n; i++) {
        const v = rows[i]![f]!;
        const d = i * C;
        for (let c = 0; c < C; c++) G[row + c]! += v * D[d + c]!;
      }
    }
  }

  /** One Adam step at rate `lr` (step number `t`, from 1) on the touched rows and the bias. */
  step(W: Float32Array, b: Float32Array, lr: number, t: number): void {
    const C = this.classes;
    const corr = (lr * Math.sqrt(1 - BETA2 ** t)) / (1 - BETA1 ** t);
    for (const f of this.touchedRows) {
      const row = f * C;
      for (let c = 0; c < C; c++) {
        const j = row + c;
        const g = this.G[j]! + this.l2 * W[j]!;
        this.G[j] = 0;
        const m = (this.mW[j] = BETA1 * this.mW[j]! + (1 - BETA1) * g);
        const v = (this.vW[j] = BETA2 * this.vW[j]! + (1 - BETA2) * g * g);
        W[j]! -= (corr * m) / (Math.sqrt(v) + EPS);
      }
      this.touched[f] = 0;
    }
    this.touchedRows.length = 0;
    for (let c = 0; c < C; c++) {
      const g = this.gB[c]!;
      this.gB[c] = 0;
      const m = (this.mB[c] = BETA1 * this.mB[c]! + (1 - BETA1) * g);
      const v = (this.vB[c] = BETA2 * this.vB[c]! + (1 - BETA2) * g * g);
      b[c]! -= (corr * m) / (Math.sqrt(v) + EPS);
    }
  }

  private touch(f: number): void {
    if (!this.touched[f]) {
      this.touched[f] = 1;
      this.touchedRows.push(f);
    }
  }
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

/**
 * out = b + xᵀW, the forward pass of prediction and training alike: the unrolled dense loop when x
 * has every feature, else only x's non-zero features. Features past W's rows are skipped, so an
 * input from a vocabulary grown after training still scores.
 */
function logits(
  x: SparseVector,
  W: Float32Array,
  b: Float32Array,
  out: Float64Array | Float32Array,
  F: number,
  C: number,
): void {
  out.set(b);
  if (x.indices.length === F) {
    addDenseProduct(x.values, W, out, C);
    return;
  }
  const { indices, values } = x;
  for (let k = 0; k < indices.length; k++) {
    const row = indices[k]! * C;
    if (row >= W.length) continue;
    const v = values[k]!;
    for (let c = 0; c < C; c++) out[c]! += v * W[row + c]!;
  }
}

/** out += xᵀW for a dense row x (W: [x.length × C]), four features at a time. */
export function addDenseProduct(
  x: Float32Array,
  W: Float32Array,
  out: Float64Array | Float32Array,
  C: number,
): void {
  const F = x.length;
  let f = 0;
  for (; f + 3 < F; f += 4) {
    const v0 = x[f]!;
    const v1 = x[f + 1]!;
    const v2 = x[f + 2]!;
    const v3 = x[f + 3]!;
    const r0 = f * C;
    const r1 = r0 + C;
    const r2 = r1 + C;
    const r3 = r2 + C;
    for (let c = 0; c < C; c++)
      out[c]! += v0 * W[r0 + c]! + v1 * W[r1 + c]! + v2 * W[r2 + c]! + v3 * W[r3 + c]!;
  }
  for (; f < F; f++) {
    const v = x[f]!;
    const r = f * C;
    for (let c = 0; c < C; c++) out[c]! += v * W[r + c]!;
  }
}

/** Wraps dense vectors as SparseVectors over all positions (one shared index array per call). */
export function denseAsSparse(vectors: readonly Float32Array[]): SparseVector[] {
  const byLength = new Map<number, Int32Array>();
  return vectors.map((values) => {
    let indices = byLength.get(values.length);
    if (!indices) {
      indices = Int32Array.from({ length: values.length }, (_, i) => i);
      byLength.set(values.length, indices);
    }
    return { indices, values };
  });
}

/** Numerically stable softmax in place (Float64Array while training: doubles avoid float32 conversions). */
export function softmaxInPlace<T extends Float32Array | Float64Array>(z: T): T {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  let sum = 0;
  for (let c = 0; c < z.length; c++) {
    const e = Math.exp(z[c]! - max);
    z[c] = e;
    sum += e;
  }
  for (let c = 0; c < z.length; c++) z[c]! /= sum;
  return z;
}

/** Numerically stable log-softmax in place. */
export function logSoftmaxInPlace(z: Float32Array): Float32Array {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  let sum = 0;
  for (const v of z) sum += Math.exp(v - max);
  const lse = max + Math.log(sum);
  for (let c = 0; c < z.length; c++) z[c]! -= lse;
  return z;
}
