import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import {
  kmeans,
  sampleDistances,
  sampleIndices,
  silhouette,
  standardise,
  toMatrix,
  type KMeansResult,
} from './kmeans.js';

/** A feature a segment over-indexes on: its mean against the overall mean. */
export interface OverIndex {
  feature: string;
  mean: number;
  overall: number;
  /** 100 × segment mean / overall mean (null when the overall mean is 0). */
  index: number | null;
  /** Standardised difference (segment mean − overall mean) / overall SD. */
  z: number;
}

/** One data-driven segment. */
export interface KMeansSegment {
  segment: number;
  size: number;
  share: number;
  /** Centre in original units. */
  centre: Record<string, number>;
  topFeatures: OverIndex[];
}

/** A k-means segmentation on standardised features. */
export interface KMeansSegmentation {
  k: number;
  n: number;
  features: string[];
  silhouette: number;
  sizes: number[];
  /** Every k tried with its silhouette (on the sample) and inertia. */
  candidates: { k: number; silhouette: number; inertia: number }[];
  segments: KMeansSegment[];
  labels: Int32Array;
}

/** Options of a segmentation: a fixed k or a range searched by silhouette. */
export interface SegmentOptions {
  k: number | { min: number; max: number };
  seed?: number;
  nInit?: number;
  /** Rows used for the silhouette (distances are quadratic in it). */
  silhouetteSample?: number;
  topFeatures?: number;
  onProgress?: (k: number) => void;
}

/** k-means++ on z-scored features, k chosen by silhouette; segments described by over-indexed features. */
export function segmentKMeans(
  rows: readonly (readonly number[])[],
  features: readonly string[],
  opts: SegmentOptions,
): KMeansSegmentation {
  const raw = toMatrix(rows);
  const { matrix, means, sds } = standardise(raw);
  const ks =
    typeof opts.k === 'number'
      ? [opts.k]
      : Array.from({ length: opts.k.max - opts.k.min + 1 }, (_, i) => (opts.k as { min: number }).min + i);
  if (ks.some((k) => k < 2 || k > raw.n))
    throw new RangeError(`k must be between 2 and the number of rows (${raw.n})`);
  const sample = sampleIndices(raw.n, opts.silhouetteSample ?? 2000, (opts.seed ?? 1) + 7919);
  const dist = sampleDistances(matrix, sample);
  const candidates: KMeansSegmentation['candidates'] = [];
  let best: { fit: KMeansResult; sil: number } | undefined;
  for (const k of ks) {
    const fit = kmeans(matrix, { k, seed: opts.seed ?? 1, nInit: opts.nInit ?? 1 });
    const sil = silhouette(
      dist,
      sample.map((i) => fit.labels[i]!),
      k,
    );
    candidates.push({ k, silhouette: sil, inertia: fit.inertia });
    if (!best || sil > best.sil) best = { fit, sil };
    opts.onProgress?.(k);
  }
  const { fit, sil } = best!;
  const segments = fit.sizes.map((size, c) => {
    const centre: Record<string, number> = {};
    const over: OverIndex[] = features.map((feature, j) => {
      const zc = fit.centres[c * raw.d + j]!;
      const mean = zc * sds[j]! + means[j]!;
      centre[feature] = mean;
      return {
        feature,
        mean,
        overall: means[j]!,
        index: means[j] === 0 ? null : (100 * mean) / means[j]!,
        z: zc,
      };
    });
    const topFeatures = over
      .filter((o) => o.z > 0)
      .sort((a, b) => b.z - a.z)
      .slice(0, opts.topFeatures ?? 5);
    return { segment: c, size, share: size / raw.n, centre, topFeatures };
  });
  return {
    k: fit.k,
    n: raw.n,
    features: [...features],
    silhouette: sil,
    sizes: fit.sizes,
    candidates,
    segments,
    labels: fit.labels,
  };
}

/** A condition over a profile field: "traits.price", "npsClass", "sentiment", "preferences.categories". */
export const ZSegmentRule = z
  .object({
    field: z.string().regex(/^[A-Za-z_][\w]*(\.[\w-]+)*$/, 'a field path such as "traits.price"'),
    op: z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'contains', 'exists']),
    value: z
      .union([z.number(), z.string(), z.boolean(), z.array(z.union([z.number(), z.string()]))])
      .optional(),
  })
  .strict()
  .refine((r) => r.op === 'exists' || r.value !== undefined, { message: 'needs a value', path: ['value'] })
  .refine((r) => !['gt', 'gte', 'lt', 'lte'].includes(r.op) || typeof r.value === 'number', {
    message: 'needs a number',
    path: ['value'],
  })
  .refine((r) => r.op !== 'in' || Array.isArray(r.value), { message: 'needs a list', path: ['value'] });
/** A rule. */
export type SegmentRule = z.infer<typeof ZSegmentRule>;

/** A saved rule-based segment (Segment.definition when kind = "rules"). */
export const ZRuleSegment = z
  .object({
    name: z.string().min(1).max(100),
    description: z.string().default(''),
    match: z.enum(['all', 'any']).default('all'),
    rules: z.array(ZSegmentRule).min(1),
  })
  .strict();
/** A rule-based segment. */
export type RuleSegment = z.infer<typeof ZRuleSegment>;

function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Whether one record (a profile) satisfies a rule. */
export function matchesRule(record: unknown, rule: SegmentRule): boolean {
  const v = getPath(record, rule.field);
  switch (rule.op) {
    case 'exists':
      return v !== undefined && v !== null;
    case 'eq':
      return v === rule.value;
    case 'neq':
      return v !== rule.value;
    case 'gt':
      return typeof v === 'number' && v > (rule.value as number);
    case 'gte':
      return typeof v === 'number' && v >= (rule.value as number);
    case 'lt':
      return typeof v === 'number' && v < (rule.value as number);
    case 'lte':
      return typeof v === 'number' && v <= (rule.value as number);
    case 'in':
      return (rule.value as (string | number)[]).includes(v as string | number);
    case 'contains':
      return Array.isArray(v)
        ? v.includes(rule.value)
        : typeof v === 'string' && v.includes(String(rule.value));
  }
}

/** Members of a rule-based segment among keyed records. */
export function evaluateRuleSegment<T>(
  segment: RuleSegment,
  records: readonly { id: string; record: T }[],
): string[] {
  return records
    .filter(({ record }) =>
      segment.match === 'all'
        ? segment.rules.every((r) => matchesRule(record, r))
        : segment.rules.some((r) => matchesRule(record, r)),
    )
    .map((r) => r.id);
}

/** Two segments' sizes, the members they share and their Jaccard similarity (shared / union). */
export interface SegmentOverlap {
  a: string;
  b: string;
  sizeA: number;
  sizeB: number;
  shared: number;
  jaccard: number;
}

/** Pairwise overlaps of segments: sizes, shared members and Jaccard similarity. */
export function segmentOverlaps(members: Record<string, readonly string[]>): SegmentOverlap[] {
  const names = Object.keys(members);
  const sets = new Map(names.map((n) => [n, new Set(members[n])]));
  const out: SegmentOverlap[] = [];
  for (let i = 0; i < names.length; i++)
    for (let j = i + 1; j < names.length; j++) {
      const a = sets.get(names[i]!)!;
      const b = sets.get(names[j]!)!;
      let shared = 0;
      for (const x of a) if (b.has(x)) shared++;
      const union = a.size + b.size - shared;
      out.push({
        a: names[i]!,
        b: names[j]!,
        sizeA: a.size,
        sizeB: b.size,
        shared,
        jaccard: union === 0 ? 0 : shared / union,
      });
    }
  return out;
}

/** CSV of a k-means segmentation: one row per segment with size, share, centre and top features. */
export function segmentationCsv(s: KMeansSegmentation): string {
  const header = ['segment', 'size', 'share', ...s.features, 'top_features'];
  const rows = s.segments.map((g) => [
    g.segment,
    g.size,
    g.share.toFixed(4),
    ...s.features.map((f) => Number(g.centre[f]!.toFixed(4))),
    g.topFeatures.map((t) => `${t.feature} (z=${t.z.toFixed(2)})`).join('; '),
  ]);
  return stringify([header, ...rows]);
}

/** CSV of memberships: one row per member and segment. */
export function membershipCsv(members: Record<string, readonly string[]>): string {
  const rows: string[][] = [['segment', 'customer_id']];
  for (const [name, ids] of Object.entries(members)) for (const id of ids) rows.push([name, id]);
  return stringify(rows);
}
