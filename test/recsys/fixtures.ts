// Test fixtures for index mechanics: deterministic vectors and a deterministic hashing text
// encoder. They exercise the HNSW plumbing (labels, filters, persistence); text-match quality is
// tested with the real USE-lite encoder in text-match.test.ts.
import { mulberry32 } from '../../recsys/index.js';
import type { CatalogProduct, TextEncoder } from '../../recsys/types.js';

/** n unit vectors of `dims` dimensions drawn around `centres` random centres (seeded). */
export function clusteredVectors(n: number, dims: number, centres: number, seed = 7): Float32Array[] {
  const random = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const cs = Array.from({ length: centres }, () => unit(Float32Array.from({ length: dims }, gauss)));
  return Array.from({ length: n }, (_, i) => {
    const c = cs[i % centres]!;
    return unit(Float32Array.from(c, (x) => x + ((0.35 * gauss()) / Math.sqrt(dims)) * 4));
  });
}

/** Scales a vector to unit length in place. */
export function unit(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const inv = 1 / Math.sqrt(s || 1);
  for (let i = 0; i < v.length; i++) v[i]! *= inv;
  return v;
}

/** Exact top-k by cosine (vectors are unit length). */
export function exactTopK(
  query: Float32Array,
  vectors: Float32Array[],
  k: number,
  accept: (i: number) => boolean = () => true,
): number[] {
  const scored: Array<[number, number]> = [];
  vectors.forEach((v, i) => {
    if (!accept(i)) return;
    let d = 0;
    for (let j = 0; j < v.length; j++) d += v[j]! * query[j]!;
    scored.push([i, d]);
  });
  return scored
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([i]) => i);
}

/** A deterministic bag-of-words hashing encoder (for index mechanics only). */
export function hashingEncoder(dims = 64, id = 'test-hash'): TextEncoder & { calls: number } {
  const enc = {
    id,
    dims,
    calls: 0,
    async embed(texts: readonly string[]) {
      enc.calls++;
      return texts.map((t) => {
        const v = new Float32Array(dims);
        for (const w of t.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
          let h = 2166136261;
          for (const ch of w) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
          v[(h >>> 0) % dims]! += 1;
        }
        v[0]! += 0.01; // never the zero vector
        return unit(v);
      });
    },
  };
  return enc;
}

/** A catalog product with defaults. */
export function product(sku: string, over: Partial<CatalogProduct> = {}): CatalogProduct {
  return {
    sku,
    name: sku,
    description: '',
    category: 'misc',
    brand: null,
    price: 10,
    currency: 'USD',
    tags: [],
    attributes: {},
    stock: 5,
    imageUrl: null,
    margin: null,
    active: true,
    ...over,
  };
}
