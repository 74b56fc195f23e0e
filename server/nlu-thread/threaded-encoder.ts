// The sentence encoder on its own thread. Embedding a sentence the encoder has not seen is the
// largest piece of CPU in a chat turn (USE-lite on the wasm backend: ~10–30 ms per sentence, far
// more than the rest of the turn), and on the main thread it stalls every other conversation's
// reply for that long. Here the model lives in a worker thread, so it runs on another core while
// the event loop goes on; the main thread keeps the embedding cache, so repeated texts (button
// labels, "hi", "more like this") never cross the thread boundary. Vectors are transferred, not
// copied. Nothing conversation-related lives in the worker: it is a pure function of the text.
import { Worker } from 'node:worker_threads';
import { LruCache, type SentenceEncoder } from '../../nlu/index.js';

type Reply =
  | { ready: true; id: string; dims: number }
  | { fatal: string }
  | { id: number; vectors: Float32Array[] }
  | { id: number; error: string };

/** Options of the threaded encoder. */
export interface ThreadedEncoderOptions {
  /** Embeddings kept on the main thread (least recently used go first); default 20,000. */
  cacheSize?: number;
}

/** Starts the encoder named by `spec` ("use-lite", "onnx:<folder>") in a worker thread. */
export async function createThreadedEncoder(
  spec: string,
  options: ThreadedEncoderOptions = {},
): Promise<SentenceEncoder> {
  const worker = new Worker(new URL('./worker.mjs', import.meta.url), { workerData: { spec } });
  const ready = await new Promise<{ id: string; dims: number }>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (reply: Reply) => {
      worker.off('error', reject);
      if ('ready' in reply) resolve(reply);
      else
        reject(
          new Error(`the encoder thread could not start: ${'fatal' in reply ? reply.fatal : 'no reply'}`),
        );
    });
  });
  return new ThreadedEncoder(worker, ready.id, ready.dims, options.cacheSize ?? 20_000);
}

// Texts asked for while the thread is busy are sent together as one batch when it is free: the
// model embeds a batch of up to ~16 for much less than 16 single calls.
const MAX_BATCH = 16;

/** How long dispose() waits for the thread to finish its runs and exit before terminating it. */
const CLOSE_GRACE_MS = 10_000;

interface Waiter {
  texts: string[];
  resolve: (vectors: Map<string, Float32Array>) => void;
  reject: (error: Error) => void;
}

class ThreadedEncoder implements SentenceEncoder {
  private readonly cache: LruCache<string, Float32Array>;
  private readonly replies = new Map<
    number,
    { resolve: (v: Float32Array[]) => void; reject: (e: Error) => void }
  >();
  private readonly queue: Waiter[] = [];
  private readonly inflight = new Map<string, Promise<Float32Array>>();
  private busy = false;
  private nextId = 1;
  private failure: Error | null = null;

  constructor(
    private readonly worker: Worker,
    readonly id: string,
    readonly dims: number,
    cacheSize: number,
  ) {
    this.cache = new LruCache(cacheSize);
    worker.on('message', (reply: Reply) => {
      if (!('id' in reply) || typeof reply.id !== 'number') return;
      const waiter = this.replies.get(reply.id);
      this.replies.delete(reply.id);
      if ('error' in reply) waiter?.reject(new Error(reply.error));
      else if ('vectors' in reply) waiter?.resolve(reply.vectors);
    });
    const fail = (error: Error) => {
      this.failure = error;
      for (const waiter of this.replies.values()) waiter.reject(error);
      this.replies.clear();
      for (const waiter of this.queue.splice(0)) waiter.reject(error);
    };
    worker.on('error', fail);
    worker.on('exit', () => fail(this.failure ?? new Error('the encoder thread has stopped')));
    // An idle encoder must not keep a process alive; requests in flight hold a ref (see `call`).
    worker.unref();
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Array<Float32Array | undefined> = texts.map((t) => this.cache.get(t));
    const missing = [...new Set(texts.filter((_, i) => out[i] === undefined))];
    if (missing.length === 0) return out as Float32Array[];
    if (this.failure) throw this.failure;
    // The intent model and the sentiment head ask for the same text at the same moment: a text
    // already on its way is waited for, not sent twice.
    const ask = missing.filter((t) => !this.inflight.has(t));
    if (ask.length > 0) {
      const request = new Promise<Map<string, Float32Array>>((resolve, reject) => {
        this.queue.push({ texts: ask, resolve, reject });
        void this.pump();
      });
      for (const text of ask) {
        const vector = request.then((fresh) => fresh.get(text)!);
        this.inflight.set(text, vector);
        void vector.then(
          () => this.inflight.delete(text),
          () => this.inflight.delete(text),
        );
      }
    }
    const vectors = await Promise.all(missing.map((t) => this.inflight.get(t)!));
    const fresh = new Map(missing.map((t, i) => [t, vectors[i]!]));
    return texts.map((t, i) => out[i] ?? fresh.get(t)!);
  }

  async warmUp(): Promise<void> {
    await this.call({ warmUp: true });
  }

  async dispose(): Promise<void> {
    this.cache.clear();
    this.failure ??= new Error('the encoder was disposed');
    // Terminating a thread while ONNX Runtime is inside a run aborts the whole process ("terminate
    // called after throwing an instance of 'Napi::Error'": a failed start cleaning up, a test file
    // closing mid-warm-up). So the thread is asked to finish its runs, release the model and end
    // by itself; terminate() is only the fallback for a thread that does not answer.
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ close: true });
    // A timer that holds the event loop: the thread itself is unreferenced once idle.
    let timer: NodeJS.Timeout | undefined;
    const graceful = await Promise.race([
      exited.then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_GRACE_MS))),
    ]);
    clearTimeout(timer);
    if (!graceful) await this.worker.terminate();
  }

  /** Sends what is queued, one batch at a time, until the queue is empty. */
  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length > 0) {
        // Whole requests only; a large one (training) goes alone and the model batches it itself.
        const batch: Waiter[] = [this.queue.shift()!];
        let size = batch[0]!.texts.length;
        while (this.queue.length > 0 && size + this.queue[0]!.texts.length <= MAX_BATCH) {
          size += this.queue[0]!.texts.length;
          batch.push(this.queue.shift()!);
        }
        const texts = [...new Set(batch.flatMap((w) => w.texts))];
        try {
          const vectors = await this.call({ texts });
          const fresh = new Map(texts.map((text, i) => [text, vectors[i]!]));
          for (const [text, vector] of fresh) this.cache.set(text, vector);
          for (const waiter of batch) waiter.resolve(fresh);
        } catch (error) {
          for (const waiter of batch) waiter.reject(error as Error);
        }
      }
    } finally {
      this.busy = false;
    }
  }

  private call(request: { texts: string[] } | { warmUp: true }): Promise<Float32Array[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    if (this.replies.size === 0) this.worker.ref();
    return new Promise<Float32Array[]>((resolve, reject) => {
      this.replies.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...request });
    }).finally(() => {
      if (this.replies.size === 0) this.worker.unref();
    });
  }
}
