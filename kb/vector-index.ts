import hnswlib from 'hnswlib-node';

/** HNSW parameters of the knowledge base's vector indexes. */
export interface KbHnswParams {
  M: number;
  efConstruction: number;
  ef: number;
}

/** Defaults matching the product index (server/config.ts HNSW_*). */
export const DEFAULT_KB_HNSW: KbHnswParams = { M: 16, efConstruction: 200, ef: 100 };

/**
 * Cosine HNSW graph over unit vectors with labels 0..n-1, plus the vectors themselves in one flat
 * Float32Array: fusion re-scores every candidate on every channel exactly, and the per-query
 * moments (mean and variance of the similarity over all points) come from the centroid and the
 * covariance kept here.
 */
export class VectorChannel {
  private readonly hnsw: hnswlib.HierarchicalNSW;
  private data: Float32Array;
  private count = 0;
  private centroid: Float64Array;
  private covariance: Float64Array | undefined;

  constructor(
    readonly dims: number,
    private readonly params: KbHnswParams = DEFAULT_KB_HNSW,
    capacity = 1024,
  ) {
    this.hnsw = new hnswlib.HierarchicalNSW('cosine', dims);
    this.hnsw.initIndex({
      maxElements: Math.max(16, capacity),
      m: params.M,
      efConstruction: params.efConstruction,
      randomSeed: 100,
    });
    this.hnsw.setEf(params.ef);
    this.data = new Float32Array(Math.max(16, capacity) * dims);
    this.centroid = new Float64Array(dims);
  }

  /** Points held. */
  get size(): number {
    return this.count;
  }

  /** Appends a unit vector; returns its label. */
  add(vector: Float32Array): number {
    const label = this.count;
    if (label >= this.hnsw.getMaxElements()) {
      this.hnsw.resizeIndex(this.hnsw.getMaxElements() * 2);
      const next = new Float32Array(this.hnsw.getMaxElements() * this.dims);
      next.set(this.data);
      this.data = next;
    }
    this.data.set(vector, label * this.dims);
    this.hnsw.addPoint(Array.from(vector), label);
    this.count++;
    this.covariance = undefined;
    return label;
  }

  /** Cosine similarity of a unit query vector with point `label`. */
  similarity(query: Float32Array, label: number): number {
    const base = label * this.dims;
    let s = 0;
    for (let i = 0; i < this.dims; i++) s += query[i]! * this.data[base + i]!;
    return s;
  }

  /** The k nearest labels with their similarities. */
  nearest(query: number[], k: number): Array<{ label: number; similarity: number }> {
    if (this.count === 0) return [];
    const { neighbors, distances } = this.hnsw.searchKnn(query, Math.min(k, this.count));
    return neighbors.map((label, i) => ({ label, similarity: 1 - distances[i]! }));
  }

  /**
   * Mean and standard deviation of the query's similarity over all points, exactly, from the
   * centroid (mean = q·c) and the covariance (variance = qᵀΣq): z-scores without a brute-force scan.
   */
  moments(query: Float32Array): { mean: number; sd: number } {
    // With fewer points than dimensions (a shop's help centre: a few hundred chunks), scanning
    // them is cheaper than qᵀΣq (d² = 262k multiply-adds at 512 dims, on every chat message).
    if (this.count <= this.dims) return this.scannedMoments(query);
    if (!this.covariance) this.computeMoments();
    const d = this.dims;
    const cov = this.covariance!;
    let mean = 0;
    let variance = 0;
    for (let i = 0; i < d; i++) {
      mean += query[i]! * this.centroid[i]!;
      let row = 0;
      const base = i * d;
      for (let j = 0; j < d; j++) row += cov[base + j]! * query[j]!;
      variance += query[i]! * row;
    }
    return { mean, sd: Math.sqrt(Math.max(variance, 1e-9)) };
  }

  /** The same moments by scanning every point (exact; cost count × dims). */
  private scannedMoments(query: Float32Array): { mean: number; sd: number } {
    let sum = 0;
    let squares = 0;
    for (let label = 0; label < this.count; label++) {
      const s = this.similarity(query, label);
      sum += s;
      squares += s * s;
    }
    const n = Math.max(1, this.count);
    const mean = sum / n;
    return { mean, sd: Math.sqrt(Math.max(squares / n - mean * mean, 1e-9)) };
  }

  /** The vectors as one array (persistence). */
  vectors(): Float32Array {
    return this.data.subarray(0, this.count * this.dims);
  }

  // Up to 4,096 points (evenly spaced) estimate the covariance: exact enough for z-scores and
  // ~0.5 s at 512 dims instead of seconds for a 10k-chunk knowledge base.
  private computeMoments(): void {
    const d = this.dims;
    const step = Math.max(1, Math.floor(this.count / 4096));
    const picked: number[] = [];
    for (let l = 0; l < this.count; l += step) picked.push(l);
    const centroid = new Float64Array(d);
    for (const l of picked) for (let i = 0; i < d; i++) centroid[i]! += this.data[l * d + i]!;
    for (let i = 0; i < d; i++) centroid[i]! /= Math.max(1, picked.length);
    const cov = new Float64Array(d * d);
    const centred = new Float64Array(d);
    for (const l of picked) {
      for (let i = 0; i < d; i++) centred[i] = this.data[l * d + i]! - centroid[i]!;
      for (let i = 0; i < d; i++) {
        const ci = centred[i]!;
        if (ci === 0) continue;
        const base = i * d;
        for (let j = i; j < d; j++) cov[base + j]! += ci * centred[j]!;
      }
    }
    const n = Math.max(1, picked.length);
    for (let i = 0; i < d; i++)
      for (let j = i; j < d; j++) {
        const v = cov[i * d + j]! / n;
        cov[i * d + j] = v;
        cov[j * d + i] = v;
      }
    this.centroid = centroid;
    this.covariance = cov;
  }
}
