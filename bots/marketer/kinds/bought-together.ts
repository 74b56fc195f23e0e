// "top products bought with coffee": the association rules mined from all orders for one product.
import { defineKind, missing } from './kind.js';

/** What is bought with one product. */
export interface BoughtTogetherQuestion {
  kind: 'bought_together';
  product: string;
}

export const boughtTogether = defineKind<BoughtTogetherQuestion>({
  kind: 'bought_together',
  access: 'any',
  asked: {
    intents: ['bought_together'],
    cue: (t) =>
      /\b(bought|buy|purchased|sold|sell|go|goes|pair|pairs|paired) (together )?(with|alongside)\b|\btogether with\b|\bfrequently bought\b|\bcross[- ]?sell/.test(
        t,
      )
        ? 'bought_together'
        : null,
    read({ text }) {
      const product = productWords(text);
      return product
        ? { kind: 'bought_together', product }
        : missing('which product', 'top products bought with coffee', [
            ['coffee', 'what is bought with coffee'],
          ]);
    },
  },
  async answer(q, { deps }) {
    const product =
      (await deps.catalog.get(q.product)) ??
      (await deps.catalog.search({ text: q.product, filters: {}, k: 1 }))[0];
    if (!product || !namesProduct(q.product, `${product.name} ${product.sku}`))
      return {
        text: `I can't find a product "${q.product}" in the catalog${product ? ` (the closest is ${product.name})` : ''}.`,
      };
    const items = await deps.catalog.boughtTogether(product.sku, 5);
    if (items.length === 0)
      return { text: `No bought-together rules for *${product.name}* yet (rules mined from all orders).` };
    return {
      text: `Most often bought with *${product.name}* (${product.sku}), from the rules mined over all orders:`,
      products: items,
    };
  },
});

/** The product words after "with" / "alongside" ("top products bought with coffee" → "coffee"). */
function productWords(text: string): string | null {
  const m = /\b(?:with|alongside|to)\s+(?:the |a |an |our )?(.+?)[?.!]*$/i.exec(text.trim());
  const words = m?.[1]?.replace(/\b(please|most often|often|usually|frequently)\b/gi, '').trim();
  return words ? words : null;
}

/** Whether the words a marketer used appear in the product found (no "closest match" passed off as it). */
function namesProduct(asked: string, name: string): boolean {
  const stem = (w: string) =>
    w
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 5);
  const have = new Set(name.split(/[\s,/-]+/).map(stem));
  const words = asked.split(/[\s,/-]+/).filter((w) => w.length > 2 && !/^(the|and|our|for|with)$/i.test(w));
  return words.length === 0 || words.some((w) => have.has(stem(w)));
}
