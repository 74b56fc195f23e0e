import type { BasketRecommender, NameOf, ScoredItem } from './types.js';
import { percent } from './types.js';

/** Popularity baseline: the most frequent items not already in the basket. */
export class PopularityRecommender implements BasketRecommender {
  readonly name = 'popularity';
  private constructor(
    private readonly ranked: Array<{ item: string; count: number }>,
    private readonly total: number,
  ) {}

  /** Counts in how many baskets each item appears. */
  static train(baskets: Iterable<readonly string[]>): PopularityRecommender {
    const counts = new Map<string, number>();
    let total = 0;
    for (const basket of baskets) {
      total++;
      for (const item of new Set(basket)) counts.set(item, (counts.get(item) ?? 0) + 1);
    }
    const ranked = [...counts].map(([item, count]) => ({ item, count }));
    ranked.sort((a, b) => b.count - a.count || a.item.localeCompare(b.item));
    return new PopularityRecommender(ranked, total);
  }

  /** Top-k popular items not in the basket. */
  recommend(basket: readonly string[], k: number, _nameOf?: NameOf): ScoredItem[] {
    const skip = new Set(basket);
    const out: ScoredItem[] = [];
    for (const { item, count } of this.ranked) {
      if (out.length >= k) break;
      if (skip.has(item)) continue;
      const share = count / Math.max(1, this.total);
      out.push({ item, score: share, reason: `A best-seller: in ${percent(share)} of all orders` });
    }
    return out;
  }
}
