import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEncoder, NluError, type SentenceEncoder } from '../../nlu/index.js';
import { LruCache } from '../../nlu/lru-cache.js';

let encoder: SentenceEncoder;

beforeAll(async () => {
  encoder = await createEncoder('use-lite');
});

afterAll(async () => {
  await encoder?.dispose();
});

const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('USE-lite encoder', () => {
  it('gives 512-d unit vectors; similar sentences are closer than unrelated ones', async () => {
    expect(encoder).toMatchObject({ id: 'use-lite', dims: 512 });
    const [a, b, c] = await encoder.embed([
      'my card has not arrived yet',
      'when will my new card be delivered?',
      'what is the exchange rate for euros',
    ]);
    for (const v of [a!, b!, c!]) {
      expect(v).toHaveLength(512);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    expect(cosine(a!, b!)).toBeGreaterThan(cosine(a!, c!) + 0.1);
  });

  it('batches (more than 16 texts), keeps order, and equal texts give equal vectors', async () => {
    const texts = Array.from({ length: 40 }, (_, i) => `order number ${i} has not shipped`);
    const batch = await encoder.embed([...texts, texts[3]!]);
    expect(batch).toHaveLength(41);
    expect(Array.from(batch[40]!)).toEqual(Array.from(batch[3]!));
    const [alone] = await encoder.embed([texts[17]!]);
    expect(Array.from(alone!)).toEqual(Array.from(batch[17]!));
    expect(Array.from(batch[0]!)).not.toEqual(Array.from(batch[1]!));
  });

  it('embeds empty and very long texts without throwing', async () => {
    const [empty, long] = await encoder.embed(['', 'word '.repeat(20_000)]);
    expect(norm(empty!)).toBeCloseTo(1, 5);
    expect(norm(long!)).toBeCloseTo(1, 5);
  });

  it('rejects an unknown encoder spec with a stable code', async () => {
    await expect(createEncoder('word2vec')).rejects.toMatchObject({ code: 'NLU_ENCODER_UNAVAILABLE' });
    await expect(createEncoder('word2vec')).rejects.toBeInstanceOf(NluError);
  });
});

describe('LruCache', () => {
  it('evicts the least recently used entry', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now most recent
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });
});
