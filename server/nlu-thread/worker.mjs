// Worker-thread side of the threaded sentence encoder (see threaded-encoder.ts). Plain JavaScript
// so that it starts under any runner; it registers tsx to load the TypeScript NLU module.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { createEncoder } = await import('../../nlu/index.js');

let encoder;
try {
  // The main thread keeps the cache, so the model's own cache would only hold copies.
  encoder = await createEncoder(workerData.spec, { cacheSize: 0 });
  parentPort.postMessage({ ready: true, id: encoder.id, dims: encoder.dims });
} catch (error) {
  parentPort.postMessage({ fatal: error instanceof Error ? error.message : String(error) });
}

parentPort.on('message', async (request) => {
  try {
    if (request.warmUp) {
      await encoder.warmUp?.();
      parentPort.postMessage({ id: request.id, vectors: [] });
      return;
    }
    const vectors = await encoder.embed(request.texts);
    parentPort.postMessage({ id: request.id, vectors }, [...new Set(vectors.map((v) => v.buffer))]);
  } catch (error) {
    parentPort.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) });
  }
});
