import { gaussian, mulberry32 } from './random.js';

/** Parameters of a simulated multi-factor Likert data set. */
export interface FactorSimulation {
  respondents: number;
  factors: number;
  itemsPerFactor: number;
  /** Response scale, e.g. 1..6 like the psych `bfi` items. */
  min: number;
  max: number;
  /** Standardised loading of each item on its factor. */
  loading: number;
  /** Every `reverseEvery`-th item is worded in reverse (negative loading); 0 = none. */
  reverseEvery: number;
  /** Share of responses blanked out as missing (NaN). */
  missing: number;
  seed: number;
}

/** Simulated responses: rows × (factors·itemsPerFactor) with item names and keying. */
export interface SimulatedData {
  items: { name: string; factor: number; reverse: boolean }[];
  rows: number[][];
}

/**
 * Draws a seeded multi-factor data set: latent normal factors, items = loading·factor + noise,
 * cut into equal-probability-ish categories of the response scale. For benchmarks and tests of
 * the psychometrics (reverse-keyed items really correlate negatively before keying).
 */
export function simulateFactorData(p: FactorSimulation): SimulatedData {
  const rnd = mulberry32(p.seed);
  const z = gaussian(rnd);
  const items: SimulatedData['items'] = [];
  for (let f = 0; f < p.factors; f++)
    for (let i = 0; i < p.itemsPerFactor; i++)
      items.push({
        name: `F${f + 1}_${i + 1}`,
        factor: f,
        reverse: p.reverseEvery > 0 && (i + 1) % p.reverseEvery === 0,
      });
  const points = p.max - p.min + 1;
  const noise = Math.sqrt(1 - p.loading * p.loading);
  const rows: number[][] = [];
  for (let r = 0; r < p.respondents; r++) {
    const latent = Array.from({ length: p.factors }, () => z());
    rows.push(
      items.map((it) => {
        if (rnd() < p.missing) return NaN;
        const y = (it.reverse ? -1 : 1) * p.loading * latent[it.factor]! + noise * z();
        // cut points at ±2.5 SD spread evenly, so the middle categories are the most frequent
        const cat = Math.floor(((y + 2.5) / 5) * points);
        return p.min + Math.min(points - 1, Math.max(0, cat));
      }),
    );
  }
  return { items, rows };
}
