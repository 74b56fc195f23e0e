import { describe, expect, it } from 'vitest';
import { applyBusinessRules, cosine, mmr, type Candidate } from '../../recsys/rerank.js';
import { product } from './fixtures.js';

describe('applyBusinessRules', () => {
  const catalog = new Map(
    [
      product('in'),
      product('out', { stock: 0 }),
      product('bought'),
      product('gone', { active: false }),
      product('rich', { margin: 0.5 }),
    ].map((p) => [p.sku, p]),
  );
  const cands: Candidate[] = ['in', 'out', 'bought', 'gone', 'rich', 'unknown'].map((sku) => ({
    sku,
    score: 1,
    reason: 'r',
  }));

  it('drops out-of-stock, inactive, unknown and already-bought products and boosts margin', () => {
    const out = applyBusinessRules(cands, (s) => catalog.get(s), {
      alreadyBought: new Set(['bought']),
      marginBoost: 0.2,
    });
    expect(out.map((c) => c.sku)).toEqual(['rich', 'in']);
    expect(out[0]!.score).toBeCloseTo(1.1, 10);
    expect(out[1]!.score).toBe(1);
  });

  it('can keep out-of-stock items when asked', () => {
    const out = applyBusinessRules(cands, (s) => catalog.get(s), { dropOutOfStock: false });
    expect(out.map((c) => c.sku)).toContain('out');
  });
});

describe('mmr', () => {
  // two near-duplicates with the best scores and one different item slightly behind
  const vec: Record<string, number[]> = { a: [1, 0], a2: [0.99, 0.14], b: [0, 1] };
  const cands = [
    { sku: 'a', score: 1, reason: '' },
    { sku: 'a2', score: 0.95, reason: '' },
    { sku: 'b', score: 0.9, reason: '' },
  ];
  const sim = (x: Candidate, y: Candidate) => cosine(vec[x.sku]!, vec[y.sku]!);

  it('prefers a diverse second pick over a near-duplicate', () => {
    expect(mmr(cands, 3, sim, 0.7).map((c) => c.sku)).toEqual(['a', 'b', 'a2']);
  });

  it('with lambda 1 keeps relevance order', () => {
    expect(mmr(cands, 3, sim, 1).map((c) => c.sku)).toEqual(['a', 'a2', 'b']);
  });

  it('cosine handles zero vectors', () => {
    expect(cosine([0, 0], [1, 0])).toBe(0);
    expect(cosine([1, 1], [2, 2])).toBeCloseTo(1, 12);
  });
});
