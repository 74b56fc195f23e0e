import { describe, expect, it } from 'vitest';
import { intentBoundaries, quantile } from '../../nlu/intent/adaptive-boundaries.js';
import { DEFAULT_METRIC_HEAD, MetricHead } from '../../nlu/intent/metric-head.js';
import { gaussian, mulberry32 } from '../../random/index.js';

/** Three noisy clusters in 16 dimensions around fixed random centres. */
function clusters(perClass: number, seed: number) {
  const normal = gaussian(mulberry32(seed));
  const centreNormal = gaussian(mulberry32(99));
  const centres = [0, 1, 2].map(() => Float32Array.from({ length: 16 }, () => centreNormal()));
  const xs: Float32Array[] = [];
  const ys: number[] = [];
  for (let c = 0; c < 3; c++)
    for (let i = 0; i < perClass; i++) {
      xs.push(Float32Array.from(centres[c]!, (v) => v + 0.6 * normal()));
      ys.push(c);
    }
  return { xs, ys, centres };
}

describe('MetricHead (CosFace projection)', () => {
  it('learns directions that classify unseen points of the same clusters', async () => {
    const train = clusters(40, 1);
    const test = clusters(20, 2);
    const head = await MetricHead.train(train.xs, train.ys, 3, {
      ...DEFAULT_METRIC_HEAD,
      dims: 8,
      minSteps: 200,
    });
    const right = test.xs.filter((x, i) => {
      const cos = head.cosines(head.project(x));
      return cos.indexOf(Math.max(...cos)) === test.ys[i];
    }).length;
    expect(right / test.xs.length).toBeGreaterThan(0.95);
    // Projections are unit length; a point far from every cluster lies further from its best direction.
    const z = head.project(test.xs[0]!);
    expect(Math.hypot(...z)).toBeCloseTo(1, 5);
    const inCluster = Math.max(...head.cosines(head.project(test.xs[0]!)));
    const far = Float32Array.from({ length: 16 }, (_, d) => (d % 2 ? 5 : -5));
    expect(Math.max(...head.cosines(head.project(far)))).toBeLessThan(inCluster);
  });
});

describe('adaptive boundaries', () => {
  it('gives each intent its own low quantile, shrunk toward the global one when rows are few', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([0, 10], 0.1)).toBeCloseTo(1, 9);
    const tight = Array.from({ length: 200 }, (_, i) => 0.8 + (i / 200) * 0.1);
    const broad = Array.from({ length: 200 }, (_, i) => 0.3 + (i / 200) * 0.6);
    const [b0, b1, b2] = intentBoundaries([tight, broad, []]);
    expect(b0!).toBeGreaterThan(b1!);
    // The tight intent's boundary stays near its own 10th percentile (shrinkage weight 200/210).
    expect(b0!).toBeGreaterThan(0.79);
    // An intent without rows gets the quantile over all intents.
    expect(b2!).toBeCloseTo(quantile([...tight, ...broad], 0.1), 6);
  });
});
