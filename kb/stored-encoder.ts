import type { SentenceEncoder } from '../nlu/index.js';
import { vectorKey, type KbStore } from './store.js';

/**
 * An encoder that reads embeddings from the store first and saves the ones it computes, so a
 * rebuild after a re-import embeds only the changed texts (and every process gets the same vectors).
 */
export function storedVectorEncoder(inner: SentenceEncoder, store: KbStore): SentenceEncoder {
  return {
    id: inner.id,
    dims: inner.dims,
    async embed(texts) {
      const keys = texts.map((t) => vectorKey(inner.id, t));
      const known = await store.loadVectors([...new Set(keys)]);
      const missing = [...new Set(texts.filter((_, i) => !known.has(keys[i]!)))];
      if (missing.length > 0) {
        const fresh = await inner.embed(missing);
        const added = new Map<string, Float32Array>();
        missing.forEach((t, i) => added.set(vectorKey(inner.id, t), fresh[i]!));
        await store.saveVectors(added, inner.id);
        for (const [k, v] of added) known.set(k, v);
      }
      return keys.map((k) => known.get(k)!);
    },
    dispose: async () => {},
  };
}
