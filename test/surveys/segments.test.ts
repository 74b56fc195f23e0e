import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  ZRuleSegment,
  evaluateRuleSegment,
  gaussian,
  kmeans,
  membershipCsv,
  mulberry32,
  sampleDistances,
  segmentKMeans,
  segmentOverlaps,
  segmentationCsv,
  silhouette,
  standardise,
  toMatrix,
} from '../../surveys/index.js';
import { SHARED_DATA } from '../support/cli.js';

function blobs(seed: number): { rows: number[][]; truth: number[] } {
  const z = gaussian(mulberry32(seed));
  const centres = [
    [0, 0, 0],
    [8, 8, 0],
    [0, 8, 8],
  ];
  const rows: number[][] = [];
  const truth: number[] = [];
  centres.forEach((c, g) => {
    for (let i = 0; i < 100 + 50 * g; i++) {
      rows.push(c.map((v) => v + z()));
      truth.push(g);
    }
  });
  return { rows, truth };
}

describe('k-means++', () => {
  it('recovers well-separated blobs and picks k = 3 by silhouette', () => {
    const { rows, truth } = blobs(5);
    const s = segmentKMeans(rows, ['x', 'y', 'z'], { k: { min: 2, max: 6 }, seed: 11 });
    expect(s.k).toBe(3);
    expect([...s.sizes].sort((a, b) => a - b)).toEqual([100, 150, 200]);
    // every true group maps to exactly one segment
    for (let g = 0; g < 3; g++)
      expect(new Set(truth.flatMap((t, i) => (t === g ? [s.labels[i]] : []))).size).toBe(1);
    expect(s.silhouette).toBeGreaterThan(0.7);
    // centres come back in original units
    const c = s.segments.find((x) => x.size === 100)!.centre;
    expect(c.x).toBeCloseTo(0, 0);
    expect(c.y).toBeCloseTo(0, 0);
  });

  it('is reproducible for a seed', () => {
    const m = standardise(toMatrix(blobs(9).rows)).matrix;
    const a = kmeans(m, { k: 4, seed: 3 });
    const b = kmeans(m, { k: 4, seed: 3 });
    expect([...a.labels]).toEqual([...b.labels]);
    expect(a.inertia).toBe(b.inertia);
  });

  it('silhouette matches a hand computation', () => {
    // points 0, 1 | 10, 12 on a line. a(0)=1, b(0)=11 → s=10/11; a(1)=1, b(1)=10 → 0.9;
    // a(10)=2, b(10)=9.5 → 15/19; a(12)=2, b(12)=11.5 → 19/23
    const m = toMatrix([[0], [1], [10], [12]]);
    const s = silhouette(sampleDistances(m, [0, 1, 2, 3]), [0, 0, 1, 1], 2);
    expect(s).toBeCloseTo((10 / 11 + 0.9 + 15 / 19 + 19 / 23) / 4, 12);
  });

  it('segments real social-network profiles (first 3,000 rows of snsdata) with readable over-indexing', () => {
    const recs = parse(readFileSync(resolve(SHARED_DATA, 'segments/snsdata.csv')), {
      columns: true,
      to: 3000,
    }) as Record<string, string>[];
    const features = Object.keys(recs[0]!).slice(4);
    expect(features).toHaveLength(36);
    const s = segmentKMeans(
      recs.map((r) => features.map((f) => Number(r[f]))),
      features,
      { k: 5, seed: 1 },
    );
    expect(s.sizes.reduce((a, b) => a + b, 0)).toBe(3000);
    expect(s.segments.every((g) => g.topFeatures.every((t) => t.z > 0 && t.mean > t.overall))).toBe(true);
    // church/god/jesus/bible co-occur: whichever segment leads on "bible" also over-indexes on "jesus"
    const bible = s.segments.reduce((a, b) => (b.centre.bible! > a.centre.bible! ? b : a));
    expect(bible.centre.jesus!).toBeGreaterThan(
      s.segments.reduce((x, g) => x + g.centre.jesus! * g.size, 0) / 3000,
    );
    const csv = segmentationCsv(s);
    expect(csv.split('\n')[0]).toMatch(/^segment,size,share,basketball,/);
    expect(csv.trim().split('\n')).toHaveLength(6);
  });
});

describe('rule-based segments', () => {
  const profiles: { id: string; record: unknown }[] = [
    {
      id: 'c1',
      record: {
        traits: { price: 4.5, novelty: 2 },
        npsClass: 'detractor',
        preferences: { categories: ['footwear'] },
      },
    },
    {
      id: 'c2',
      record: {
        traits: { price: 2, novelty: 4.2 },
        npsClass: 'promoter',
        preferences: { categories: ['camping', 'footwear'] },
      },
    },
    { id: 'c3', record: { traits: { price: 3.9 }, npsClass: 'promoter', preferences: {} } },
  ];
  it('filters on traits, NPS class and stated preferences', () => {
    const bargain = ZRuleSegment.parse({
      name: 'Bargain hunters',
      rules: [{ field: 'traits.price', op: 'gte', value: 3.5 }],
    });
    const fans = ZRuleSegment.parse({
      name: 'Fans',
      rules: [{ field: 'npsClass', op: 'eq', value: 'promoter' }],
    });
    const boots = ZRuleSegment.parse({
      name: 'Boots',
      match: 'any',
      rules: [
        { field: 'preferences.categories', op: 'contains', value: 'footwear' },
        { field: 'traits.novelty', op: 'gt', value: 4 },
      ],
    });
    const members = {
      [bargain.name]: evaluateRuleSegment(bargain, profiles),
      [fans.name]: evaluateRuleSegment(fans, profiles),
      [boots.name]: evaluateRuleSegment(boots, profiles),
    };
    expect(members).toEqual({ 'Bargain hunters': ['c1', 'c3'], Fans: ['c2', 'c3'], Boots: ['c1', 'c2'] });
    expect(segmentOverlaps(members)).toEqual([
      { a: 'Bargain hunters', b: 'Fans', sizeA: 2, sizeB: 2, shared: 1, jaccard: 1 / 3 },
      { a: 'Bargain hunters', b: 'Boots', sizeA: 2, sizeB: 2, shared: 1, jaccard: 1 / 3 },
      { a: 'Fans', b: 'Boots', sizeA: 2, sizeB: 2, shared: 1, jaccard: 1 / 3 },
    ]);
    expect(membershipCsv(members).trim().split('\n')).toEqual([
      'segment,customer_id',
      'Bargain hunters,c1',
      'Bargain hunters,c3',
      'Fans,c2',
      'Fans,c3',
      'Boots,c1',
      'Boots,c2',
    ]);
  });
  it('rejects malformed rules with paths', () => {
    const r = ZRuleSegment.safeParse({
      name: 'x',
      rules: [
        { field: 'traits.price', op: 'gt', value: 'high' },
        { field: '1bad', op: 'exists' },
      ],
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(
      expect.arrayContaining(['rules.0.value', 'rules.1.field']),
    );
  });
});
