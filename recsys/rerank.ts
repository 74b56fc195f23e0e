import type { CatalogProduct } from './types.js';

/** A candidate before re-ranking. */
export interface Candidate {
  sku: string;
  score: number;
  reason: string;
}

/** Business rules applied before diversity. */
export interface BusinessRules {
  /** Drop products with stock ≤ 0 (default true). */
  dropOutOfStock?: boolean;
  /** SKUs the customer already bought; dropped (default none). */
  alreadyBought?: ReadonlySet<string>;
  /** Score multiplier per unit of margin: score × (1 + marginBoost × margin). Default 0.2. */
  marginBoost?: number;
}

/**
 * Drops inactive, unknown, out-of-stock and already-bought products, then boosts by margin.
 * The boost is small on purpose: relevance decides, margin breaks near-ties.
 */
export function applyBusinessRules(
  candidates: readonly Candidate[],
  productOf: (sku: string) => CatalogProduct | undefined,
  rules: BusinessRules = {},
): Candidate[] {
  const dropOut = rules.dropOutOfStock ?? true;
  const boost = rules.marginBoost ?? 0.2;
  const out: Candidate[] = [];
  for (const c of candidates) {
    const p = productOf(c.sku);
    if (!p || !p.active) continue;
    if (dropOut && p.stock <= 0) continue;
    if (rules.alreadyBought?.has(c.sku)) continue;
    out.push({ ...c, score: c.score * (1 + boost * (p.margin ?? 0)) });
  }
  return out.sort((a, b) => b.score - a.score || a.sku.localeCompare(b.sku));
}

/**
 * Maximal marginal relevance: greedily picks the candidate maximising
 * λ·relevance − (1−λ)·max similarity to those already picked. Relevance is divided by the top
 * score (not min-max scaled, which would zero the last candidate) so λ means the same whatever
 * the score scale of the recommender.
 */
export function mmr<T extends Candidate>(
  candidates: readonly T[],
  k: number,
  similarity: (a: T, b: T) => number,
  lambda = 0.7,
): T[] {
  if (candidates.length <= 1) return candidates.slice(0, k);
  const scale = Math.max(...candidates.map((c) => Math.abs(c.score))) || 1;
  const rel = candidates.map((c) => c.score / scale);
  const left = candidates.map((_, i) => i);
  const maxSim = new Array<number>(candidates.length).fill(0);
  const picked: T[] = [];
  while (picked.length < k && left.length > 0) {
    let bestAt = 0;
    let best = -Infinity;
    for (let j = 0; j < left.length; j++) {
      const i = left[j]!;
      const value = lambda * rel[i]! - (1 - lambda) * maxSim[i]!;
      if (value > best) {
        best = value;
        bestAt = j;
      }
    }
    const chosen = candidates[left[bestAt]!]!;
    left.splice(bestAt, 1);
    picked.push(chosen);
    for (const i of left) maxSim[i] = Math.max(maxSim[i]!, similarity(candidates[i]!, chosen));
  }
  return picked;
}

/** Cosine similarity of two vectors (used by MMR over product embeddings). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Dot product of two equal-length vectors, unrolled by four (the inner loop of MMR). */
export function dot(a: Float32Array, b: Float32Array): number {
  const n = a.length;
  const tail = n - (n % 4);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < tail; i += 4) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
    s2 += a[i + 2]! * b[i + 2]!;
    s3 += a[i + 3]! * b[i + 3]!;
  }
  for (let i = tail; i < n; i++) s0 += a[i]! * b[i]!;
  return s0 + s1 + s2 + s3;
}
