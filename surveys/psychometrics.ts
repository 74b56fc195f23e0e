// Classical test theory statistics for multi-item scales. Hand-written: these are a few dozen
// lines of arithmetic over small matrices, and no maintained JS package computes psych-style
// alpha with item statistics. Definitions follow R psych::alpha: raw alpha from covariances,
// r.drop = correlation of an item with the sum of the other items, alpha-if-deleted = raw alpha
// of the remaining items. Variances use n − 1 (the ratio in alpha does not depend on it).

/** Per-item statistics of a scale. */
export interface ItemStats {
  item: string;
  n: number;
  mean: number;
  sd: number;
  /** Correlation of the item with the total of all items (psych "raw.r"). */
  itemTotalR: number;
  /** Corrected item-total correlation: item vs. the sum of the other items (psych "r.drop"). */
  itemRestR: number;
  /** Raw alpha of the scale without this item (psych "raw_alpha" under "Reliability if an item is dropped"). */
  alphaIfDeleted: number;
}

/** Reliability of one scale. */
export interface AlphaResult {
  /** Raw Cronbach's alpha (covariance based). */
  alpha: number;
  /** Standardised alpha (from the mean inter-item correlation). */
  stdAlpha: number;
  averageR: number;
  n: number;
  k: number;
  items: ItemStats[];
}

/** Reverse-keys a response: min + max − x. */
export function reverseKey(x: number, min: number, max: number): number {
  return min + max - x;
}

/** Column means of a row-major matrix. */
export function columnMeans(rows: readonly (readonly number[])[]): number[] {
  const k = rows[0]?.length ?? 0;
  const m = new Array<number>(k).fill(0);
  for (const r of rows) for (let j = 0; j < k; j++) m[j]! += r[j]!;
  return m.map((s) => s / rows.length);
}

/** Sample covariance matrix (n − 1), two-pass for numerical stability. */
export function covarianceMatrix(rows: readonly (readonly number[])[]): number[][] {
  const n = rows.length;
  const k = rows[0]?.length ?? 0;
  const mean = columnMeans(rows);
  const c = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const d = new Array<number>(k);
  for (const r of rows) {
    for (let j = 0; j < k; j++) d[j] = r[j]! - mean[j]!;
    for (let a = 0; a < k; a++) for (let b = a; b < k; b++) c[a]![b]! += d[a]! * d[b]!;
  }
  for (let a = 0; a < k; a++)
    for (let b = a; b < k; b++) {
      c[a]![b]! /= n - 1;
      c[b]![a] = c[a]![b]!;
    }
  return c;
}

/** Raw alpha from a covariance matrix: k/(k−1) · (1 − trace(C)/sum(C)). */
export function alphaFromCovariance(cov: readonly (readonly number[])[]): number {
  const k = cov.length;
  let trace = 0;
  let total = 0;
  for (let a = 0; a < k; a++) {
    trace += cov[a]![a]!;
    for (let b = 0; b < k; b++) total += cov[a]![b]!;
  }
  return (k / (k - 1)) * (1 - trace / total);
}

/** Raw alpha by the textbook variance formula: k/(k−1) · (1 − Σ var(item) / var(total)). */
export function alphaFromVariances(rows: readonly (readonly number[])[]): number {
  const k = rows[0]?.length ?? 0;
  let sumItemVar = 0;
  for (let j = 0; j < k; j++) sumItemVar += variance(rows.map((r) => r[j]!));
  const totalVar = variance(rows.map((r) => r.reduce((a, b) => a + b, 0)));
  return (k / (k - 1)) * (1 - sumItemVar / totalVar);
}

/** Sample variance (n − 1). */
export function variance(xs: readonly number[]): number {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return s / (xs.length - 1);
}

/** Pearson correlation. */
export function pearson(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Cronbach's alpha with item statistics for complete rows (items already reverse-keyed). */
export function cronbachAlpha(
  rows: readonly (readonly number[])[],
  itemNames?: readonly string[],
): AlphaResult {
  const n = rows.length;
  const k = rows[0]?.length ?? 0;
  if (k < 2) throw new RangeError(`alpha needs at least 2 items, got ${k}`);
  if (n < 2) throw new RangeError(`alpha needs at least 2 complete rows, got ${n}`);
  const cov = covarianceMatrix(rows);
  const alpha = alphaFromCovariance(cov);
  let rSum = 0;
  for (let a = 0; a < k; a++)
    for (let b = a + 1; b < k; b++) rSum += cov[a]![b]! / Math.sqrt(cov[a]![a]! * cov[b]![b]!);
  const averageR = rSum / ((k * (k - 1)) / 2);
  const stdAlpha = (k * averageR) / (1 + (k - 1) * averageR);
  const mean = columnMeans(rows);
  const totals = rows.map((r) => r.reduce((s, x) => s + x, 0));
  const items: ItemStats[] = [];
  for (let j = 0; j < k; j++) {
    const col = rows.map((r) => r[j]!);
    const rest = totals.map((t, i) => t - col[i]!);
    const others = [...Array(k).keys()].filter((x) => x !== j);
    const sub = others.map((a) => others.map((b) => cov[a]![b]!));
    items.push({
      item: itemNames?.[j] ?? `item${j + 1}`,
      n,
      mean: mean[j]!,
      sd: Math.sqrt(cov[j]![j]!),
      itemTotalR: pearson(col, totals),
      itemRestR: pearson(col, rest),
      alphaIfDeleted: k > 2 ? alphaFromCovariance(sub) : NaN,
    });
  }
  return { alpha, stdAlpha, averageR, n, k, items };
}
