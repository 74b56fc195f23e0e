import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../files/index.js';
import type { SentenceEncoder } from './encoder.js';

/** A SentenceEncoder that also keeps its vectors in a file, so benchmarks and tests embed each text once across runs. */
export interface DiskCachedEncoder extends SentenceEncoder {
  /** Writes new vectors to the cache file (atomically). */
  flush(): Promise<void>;
}

const KEY_BYTES = 20; // sha1

/**
 * Wraps an encoder with a file cache keyed by sha1(encoder id + text). The file is a flat list of
 * (20-byte key, dims × float32) records; a file written for other dimensions is ignored.
 */
export async function withDiskCache(inner: SentenceEncoder, file: string): Promise<DiskCachedEncoder> {
  const store = new Map<string, Float32Array>();
  const record = KEY_BYTES + inner.dims * 4;
  try {
    const buf = await readFile(file);
    if (buf.length % record === 0) {
      for (let off = 0; off < buf.length; off += record) {
        const key = buf.subarray(off, off + KEY_BYTES).toString('base64');
        const bytes = buf.subarray(off + KEY_BYTES, off + record);
        store.set(
          key,
          new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)),
        );
      }
    }
  } catch {
    // no cache yet
  }
  let dirty = false;
  const keyOf = (text: string) => createHash('sha1').update(`${inner.id}\u0000${text}`).digest('base64');
  return {
    id: inner.id,
    dims: inner.dims,
    async embed(texts) {
      const keys = texts.map(keyOf);
      const missing = [...new Set(texts.filter((_, i) => !store.has(keys[i]!)))];
      if (missing.length > 0) {
        const vectors = await inner.embed(missing);
        missing.forEach((text, i) => store.set(keyOf(text), vectors[i]!));
        dirty = true;
      }
      return keys.map((k) => store.get(k)!);
    },
    async flush() {
      if (!dirty) return;
      const buf = Buffer.alloc(store.size * record);
      let off = 0;
      for (const [key, vector] of store) {
        Buffer.from(key, 'base64').copy(buf, off);
        Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).copy(buf, off + KEY_BYTES);
        off += record;
      }
      await mkdir(dirname(file), { recursive: true });
      // Several processes (parallel test files, a server and its worker) may flush the same cache.
      await writeFileAtomic(file, buf);
      dirty = false;
    },
    ...(inner.warmUp ? { warmUp: () => inner.warmUp!() } : {}),
    dispose: () => inner.dispose(),
  };
}
