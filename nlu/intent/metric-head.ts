// A small projection head on frozen sentence embeddings, trained with a large-margin cosine loss
// (CosFace: Wang et al. 2018). The embedding is projected to a lower-dimensional unit sphere where
// every intent has a learned direction; the margin pulls the examples of an intent together and
// pushes other intents away, which is what makes per-intent distance boundaries meaningful for
// out-of-scope detection (frozen USE + a trained dense layer + adaptive boundaries is the set-up of
// Lorenc et al. 2022 on BANKING77). Hand-written on Float32Array like the softmax heads: a 512×128
// dense layer is a few seconds per epoch in plain loops, no framework needed.
import { gaussian, mulberry32, shuffleInPlace } from '../../random/index.js';
import { addDenseProduct, softmaxInPlace } from './softmax-head.js';

/** Hyper-parameters of the metric head. */
export interface MetricHeadParams {
  /** Projected dimensions. */
  dims: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** CosFace scale s (logits are s · cosine). */
  scale: number;
  /** CosFace additive cosine margin m subtracted from the true intent's cosine while training. */
  margin: number;
  /** Fewest optimiser steps (small data sets get more epochs). */
  minSteps: number;
  seed: number;
}

/** Defaults chosen on BANKING77 calibration rounds (training data only); few minimum steps keep small bots cheap to train. */
export const DEFAULT_METRIC_HEAD: MetricHeadParams = {
  dims: 128,
  epochs: 12,
  batchSize: 64,
  learningRate: 0.003,
  scale: 24,
  margin: 0.3,
  minSteps: 100,
  seed: 3,
};

/** A trained projection: z = normalise(x·W + b); intent directions are unit rows of `classWeights`. */
export class MetricHead {
  constructor(
    readonly inputs: number,
    readonly dims: number,
    readonly classes: number,
    /** [inputs × dims], row-major by input feature. */
    readonly weights: Float32Array,
    readonly bias: Float32Array,
    /** [classes × dims], unit rows. */
    readonly classWeights: Float32Array,
  ) {
    if (weights.length !== inputs * dims || bias.length !== dims || classWeights.length !== classes * dims)
      throw new RangeError(`metric head shape mismatch for ${inputs}→${dims}, ${classes} classes`);
  }

  /** Unit-length projection of one embedding. */
  project(x: Float32Array): Float32Array {
    const h = new Float32Array(this.dims);
    project(x, this.weights, this.bias, h);
    normaliseInPlace(h);
    return h;
  }

  /** Cosine of a projection to every intent direction. */
  cosines(z: Float32Array): Float32Array {
    const D = this.dims;
    const out = new Float32Array(this.classes);
    for (let c = 0; c < this.classes; c++) {
      let s = 0;
      for (let d = 0; d < D; d++) s += z[d]! * this.classWeights[c * D + d]!;
      out[c] = s;
    }
    return out;
  }

  /** Log-probabilities from scaled cosines (what the head was trained to output, margin off). */
  logProbs(cosines: Float32Array, scale: number): Float32Array {
    const out = new Float32Array(cosines.length);
    let max = -Infinity;
    for (let c = 0; c < out.length; c++) max = Math.max(max, (out[c] = scale * cosines[c]!));
    let sum = 0;
    for (const v of out) sum += Math.exp(v - max);
    const lse = max + Math.log(sum);
    for (let c = 0; c < out.length; c++) out[c]! -= lse;
    return out;
  }

  /** Trains on dense embeddings `xs` with intent indices `ys`; yields to the event loop each epoch. */
  static async train(
    xs: readonly Float32Array[],
    ys: readonly number[],
    classes: number,
    params: MetricHeadParams,
  ): Promise<MetricHead> {
    const F = xs[0]?.length ?? 0;
    const D = params.dims;
    const C = classes;
    const random = mulberry32(params.seed);
    const normal = gaussian(random);
    const W = Float32Array.from({ length: F * D }, () => normal() * Math.sqrt(1 / F));
    const b = new Float32Array(D);
    const V = Float32Array.from({ length: C * D }, () => normal());
    for (let c = 0; c < C; c++) normaliseInPlace(V.subarray(c * D, (c + 1) * D));
    const adamW = new Adam(W.length);
    const adamB = new Adam(D);
    const adamV = new Adam(V.length);
    const gW = new Float32Array(W.length);
    const gB = new Float32Array(D);
    const gV = new Float32Array(V.length);
    const order = Array.from(xs.keys());
    const stepsPerEpoch = Math.max(1, Math.ceil(xs.length / params.batchSize));
    const epochs = Math.max(params.epochs, Math.ceil(params.minSteps / stepsPerEpoch));
    const totalSteps = stepsPerEpoch * epochs;
    const h = new Float32Array(D);
    const dz = new Float32Array(D);
    const cos = new Float64Array(C);
    const dhRows: Float32Array[] = [];
    const xRows: Float32Array[] = [];
    let t = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      shuffleInPlace(order, random);
      for (let start = 0; start < order.length; start += params.batchSize) {
        const batch = order.slice(start, start + params.batchSize);
        const scale = 1 / batch.length;
        dhRows.length = 0;
        xRows.length = 0;
        for (const i of batch) {
          const x = xs[i]!;
          const y = ys[i]!;
          project(x, W, b, h);
          const norm = Math.sqrt(h.reduce((s, v) => s + v * v, 0)) || 1;
          for (let d = 0; d < D; d++) h[d]! /= norm; // h is now z
          for (let c = 0; c < C; c++) {
            let s = 0;
            for (let d = 0; d < D; d++) s += h[d]! * V[c * D + d]!;
            cos[c] = params.scale * (s - (c === y ? params.margin : 0));
          }
          softmaxInPlace(cos);
          cos[y]! -= 1;
          dz.fill(0);
          for (let c = 0; c < C; c++) {
            const g = params.scale * cos[c]! * scale; // dL/dcos_c
            if (g === 0) continue;
            for (let d = 0; d < D; d++) {
              dz[d]! += g * V[c * D + d]!;
              gV[c * D + d]! += g * h[d]!;
            }
          }
          // Back through the normalisation: dh = (dz − z (z·dz)) / |h|.
          let zdz = 0;
          for (let d = 0; d < D; d++) zdz += h[d]! * dz[d]!;
          const dh = new Float32Array(D);
          for (let d = 0; d < D; d++) {
            dh[d] = (dz[d]! - h[d]! * zdz) / norm;
            gB[d]! += dh[d]!;
          }
          dhRows.push(dh);
          xRows.push(x);
        }
        addOuterProducts(xRows, dhRows, gW, D);
        // Class directions live on the sphere: project their gradient onto the tangent space.
        for (let c = 0; c < C; c++) {
          const row = c * D;
          let vg = 0;
          for (let d = 0; d < D; d++) vg += V[row + d]! * gV[row + d]!;
          for (let d = 0; d < D; d++) gV[row + d]! -= V[row + d]! * vg;
        }
        t++;
        const lr = params.learningRate * (1 - (0.9 * (t - 1)) / totalSteps);
        adamW.step(W, gW, lr, t);
        adamB.step(b, gB, lr, t);
        adamV.step(V, gV, lr, t);
        for (let c = 0; c < C; c++) normaliseInPlace(V.subarray(c * D, (c + 1) * D));
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return new MetricHead(F, D, C, W, b, V);
  }
}

/** Plain Adam over one flat parameter tensor; the gradient buffer is cleared after the step. */
class Adam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  constructor(n: number) {
    this.m = new Float32Array(n);
    this.v = new Float32Array(n);
  }
  step(p: Float32Array, g: Float32Array, lr: number, t: number): void {
    const corr = (lr * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
    for (let j = 0; j < p.length; j++) {
      const gj = g[j]!;
      g[j] = 0;
      const m = (this.m[j] = 0.9 * this.m[j]! + 0.1 * gj);
      const v = (this.v[j] = 0.999 * this.v[j]! + 0.001 * gj * gj);
      p[j]! -= (corr * m) / (Math.sqrt(v) + 1e-8);
    }
  }
}

/** out = x·W + b for a dense x (W: [x.length × out.length]). */
function project(x: Float32Array, W: Float32Array, b: Float32Array, out: Float32Array): void {
  out.set(b);
  addDenseProduct(x, W, out, out.length);
}

/** G += Σ_i x_iᵀ · dh_i (G: [x.length × D]), four rows at a time. */
function addOuterProducts(
  xs: readonly Float32Array[],
  dhs: readonly Float32Array[],
  G: Float32Array,
  D: number,
): void {
  const n = xs.length;
  const F = xs[0]?.length ?? 0;
  for (let f = 0; f < F; f++) {
    const row = f * D;
    let i = 0;
    for (; i + 3 < n; i += 4) {
      const v0 = xs[i]![f]!;
      const v1 = xs[i + 1]![f]!;
      const v2 = xs[i + 2]![f]!;
      const v3 = xs[i + 3]![f]!;
      const d0 = dhs[i]!;
      const d1 = dhs[i + 1]!;
      const d2 = dhs[i + 2]!;
      const d3 = dhs[i + 3]!;
      for (let d = 0; d < D; d++) G[row + d]! += v0 * d0[d]! + v1 * d1[d]! + v2 * d2[d]! + v3 * d3[d]!;
    }
    for (; i < n; i++) {
      const v = xs[i]![f]!;
      const dh = dhs[i]!;
      for (let d = 0; d < D; d++) G[row + d]! += v * dh[d]!;
    }
  }
}

/** Scales a vector to unit length in place (a zero vector stays zero). */
export function normaliseInPlace(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}
