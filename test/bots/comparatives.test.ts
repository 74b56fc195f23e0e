import { describe, expect, it } from 'vitest';
import { cheaperLike } from '../../bots/dialog/comparatives.js';

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
      'cheaper than that',
      'a rain jacket',
      'is there a cheaper one',
    ])
      expect(cheaperLike(text), text).toBeNull();
  });
});
