import { mulberry32 } from '../random/index.js';
import type { BasketRecommender } from './types.js';

/** A method under evaluation: trained on the masked baskets, then asked for each hidden item. */
export interface EvaluatedMethod {
  name: string;
  train(baskets: readonly (readonly string[])[]): BasketRecommender;
}

/** One row of the leave-one-out table. */
export interface LeaveOneOutRow {
  method: string;
  k: number;
  /** Baskets evaluated (those with at least `minBasketSize` distinct items). */
  cases: number;
  hits: number;
  recallAtK: number;
  ndcgAtK: number;
  /** Share of cases where the method returned fewer than k items. */
  shortLists: number;
}

/** Options of leave-one-out evaluation. */
export interface LeaveOneOutOptions {
  k?: number;
  seed?: number;
  minBasketSize?: number;
  /** Counts only cases whose hidden item passes (e.g. long-tail items); all cases when absent. */
  segment?: (hidden: string) => boolean;
}

/**
 * Leave-one-out: hides one random item per basket (seeded), trains every method on the masked
 * baskets (so the hidden item never leaks into training), then asks each method for k items
 * given the rest of the basket. With one relevant item, recall@k is the hit rate and NDCG@k is
 * 1 / log2(rank + 1) of the hit.
 */
export function leaveOneOut(
  baskets: Iterable<readonly string[]>,
  methods: readonly EvaluatedMethod[],
  options: LeaveOneOutOptions = {},
): LeaveOneOutRow[] {
  const k = options.k ?? 10;
  const minSize = options.minBasketSize ?? 2;
  const random = mulberry32(options.seed ?? 42);
  const masked: string[][] = [];
  const cases: Array<{ rest: string[]; hidden: string }> = [];
  for (const basket of baskets) {
    const items = [...new Set(basket)];
    if (items.length < minSize) {
      masked.push(items);
      continue;
    }
    const at = Math.floor(random() * items.length);
    const hidden = items[at]!;
    const rest = items.filter((_, i) => i !== at);
    masked.push(rest);
    if (!options.segment || options.segment(hidden)) cases.push({ rest, hidden });
  }
  return methods.map((method) => {
    const model = method.train(masked);
    let hits = 0;
    let gain = 0;
    let short = 0;
    for (const { rest, hidden } of cases) {
      const list = model.recommend(rest, k);
      if (list.length < k) short++;
      const rank = list.findIndex((s) => s.item === hidden);
      if (rank >= 0) {
        hits++;
        gain += 1 / Math.log2(rank + 2);
      }
    }
    const n = Math.max(1, cases.length);
    return {
      method: method.name,
      k,
      cases: cases.length,
      hits,
      recallAtK: hits / n,
      ndcgAtK: gain / n,
      shortLists: short / n,
    };
  });
}

/** Fills a recommender's short lists from a fallback (e.g. rules, then popularity). */
export function withFallback(
  primary: BasketRecommender,
  fallback: BasketRecommender,
  name?: string,
): BasketRecommender {
  return {
    name: name ?? `${primary.name}+${fallback.name}`,
    recommend(basket, k, nameOf) {
      const first = primary.recommend(basket, k, nameOf);
      if (first.length >= k) return first;
      const seen = new Set(first.map((s) => s.item));
      const rest = fallback.recommend([...basket, ...seen], k - first.length, nameOf);
      return [...first, ...rest];
    },
  };
}

/** The shared seeded generator, re-exported for recsys users (demo data, benchmarks, tests). */
export { mulberry32 };
