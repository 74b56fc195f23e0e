// "top products last quarter", "best sellers in footwear": units ordered per product.
import type { Period } from '../../ports.js';
import { findCategory, readPeriod } from '../vocabulary-match.js';
import { defineKind } from './kind.js';

/** Best sellers over a period, optionally in one category. */
export interface TopProductsQuestion {
  kind: 'top_products';
  period: Period;
  category?: string;
}

export const topProducts = defineKind<TopProductsQuestion>({
  kind: 'top_products',
  access: 'any',
  asked: {
    intents: ['top_products'],
    cue: (t) =>
      /\b(top|best[- ]?sell\w*|most (popular|sold|bought|purchased)|sells? (the )?(best|most)|biggest sellers)\b/.test(
        t,
      ) && !/\bsegments?\b/.test(t)
        ? 'top_products'
        : null,
    read({ text, t, vocab, now }) {
      const category = findCategory(t, vocab);
      return { kind: 'top_products', period: readPeriod(text, now, 90), ...(category ? { category } : {}) };
    },
  },
  async answer(q, { deps }) {
    const rows = await deps.insights.topProducts(q.period, q.category);
    const scope = q.category ? `${q.category}, ` : '';
    if (rows.length === 0) return { text: `No orders for ${scope}${q.period.label}.` };
    return {
      text: `Top products by units ordered (${scope}${q.period.label}, from orders):`,
      lines: rows.map((r, i) => `${i + 1}. ${r.name} (${r.sku}): ${r.units} units`),
    };
  },
});
