// Worker-thread side of the threaded sentence encoder (see threaded-encoder.ts). Plain JavaScript
// so that it starts under any runner; it registers tsx to load the TypeScript NLU module.
import process from 'node:process';
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

// Runs in progress: a close waits for them (ending the thread inside an ONNX run aborts the process).
const running = new Set();

async function close() {
  await Promise.allSettled([...running]);
  await encoder?.dispose().catch(() => undefined);
  parentPort.close();
  // ends this thread only; nothing of ONNX Runtime is running any more
  process.exit(0);
}

parentPort.on('message', (request) => {
  if (request.close) {
    void close();
    return;
  }
  const run = answer(request);
  running.add(run);
  void run.finally(() => running.delete(run));
});

async function answer(request) {
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
}
