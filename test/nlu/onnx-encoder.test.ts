import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SentenceEncoder } from '../../nlu/encoder.js';
import { NluModelCorruptError, NluModelMissingError } from '../../nlu/errors.js';
import { createOnnxEncoder } from '../../nlu/onnx-encoder.js';
import { tinyVocabulary, writeTinyOnnxModel } from '../support/tiny-onnx.js';

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i += 1) dot += a[i]! * b[i]!;
  return dot;
}

describe('tiny ONNX model builder', () => {
  let parent: string;
  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'onnx-builder-'));
  });
  afterAll(async () => rm(parent, { recursive: true, force: true }));

  it('writes a graph the official onnx.proto decodes (IR 8, opset 14, BERT-shaped inputs)', async () => {
    const folder = await writeTinyOnnxModel('feature-extraction', parent);
    const model = onnxProto.onnx.ModelProto.decode(await readFile(join(folder, 'onnx', 'model.onnx')));
    expect(Number(model.irVersion)).toBe(8);
    expect(Number(model.opsetImport[0]?.version)).toBe(14);
    expect(model.graph?.input?.map((i) => i.name)).toEqual(['input_ids', 'attention_mask', 'token_type_ids']);
    expect(model.graph?.output?.[0]?.name).toBe('last_hidden_state');
    const dims = model.graph?.output?.[0]?.type?.tensorType?.shape?.dim?.map(
      (d) => d.dimParam || Number(d.dimValue),
    );
    expect(dims).toEqual(['batch_size', 'sequence_length', 16]);
    const embeddings = model.graph?.initializer?.find((t) => t.name === 'word_embeddings');
    expect(embeddings?.dims?.map(Number)).toEqual([tinyVocabulary().length, 16]);
  });

  it('writes a classifier variant with logits and id2label', async () => {
    const folder = await writeTinyOnnxModel('text-classification', parent);
    const model = onnxProto.onnx.ModelProto.decode(await readFile(join(folder, 'onnx', 'model.onnx')));
    expect(model.graph?.output?.[0]?.name).toBe('logits');
    const config = JSON.parse(await readFile(join(folder, 'config.json'), 'utf8')) as {
      id2label: Record<string, string>;
    };
    expect(config.id2label).toEqual({ 0: 'NEGATIVE', 1: 'POSITIVE' });
  });
});

describe('createOnnxEncoder on a tiny BERT-shaped model', () => {
  let parent: string;
  let encoder: SentenceEncoder;
  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'onnx-encoder-'));
    encoder = await createOnnxEncoder(await writeTinyOnnxModel('feature-extraction', parent));
  });
  afterAll(async () => {
    await encoder.dispose();
    await rm(parent, { recursive: true, force: true });
  });

  it('reports its id and dims from config.json', () => {
    expect(encoder.id).toBe('onnx:tiny-bert');
    expect(encoder.dims).toBe(16);
  });

  it('returns one L2-normalised vector of the right size per text', async () => {
    const vectors = await encoder.embed(['The cats running!', 'hello world', 'cheap red shoes']);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(16);
      expect(Math.sqrt(cosine(v, v))).toBeCloseTo(1, 5);
    }
  });

  it('gives equal vectors for equal texts, also across batches and positions', async () => {
    const [a, , c] = await encoder.embed([
      'the price is good',
      'something else entirely',
      'the price is good',
    ]);
    const [alone] = await encoder.embed(['the price is good']);
    expect(Array.from(a!)).toEqual(Array.from(c!));
    expect(Array.from(a!)).toEqual(Array.from(alone!));
  });

  it('gives different vectors for different texts', async () => {
    const [a, b] = await encoder.embed(['the cat is good', 'blue shoes were terrible']);
    expect(cosine(a!, b!)).toBeLessThan(0.999);
    expect(Array.from(a!)).not.toEqual(Array.from(b!));
  });

  it('handles empty, long and odd inputs without throwing', async () => {
    const texts = ['', '   ', 'x'.repeat(100_000), '\u0000\u0007bell', '😀😀😀', 'Привет hello 你好'];
    const vectors = await encoder.embed(texts);
    expect(vectors).toHaveLength(texts.length);
    for (const v of vectors) expect(v.every((x) => Number.isFinite(x))).toBe(true);
  });

  it('embeds more texts than one batch in order', async () => {
    const texts = Array.from({ length: 70 }, (_, i) => `product ${i}`);
    const vectors = await encoder.embed(texts);
    const [single] = await encoder.embed([texts[65]!]);
    expect(vectors).toHaveLength(70);
    expect(Array.from(vectors[65]!)).toEqual(Array.from(single!));
  });
});

describe('createOnnxEncoder errors', () => {
  it('names the missing file', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'onnx-missing-'));
    try {
      const folder = await writeTinyOnnxModel('feature-extraction', parent);
      await rm(join(folder, 'onnx', 'model.onnx'));
      const error = await createOnnxEncoder(folder).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NluModelMissingError);
      expect((error as NluModelMissingError).code).toBe('NLU_MODEL_MISSING');
      expect((error as Error).message).toContain(join(folder, 'onnx', 'model.onnx'));
      const nowhere = await createOnnxEncoder(join(parent, 'does-not-exist')).catch((e: unknown) => e);
      expect((nowhere as Error).message).toContain('config.json');
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it('reports a corrupt ONNX file as corrupt', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'onnx-corrupt-'));
    try {
      const folder = await writeTinyOnnxModel('feature-extraction', parent);
      await writeFile(join(folder, 'onnx', 'model.onnx'), 'not a protobuf at all');
      const error = await createOnnxEncoder(folder).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NluModelCorruptError);
      expect((error as Error).message).toContain('model.onnx');
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});
