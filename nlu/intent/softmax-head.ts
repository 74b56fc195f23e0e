// Multinomial logistic regression trained with mini-batch "lazy" Adam (only the weight rows of
// features present in the batch are updated, which keeps sparse TF-IDF training fast).
// Hand-written on Float32Array rather than tfjs layers because, measured on this 2-core box,
// tfjs-wasm matMul with sparse 40k-wide TF-IDF inputs would need dense batches and was far
// slower; this loop touches only the non-zero features and trains BANKING77 in seconds.
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
      throw new RangeError(`softmax head shape mismatch: ${weights.length} weights, ${bias.length} biases for ${features}×${classes}`);
    }
  }

  /** Log-probabilities of every class for one input. */
  logProbs(x: SparseVector): Float32Array {
    const out = Float32Array.from(this.bias);
    const { indices, values } = x;
    const C = this.classes;
    for (let k = 0; k < indices.length; k++) {
      const row = indices[k]! * C;
      const v = values[k]!;
      if (row >= this.weights.length) continue;
      for (let c = 0; c < C; c++) out[c]! += v * this.weights[row + c]!;
    }
    return logSoftmaxInPlace(out);
  }

  /**
   * Trains a head; `onEpoch` reports progress. Yields to the event loop after every epoch so that
   * a server retraining in the background keeps answering.
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
    const mW = new Float32Array(features * C);
    const vW = new Float32Array(features * C);
    const mB = new Float32Array(C);
    const vB = new Float32Array(C);
    const G = new Float32Array(features * C);
    const gB = new Float32Array(C);
    const touched = new Uint8Array(features);
    const touchedRows: number[] = [];
    const p = new Float64Array(C);
    const beta1 = 0.9;
    const beta2 = 0.999;
    const eps = 1e-8;
    const random = mulberry32(params.seed);
    const order = Array.from(xs.keys());
    const stepsPerEpoch = Math.max(1, Math.ceil(xs.length / params.batchSize));
    const epochs = Math.max(params.epochs, Math.ceil((params.minSteps ?? 0) / stepsPerEpoch));
    const totalSteps = Math.max(1, stepsPerEpoch * epochs);
    let t = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      shuffle(order, random);
      for (let start = 0; start < order.length; start += params.batchSize) {
        const batch = order.slice(start, start + params.batchSize);
        const scale = 1 / batch.length;
        for (const i of batch) {
          const x = xs[i]!;
          // forward
          p.set(b);
          for (let k = 0; k < x.indices.length; k++) {
            const row = x.indices[k]! * C;
            const v = x.values[k]!;
            for (let c = 0; c < C; c++) p[c]! += v * W[row + c]!;
          }
          softmax64(p);
          p[ys[i]!]! -= 1; // gradient of cross-entropy wrt logits
          for (let c = 0; c < C; c++) gB[c]! += p[c]! * scale;
          for (let k = 0; k < x.indices.length; k++) {
            const f = x.indices[k]!;
            if (!touched[f]) {
              touched[f] = 1;
              touchedRows.push(f);
            }
            const row = f * C;
            const v = x.values[k]! * scale;
            for (let c = 0; c < C; c++) G[row + c]! += v * p[c]!;
          }
        }
        t++;
        // Linear decay to a tenth of the rate: settles the last epochs without a schedule search.
        const lr = params.learningRate * (1 - (0.9 * (t - 1)) / totalSteps);
        const corr = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
        for (const f of touchedRows) {
          const row = f * C;
          for (let c = 0; c < C; c++) {
            const j = row + c;
            const g = G[j]! + params.l2 * W[j]!;
            G[j] = 0;
            const m = (mW[j] = beta1 * mW[j]! + (1 - beta1) * g);
            const v = (vW[j] = beta2 * vW[j]! + (1 - beta2) * g * g);
            W[j]! -= (corr * m) / (Math.sqrt(v) + eps);
          }
          touched[f] = 0;
        }
        touchedRows.length = 0;
        for (let c = 0; c < C; c++) {
          const g = gB[c]!;
          gB[c] = 0;
          const m = (mB[c] = beta1 * mB[c]! + (1 - beta1) * g);
          const v = (vB[c] = beta2 * vB[c]! + (1 - beta2) * g * g);
          b[c]! -= (corr * m) / (Math.sqrt(v) + eps);
        }
      }
      onEpoch?.(epoch + 1);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return new SoftmaxHead(features, classes, W, b);
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

/** Softmax in place on a Float64Array (the training accumulator; doubles avoid float32 conversions). */
function softmax64(z: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < z.length; c++) if (z[c]! > max) max = z[c]!;
  let sum = 0;
  for (let c = 0; c < z.length; c++) {
    const e = Math.exp(z[c]! - max);
    z[c] = e;
    sum += e;
  }
  for (let c = 0; c < z.length; c++) z[c]! /= sum;
}

/** Numerically stable softmax in place. */
export function softmaxInPlace(z: Float32Array): Float32Array {
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

/** Small seeded PRNG so that training is reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle in place. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
