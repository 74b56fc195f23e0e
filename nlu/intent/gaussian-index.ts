// Class-conditional Gaussians with one shared covariance over sentence embeddings: the
// Mahalanobis distance of a message to the nearest intent mean is a known out-of-scope signal
// (it accounts for how spread each embedding direction is, which plain cosine similarity does not).
// Hand-written (Cholesky factorisation and triangular inversion of a 512×512 matrix, a few dozen
// lines) because no maintained npm package offers it without a heavy dependency; float64 inside.
import { dot } from './vector-math.js';

/** Whitening transform plus whitened class means; distances are squared Mahalanobis distances. */
export class GaussianIndex {
  constructor(
    readonly dims: number,
    /** Lower-triangular W = L⁻¹ (row-major dims × dims) where Σ + ridge·I = L Lᵀ. */
    readonly whitening: Float32Array,
    /** Whitened class means [classes × dims]. */
    readonly means: Float32Array,
  ) {
    if (whitening.length !== dims * dims || means.length % dims !== 0) {
      throw new RangeError(
        `gaussian index shape mismatch: ${whitening.length} / ${means.length} values for ${dims} dims`,
      );
    }
  }

  /** Number of classes. */
  get classes(): number {
    return this.means.length / this.dims;
  }

  /**
   * Fits class means and the pooled within-class covariance, shrunk towards its average variance
   * by `shrinkage` so that the inverse stays stable with few examples per dimension.
   */
  static fit(
    vectors: readonly Float32Array[],
    classes: readonly number[],
    classCount: number,
    dims: number,
    shrinkage = 0.1,
  ): GaussianIndex {
    const D = dims;
    const mu = new Float64Array(classCount * D);
    const counts = new Float64Array(classCount);
    vectors.forEach((v, i) => {
      const c = classes[i]!;
      counts[c]!++;
      for (let d = 0; d < D; d++) mu[c * D + d]! += v[d]!;
    });
    for (let c = 0; c < classCount; c++)
      for (let d = 0; d < D; d++) mu[c * D + d]! /= Math.max(1, counts[c]!);
    // Within-class scatter, lower triangle, accumulated four centred rows at a time (a rank-4
    // update reads and writes each covariance cell once per four rows: ~3× faster than one by one).
    const cov = new Float64Array(D * D);
    const block = [new Float64Array(D), new Float64Array(D), new Float64Array(D), new Float64Array(D)];
    let filled = 0;
    const flush = () => {
      for (let k = filled; k < 4; k++) block[k]!.fill(0);
      const [x0, x1, x2, x3] = block as [Float64Array, Float64Array, Float64Array, Float64Array];
      for (let a = 0; a < D; a++) {
        const a0 = x0[a]!;
        const a1 = x1[a]!;
        const a2 = x2[a]!;
        const a3 = x3[a]!;
        const row = a * D;
        for (let b = 0; b <= a; b++) cov[row + b]! += a0 * x0[b]! + a1 * x1[b]! + a2 * x2[b]! + a3 * x3[b]!;
      }
      filled = 0;
    };
    vectors.forEach((v, i) => {
      const base = classes[i]! * D;
      const x = block[filled++]!;
      for (let d = 0; d < D; d++) x[d] = v[d]! - mu[base + d]!;
      if (filled === 4) flush();
    });
    if (filled > 0) flush();
    const n = Math.max(1, vectors.length - classCount);
    let trace = 0;
    for (let a = 0; a < D; a++) trace += cov[a * D + a]! / n;
    const ridge = (shrinkage * trace) / D + 1e-8;
    for (let a = 0; a < D; a++) {
      for (let b = 0; b <= a; b++)
        cov[a * D + b] = (1 - shrinkage) * (cov[a * D + b]! / n) + (a === b ? ridge : 0);
    }
    const L = cholesky(cov, D);
    const W = invertLower(L, D);
    const means = new Float32Array(classCount * D);
    for (let c = 0; c < classCount; c++) means.set(lowerTimes(W, mu.subarray(c * D, (c + 1) * D), D), c * D);
    return new GaussianIndex(D, Float32Array.from(W), means);
  }

  /** Squared Mahalanobis distance of `v` to every class mean. */
  distances(v: Float32Array): Float64Array {
    const D = this.dims;
    const z = new Float32Array(D);
    for (let a = 0; a < D; a++) z[a] = dot(v, this.whitening, a * D, a + 1);
    const C = this.classes;
    const out = new Float64Array(C);
    // |z − m|² = |z|² − 2 z·m + |m|², with |m|² cached: one dot product per class.
    const zz = dot(z, z, 0, D);
    const norms = this.meanNorms();
    for (let c = 0; c < C; c++) out[c] = Math.max(0, zz - 2 * dot(z, this.means, c * D, D) + norms[c]!);
    return out;
  }

  private norms?: Float64Array;
  private meanNorms(): Float64Array {
    if (!this.norms) {
      const D = this.dims;
      this.norms = Float64Array.from({ length: this.classes }, (_, c) => {
        let s = 0;
        for (let d = 0; d < D; d++) s += this.means[c * D + d]! ** 2;
        return s;
      });
    }
    return this.norms;
  }
}

/** Lower-triangular matrix times vector (row-major). */
function lowerTimes(W: ArrayLike<number>, v: ArrayLike<number>, D: number): Float64Array {
  const out = new Float64Array(D);
  for (let a = 0; a < D; a++) {
    let s = 0;
    const row = a * D;
    for (let b = 0; b <= a; b++) s += W[row + b]! * v[b]!;
    out[a] = s;
  }
  return out;
}

/** Cholesky factor L of a symmetric positive definite matrix given by its lower triangle. */
function cholesky(A: Float64Array, D: number): Float64Array {
  const L = new Float64Array(D * D);
  for (let i = 0; i < D; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * D + j]!;
      for (let k = 0; k < j; k++) s -= L[i * D + k]! * L[j * D + k]!;
      L[i * D + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / L[j * D + j]!;
    }
  }
  return L;
}

/** Inverse of a lower-triangular matrix (also lower-triangular), by forward substitution. */
function invertLower(L: Float64Array, D: number): Float64Array {
  const W = new Float64Array(D * D);
  for (let j = 0; j < D; j++) {
    W[j * D + j] = 1 / L[j * D + j]!;
    for (let i = j + 1; i < D; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s += L[i * D + k]! * W[k * D + j]!;
      W[i * D + j] = -s / L[i * D + i]!;
    }
  }
  return W;
}
