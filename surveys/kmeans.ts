import { mulberry32 } from './random.js';

// k-means++ with Lloyd iterations, silhouette and k selection over flat Float64Arrays.
// Hand-written: the JS k-means packages on npm either lack seeded k-means++ or silhouette, or
// work on arrays of arrays that are several times slower on 30,000 × 36 data.

/** A row-major numeric matrix. */
export interface Matrix {
  data: Float64Array;
  n: number;
  d: number;
}

/** Builds a Matrix from rows. */
export function toMatrix(rows: readonly (readonly number[])[]): Matrix {
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  const data = new Float64Array(n * d);
  rows.forEach((r, i) => data.set(r, i * d));
  return { data, n, d };
}

/** Column z-scores (population SD; constant columns get SD 1 so they stay 0). */
export function standardise(m: Matrix): { matrix: Matrix; means: number[]; sds: number[] } {
  const { data, n, d } = m;
  const means = new Array<number>(d).fill(0);
  const sds = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) means[j]! += data[i * d + j]!;
  for (let j = 0; j < d; j++) means[j]! /= n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sds[j]! += (data[i * d + j]! - means[j]!) ** 2;
  for (let j = 0; j < d; j++) sds[j] = Math.sqrt(sds[j]! / n) || 1;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) out[i * d + j] = (data[i * d + j]! - means[j]!) / sds[j]!;
  return { matrix: { data: out, n, d }, means, sds };
}

/** Options of one k-means fit. */
export interface KMeansOptions {
  k: number;
  seed?: number;
  /** Independent k-means++ starts; the lowest inertia wins (default 1, as scikit-learn's n_init="auto" for k-means++). */
  nInit?: number;
  maxIter?: number;
  /** Stop when no point changes cluster, or the centres' total squared shift is below this (default 1e-4 × mean feature variance, as scikit-learn). */
  tol?: number;
}

/** A k-means solution. */
export interface KMeansResult {
  k: number;
  labels: Int32Array;
  /** Centres in the space of the input matrix (row-major k × d). */
  centres: Float64Array;
  sizes: number[];
  inertia: number;
  iterations: number;
}

function sqDist(a: Float64Array, ai: number, b: Float64Array, bi: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = a[ai + j]! - b[bi + j]!;
    s += t * t;
  }
  return s;
}

function initPlusPlus(m: Matrix, k: number, random: () => number): Float64Array {
  const { data, n, d } = m;
  const centres = new Float64Array(k * d);
  const first = Math.floor(random() * n);
  centres.set(data.subarray(first * d, first * d + d), 0);
  const dist = new Float64Array(n).fill(Infinity);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const v = sqDist(data, i * d, centres, (c - 1) * d, d);
      if (v < dist[i]!) dist[i] = v;
      total += dist[i]!;
    }
    let target = random() * total;
    let pick = n - 1;
    for (let i = 0; i < n; i++) {
      target -= dist[i]!;
      if (target <= 0) {
        pick = i;
        break;
      }
    }
    centres.set(data.subarray(pick * d, pick * d + d), c * d);
  }
  return centres;
}

/** k-means++ initialisation, then Lloyd iterations; seeded, so equal inputs give equal outputs. */
export function kmeans(m: Matrix, opts: KMeansOptions): KMeansResult {
  const random = mulberry32(opts.seed ?? 1);
  let best: KMeansResult | undefined;
  for (let run = 0; run < (opts.nInit ?? 1); run++) {
    const r = lloyd(
      m,
      opts.k,
      initPlusPlus(m, opts.k, random),
      opts.maxIter ?? 300,
      opts.tol ?? 1e-4 * meanVariance(m),
    );
    if (!best || r.inertia < best.inertia) best = r;
  }
  return best!;
}

// Lloyd's algorithm with Hamerly's bounds (Hamerly 2010, "Making k-means even faster"): an upper
// bound on each point's distance to its centre and a lower bound to the second-closest let most
// points skip the k distance computations in later iterations; the result equals plain Lloyd.
function lloyd(m: Matrix, k: number, centres: Float64Array, maxIter: number, tol: number): KMeansResult {
  const { data, n, d } = m;
  const labels = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  const half = new Float64Array(k);
  const moved = new Float64Array(k);
  const dist2 = distanceFn(m, centres, k);
  const assign = (i: number): void => {
    let b1 = Infinity;
    let b2 = Infinity;
    let c1 = 0;
    for (let c = 0; c < k; c++) {
      const v = dist2.point(i, c);
      if (v < b1) {
        b2 = b1;
        b1 = v;
        c1 = c;
      } else if (v < b2) b2 = v;
    }
    labels[i] = c1;
    upper[i] = Math.sqrt(b1);
    lower[i] = Math.sqrt(b2);
  };
  for (let i = 0; i < n; i++) assign(i);
  let it = 0;
  for (; it < maxIter; it++) {
    dist2.accumulate(labels, sums, counts);
    let shift = 0;
    for (let c = 0; c < k; c++) {
      let mv = 0;
      if (counts[c]! > 0) {
        // an empty cluster keeps its centre
        for (let j = 0; j < d; j++) {
          const v = sums[c * d + j]! / counts[c]!;
          mv += (v - centres[c * d + j]!) ** 2;
          centres[c * d + j] = v;
        }
      }
      moved[c] = Math.sqrt(mv);
      shift += mv;
    }
    dist2.refresh();
    let maxMove = 0;
    let maxC = 0;
    let second = 0;
    for (let c = 0; c < k; c++) {
      if (moved[c]! > maxMove) {
        second = maxMove;
        maxMove = moved[c]!;
        maxC = c;
      } else if (moved[c]! > second) second = moved[c]!;
    }
    for (let i = 0; i < n; i++) {
      upper[i]! += moved[labels[i]!]!;
      lower[i]! -= labels[i] === maxC ? second : maxMove;
    }
    if (shift < tol) break;
    for (let c = 0; c < k; c++) {
      let nearest = Infinity;
      for (let o = 0; o < k; o++)
        if (o !== c) nearest = Math.min(nearest, sqDist(centres, c * d, centres, o * d, d));
      half[c] = Math.sqrt(nearest) / 2;
    }
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const bound = Math.max(half[labels[i]!]!, lower[i]!);
      if (upper[i]! <= bound) continue;
      upper[i] = Math.sqrt(dist2.point(i, labels[i]!));
      if (upper[i]! <= bound) continue;
      const before = labels[i];
      assign(i);
      if (labels[i] !== before) changed++;
    }
    if (changed === 0) {
      it++;
      break;
    }
  }
  let inertia = 0;
  const sizes = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    sizes[labels[i]!]!++;
    inertia += sqDist(data, i * d, centres, labels[i]! * d, d);
  }
  return { k, labels, centres, sizes, inertia, iterations: it + 1 };
}

// Point-to-centre squared distances. Mostly-constant columns (count data such as interest
// keywords are ~90 % zeros) are stored as a per-column base value plus sparse deviations, so a
// distance costs O(non-base entries) instead of O(d): ||x||² − 2(base·c + δ·c) + ||c||².
interface Distances {
  point(i: number, c: number): number;
  refresh(): void;
  /** Per-cluster sums and counts of the points (for the centre update). */
  accumulate(labels: Int32Array, sums: Float64Array, counts: Float64Array): void;
}

function denseAccumulate(m: Matrix, labels: Int32Array, sums: Float64Array, counts: Float64Array): void {
  const { data, n, d } = m;
  sums.fill(0);
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    counts[c]!++;
    for (let j = 0; j < d; j++) sums[c * d + j]! += data[i * d + j]!;
  }
}

/** Rows as a per-column base value plus sparse deviations (CSR), with each row's squared norm. */
interface SparseRows {
  base: Float64Array;
  rowPtr: Int32Array;
  cols: Int32Array;
  vals: Float64Array;
  norms: Float64Array;
}

/** The sparse form of a matrix, or null when more than 40 % of its entries differ from the base. */
function sparseRows(m: Matrix): SparseRows | null {
  const facts = factsOf(m);
  if (facts.sparse !== undefined) return facts.sparse;
  const { data, n, d } = m;
  const base = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const freq = new Map<number, number>();
    for (let i = 0; i < n; i += Math.max(1, Math.floor(n / 5000)))
      freq.set(data[i * d + j]!, (freq.get(data[i * d + j]!) ?? 0) + 1);
    base[j] = [...freq.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  }
  let nnz = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) if (data[i * d + j] !== base[j]) nnz++;
  if (nnz > 0.4 * n * d) {
    facts.sparse = null;
    return null;
  }
  const rowPtr = new Int32Array(n + 1);
  const cols = new Int32Array(nnz);
  const vals = new Float64Array(nnz);
  const norms = new Float64Array(n);
  let p = 0;
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let j = 0; j < d; j++) {
      const v = data[i * d + j]!;
      norm += v * v;
      if (v !== base[j]) {
        cols[p] = j;
        vals[p++] = v - base[j]!;
      }
    }
    norms[i] = norm;
    rowPtr[i + 1] = p;
  }
  facts.sparse = { base, rowPtr, cols, vals, norms };
  return facts.sparse;
}

function distanceFn(m: Matrix, centres: Float64Array, k: number): Distances {
  const { data, n, d } = m;
  const sparse = sparseRows(m);
  if (!sparse)
    return {
      point: (i, c) => sqDist(data, i * d, centres, c * d, d),
      refresh: () => undefined,
      accumulate: (l, s, c) => denseAccumulate(m, l, s, c),
    };
  const { base, rowPtr, cols, vals, norms } = sparse;
  const baseDot = new Float64Array(k);
  const centreNorm = new Float64Array(k);
  const refresh = (): void => {
    for (let c = 0; c < k; c++) {
      let bd = 0;
      let cn = 0;
      for (let j = 0; j < d; j++) {
        const v = centres[c * d + j]!;
        bd += base[j]! * v;
        cn += v * v;
      }
      baseDot[c] = bd;
      centreNorm[c] = cn;
    }
  };
  refresh();
  return {
    refresh,
    accumulate: (labels, sums, counts) => {
      sums.fill(0);
      counts.fill(0);
      for (let i = 0; i < n; i++) {
        const off = labels[i]! * d;
        counts[labels[i]!]!++;
        for (let q = rowPtr[i]!; q < rowPtr[i + 1]!; q++) sums[off + cols[q]!]! += vals[q]!;
      }
      for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) sums[c * d + j]! += counts[c]! * base[j]!;
    },
    point: (i, c) => {
      let dot = baseDot[c]!;
      const off = c * d;
      for (let q = rowPtr[i]!; q < rowPtr[i + 1]!; q++) dot += vals[q]! * centres[off + cols[q]!]!;
      return Math.max(0, norms[i]! - 2 * dot + centreNorm[c]!);
    },
  };
}

// k-means runs once per candidate k on the same matrix: what depends only on the matrix (its
// mean variance, its sparse form) is computed once and kept with it.
const matrixFacts = new WeakMap<Float64Array, { meanVariance?: number; sparse?: SparseRows | null }>();

function factsOf(m: Matrix) {
  let f = matrixFacts.get(m.data);
  if (!f) matrixFacts.set(m.data, (f = {}));
  return f;
}

function meanVariance(m: Matrix): number {
  const facts = factsOf(m);
  if (facts.meanVariance !== undefined) return facts.meanVariance;
  const { data, n, d } = m;
  const s = new Float64Array(d);
  const s2 = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const off = i * d;
    for (let j = 0; j < d; j++) {
      const v = data[off + j]!;
      s[j]! += v;
      s2[j]! += v * v;
    }
  }
  let total = 0;
  for (let j = 0; j < d; j++) total += s2[j]! / n - (s[j]! / n) ** 2;
  facts.meanVariance = total / d;
  return facts.meanVariance;
}

/** Indices of a seeded random sample without replacement (all indices when n ≤ size). */
export function sampleIndices(n: number, size: number, seed: number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  if (n <= size) return idx;
  const random = mulberry32(seed);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (n - i));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, size);
}

/** Euclidean distances between the sampled rows (reused for the silhouette of every k). */
export function sampleDistances(m: Matrix, sample: readonly number[]): Float64Array {
  const s = sample.length;
  const d = m.d;
  // the sampled rows copied next to each other: s² row pairs read from a block that stays in
  // cache instead of rows scattered over the whole matrix
  const rows = new Float64Array(s * d);
  sample.forEach((row, a) => rows.set(m.data.subarray(row * d, row * d + d), a * d));
  const out = new Float64Array(s * s);
  for (let a = 0; a < s; a++)
    for (let b = a + 1; b < s; b++) {
      const v = Math.sqrt(sqDist(rows, a * d, rows, b * d, d));
      out[a * s + b] = v;
      out[b * s + a] = v;
    }
  return out;
}

/** Mean silhouette of the sampled rows (distances within the sample, as sklearn's sample_size). */
export function silhouette(distances: Float64Array, sampleLabels: ArrayLike<number>, k: number): number {
  const s = sampleLabels.length;
  const sums = new Float64Array(k);
  const counts = new Float64Array(k);
  for (let a = 0; a < s; a++) counts[sampleLabels[a]!]!++;
  let total = 0;
  for (let a = 0; a < s; a++) {
    sums.fill(0);
    for (let b = 0; b < s; b++) if (b !== a) sums[sampleLabels[b]!]! += distances[a * s + b]!;
    const own = sampleLabels[a]!;
    if (counts[own]! <= 1) continue; // silhouette of a singleton is 0
    const ai = sums[own]! / (counts[own]! - 1);
    let bi = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && counts[c]! > 0) bi = Math.min(bi, sums[c]! / counts[c]!);
    total += bi === Infinity ? 0 : (bi - ai) / Math.max(ai, bi);
  }
  return total / s;
}
