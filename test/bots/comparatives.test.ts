import { describe, expect, it } from 'vitest';
import { cheaperLike } from '../../bots/dialog/comparatives.js';
import { decide } from '../../bots/dialog/decide.js';
import { decisionInput, nluResult } from '../support/dialog-input.js';

describe('cheaperLike', () => {
  it('finds the product described in "like X but cheaper" and its other phrasings', () => {
    const anchors = [
      'something like the Cragline rain jacket but cheaper',
      'a cheaper alternative to the Cragline rain jacket',
      'anything cheaper than the Cragline rain jacket?',
      'similar to the Cragline rain jacket, only less expensive',
      'the Cragline rain jacket but for less',
      "I'd like the Cragline rain jacket but on a budget",
    ].map((t) => cheaperLike(t)?.anchor);
    expect(anchors).toEqual(Array(6).fill('Cragline rain jacket'));
  });

  it('leaves follow-ups, price limits and plain requests to the other routes', () => {
    for (const text of [
      'cheaper',
      'anything cheaper?',
      'cheaper than $50',
      'a rain jacket',
      'is there a cheaper one',
    ])
      expect(cheaperLike(text), text).toBeNull();
  });
});

describe('"like X but cheaper" where X is a product on screen', () => {
  const shown = {
    lastSkus: ['J1', 'J2', 'J3'],
    lastItems: [
      { sku: 'J1', name: 'Cragline Waterproof Rain Jacket, storm grey', price: 116.99 },
      { sku: 'J2', name: 'Cragline Packable Rain Jacket, forest green', price: 177.99 },
      { sku: 'J3', name: 'Wayfarer Peak Storm-proof Rain Jacket, navy', price: 121.99 },
    ],
    lastSearch: { text: 'rain jacket', filters: {} },
    focusSku: 'J2',
  };

  it('marks references to the product in focus', () => {
    expect(cheaperLike('cheaper than that')).toEqual({ anchor: 'that', focus: true });
    expect(cheaperLike('something like this one but cheaper')).toEqual({ anchor: 'one', focus: true });
    expect(cheaperLike('something like the second one but cheaper')).toEqual({ anchor: 'second one' });
  });

  // Whichever product intent the classifier reads, the shown item anchors the comparison: the
  // last search again under its price, never a catalog search for the words "first one".
  for (const intent of ['product_search', 'cheaper', 'more_like_this']) {
    it(`resolves ordinals, variants and "that one" against the last list (${intent})`, () => {
      const cases: Array<[string, number]> = [
        ['something like the first one but cheaper', 116.99],
        ['anything similar to the second one, only cheaper?', 177.99],
        ['a cheaper alternative to the last one', 121.99],
        ['like the navy one but cheaper', 121.99],
        ['something like that one but cheaper', 177.99],
      ];
      for (const [text, price] of cases) {
        const decision = decide(decisionInput(text, nluResult(intent), shown));
        expect(decision.action, text).toMatchObject({
          kind: 'search',
          text: 'rain jacket',
          filters: { maxPrice: Math.round(price * 100 - 1) / 100 },
          cheaperThan: { price },
        });
      }
    });
  }

  it('still searches the catalog for a product described in words', () => {
    const decision = decide(
      decisionInput('something like the Bean Theory grinder but cheaper', nluResult('product_search'), shown),
    );
    expect(decision.action).toEqual({ kind: 'cheaper_like', anchor: 'Bean Theory grinder' });
  });
});
