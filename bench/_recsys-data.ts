// Data and baselines for bench/recsys.ts: shared sentences, clustered vectors, a 10k-product
// catalog, and the exact brute-force search every HNSW figure is compared against.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { shuffleInPlace } from '../random/index.js';
import { mulberry32, type CatalogProduct } from '../recsys/index.js';

/** Every sentence of the shared data sets (intents and sentiment), de-duplicated, in a stable order. */
export function sharedSentences(sharedData: string): string[] {
  const out = new Set<string>();
  const intents = join(sharedData, 'intents');
  for (const f of ['banking77-train.csv', 'banking77-test.csv']) {
    const rows = parse(readFileSync(join(intents, f), 'utf8'), { columns: true, bom: true }) as Array<{
      text: string;
    }>;
    for (const r of rows) out.add(r.text.trim());
  }
  for (const f of readdirSync(intents).filter((x) => x.endsWith('Corpus.json'))) {
    const doc = JSON.parse(readFileSync(join(intents, f), 'utf8')) as { sentences: Array<{ text: string }> };
    for (const s of doc.sentences) out.add(s.text.trim());
  }
  const sentiment = join(sharedData, 'sentiment');
  for (const f of readdirSync(sentiment).filter((x) => x.endsWith('.txt'))) {
    for (const line of readFileSync(join(sentiment, f), 'utf8').split('\n')) {
      const m = /^(.*)\t[01]\s*$/.exec(line);
      if (m) out.add(m[1]!.trim());
    }
  }
  return [...out].filter((s) => s !== '');
}

/** n unit vectors of `dims` dims drawn around `centres` random centres (Gaussian spread, seeded). */
export function clusteredVectors(
  n: number,
  dims: number,
  centres: number,
  seed: number,
  spread = 0.5,
): Float32Array {
  const random = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const cs = new Float32Array(centres * dims);
  for (let c = 0; c < centres; c++)
    normalise(
      cs.subarray(c * dims, (c + 1) * dims).map(() => gauss()),
      cs,
      c * dims,
    );
  const out = new Float32Array(n * dims);
  const scale = spread / Math.sqrt(dims);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(random() * centres);
    const v = new Float32Array(dims);
    for (let d = 0; d < dims; d++) v[d] = cs[c * dims + d]! + scale * gauss();
    normalise(v, out, i * dims);
  }
  return out;
}

function normalise(v: Float32Array, into: Float32Array, offset: number): void {
  let s = 0;
  for (let d = 0; d < v.length; d++) s += v[d]! * v[d]!;
  const inv = 1 / Math.sqrt(s || 1);
  for (let d = 0; d < v.length; d++) into[offset + d] = v[d]! * inv;
}

/**
 * Exact top-k by inner product over a row-major Float32Array (unit vectors, so = cosine):
 * single-threaded, inner loop unrolled by four with independent accumulators, top-k kept in a
 * small sorted buffer. This is the baseline the HNSW speed-up is measured against.
 */
export function bruteForceTopK(
  matrix: Float32Array,
  dims: number,
  q: Float32Array,
  k: number,
  accept?: (i: number) => boolean,
): Int32Array {
  const n = matrix.length / dims;
  const ids = new Int32Array(k).fill(-1);
  const scores = new Float32Array(k).fill(-Infinity);
  const tail = dims - (dims % 4);
  for (let i = 0; i < n; i++) {
    if (accept && !accept(i)) continue;
    const off = i * dims;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let d = 0; d < tail; d += 4) {
      s0 += matrix[off + d]! * q[d]!;
      s1 += matrix[off + d + 1]! * q[d + 1]!;
      s2 += matrix[off + d + 2]! * q[d + 2]!;
      s3 += matrix[off + d + 3]! * q[d + 3]!;
    }
    let s = s0 + s1 + s2 + s3;
    for (let d = tail; d < dims; d++) s += matrix[off + d]! * q[d]!;
    if (s <= scores[k - 1]!) continue;
    let j = k - 1;
    while (j > 0 && scores[j - 1]! < s) {
      scores[j] = scores[j - 1]!;
      ids[j] = ids[j - 1]!;
      j--;
    }
    scores[j] = s;
    ids[j] = i;
  }
  return ids;
}

/** Shuffled indices (seeded Fisher–Yates). */
export function shuffledIndices(n: number, seed: number): number[] {
  return shuffleInPlace(
    Array.from({ length: n }, (_, i) => i),
    mulberry32(seed),
  );
}

/**
 * A 10k-product catalog grown from the shipped demo catalog: each demo product gets editions
 * with distinct materials, fits and finishes, so every text (and embedding) is distinct.
 */
export function largeCatalog(repoRoot: string, n: number, seed = 11): CatalogProduct[] {
  const demo = JSON.parse(readFileSync(join(repoRoot, 'recsys/demo/catalog.json'), 'utf8')) as Array<
    Omit<CatalogProduct, 'brand' | 'imageUrl' | 'margin'> & { brand?: string; margin?: number }
  >;
  const random = mulberry32(seed);
  const editions = [
    'Classic',
    'Pro',
    'Lite',
    'Heritage',
    'Urban',
    'Expedition',
    'Studio',
    'Travel',
    'Essential',
    'Signature',
    'Eco',
    'Max',
  ];
  const extras = [
    'recycled materials',
    'a lifetime warranty',
    'a gift box',
    'reinforced seams',
    'a matte finish',
    'a slim profile',
    'extra padding',
    'a carry pouch',
    'organic fibres',
    'a two-year guarantee',
  ];
  const out: CatalogProduct[] = [];
  for (let i = 0; out.length < n; i++) {
    const base = demo[i % demo.length]!;
    const edition = editions[Math.floor(i / demo.length) % editions.length]!;
    const extra = extras[Math.floor(i / (demo.length * editions.length)) % extras.length]!;
    out.push({
      ...base,
      sku: `${base.sku}-E${i}`,
      name: `${base.name} ${edition} ${Math.floor(i / demo.length) + 1}`,
      description: `${base.description} ${edition} edition with ${extra}.`,
      brand: base.brand ?? null,
      price: Math.round(base.price * (0.7 + 0.6 * random()) * 100) / 100,
      imageUrl: null,
      margin: base.margin ?? null,
      stock: random() < 0.08 ? 0 : 1 + Math.floor(random() * 50),
    });
  }
  return out;
}

/** Shopper queries for the end-to-end text-match timing (distinct texts, so none hits a cache). */
export function shopperQueries(count: number, seed = 5): string[] {
  const needs = [
    'waterproof jacket',
    'warm winter parka',
    'hiking boots',
    'merino socks',
    'a gift for a coffee lover',
    'espresso machine',
    'burr grinder',
    'pour-over kit',
    'ceramic mug',
    'cosy throw blanket',
    'scented candle',
    'table lamp for reading',
    'usb-c charging cable',
    'fast travel charger',
    'phone case',
    'noise cancelling earbuds',
    'yoga mat',
    'water bottle for the gym',
    'fountain pen gift',
    'notebook for journaling',
    'trail running shoes',
    'daypack for hiking',
    'laptop stand',
    'loose leaf tea',
  ];
  const mods = [
    '',
    'under 50',
    'under 100',
    'under 200',
    'cheap',
    'premium',
    'for my dad',
    'for a beginner',
    'in black',
    'lightweight',
    'for travel',
    'best rated',
    'in stock',
  ];
  const all = needs.flatMap((need) => mods.map((mod) => `${need} ${mod}`.trim()));
  return shuffledIndices(all.length, seed)
    .slice(0, Math.min(count, all.length))
    .map((i) => all[i]!);
}

/** Cache files other benchmarks already wrote with the same encoder and key format (read only). */
export function existingCaches(repoRoot: string): string[] {
  return [
    'bench/.cache/use-lite.bin',
    'bench/.cache/sentiment-use-lite.bin',
    'test-artifacts/recsys-use-lite.bin',
  ]
    .map((f) => join(repoRoot, f))
    .filter((f) => existsSync(f));
}
