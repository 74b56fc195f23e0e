import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSentimentAnalyzer,
  NluModelCorruptError,
  NluModelMissingError,
  type SentimentAnalyzer,
} from '../../nlu/index.js';
import { polarityOfLabel } from '../../nlu/sentiment/onnx-sentiment.js';
import { writeTinyOnnxModel } from '../support/tiny-onnx.js';

// NLU_SENTIMENT_MODEL: a local text-classification folder replaces the trained head. The tiny
// classifier the suite builds maps "good/great/love…" to POSITIVE and "bad/terrible/hate…" to NEGATIVE.
let parent: string;
let folder: string;
let analyzer: SentimentAnalyzer;

beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'sentiment-onnx-'));
  folder = await writeTinyOnnxModel('text-classification', parent);
  analyzer = await createSentimentAnalyzer({ onnxModel: folder });
});
afterAll(async () => {
  await analyzer.dispose();
  await rm(parent, { recursive: true, force: true });
});

describe('ONNX text-classification sentiment (tiny model)', () => {
  it('is named after the folder and replaces the head', () => {
    expect(analyzer.id).toBe('onnx:tiny-bert-sentiment');
  });

  it('maps the model labels to polarity and score', async () => {
    const [great, terrible, plain] = await analyzer.analyze([
      'this is great',
      'this is terrible',
      'hello world',
    ]);
    expect(great!.label).toBe('positive');
    expect(great!.score).toBeGreaterThan(0.3);
    expect(great!.positiveProbability).toBeGreaterThan(0.5);
    expect(terrible!.label).toBe('negative');
    expect(terrible!.score).toBeLessThan(-0.3);
    expect(plain!.label).toBe('neutral');
    expect(Math.abs(plain!.score)).toBeLessThan(0.3);
  });

  it('batches exactly and handles odd input', async () => {
    const texts = [
      '',
      'good',
      ' ',
      'x'.repeat(100_000),
      '\u0000bad',
      '😀',
      ...Array.from({ length: 40 }, () => 'love it'),
    ];
    const results = await analyzer.analyze(texts);
    expect(results).toHaveLength(texts.length);
    expect(results[0]).toMatchObject({ label: 'neutral', note: 'empty' });
    expect(results[2]).toMatchObject({ label: 'neutral', note: 'empty' });
    expect(results[4]!.score).toBeLessThan(0);
    const [alone] = await analyzer.analyze(['love it']);
    expect(results[45]!.score).toBeCloseTo(alone!.score, 6);
  });

  it('names a missing file', async () => {
    const error = await createSentimentAnalyzer({ onnxModel: join(parent, 'nope') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NluModelMissingError);
    expect((error as Error).message).toContain(join(parent, 'nope', 'config.json'));
  });

  it('refuses a folder without id2label', async () => {
    const other = await writeTinyOnnxModel('text-classification', await mkdtemp(join(parent, 'x-')));
    const config = JSON.parse(await readFile(join(other, 'config.json'), 'utf8')) as Record<string, unknown>;
    delete config.id2label;
    await writeFile(join(other, 'config.json'), JSON.stringify(config));
    await expect(createSentimentAnalyzer({ onnxModel: other })).rejects.toThrow(NluModelCorruptError);
  });
});

describe('polarityOfLabel', () => {
  it('understands common label names', () => {
    expect(polarityOfLabel('POSITIVE', 1, 2)).toBe('positive');
    expect(polarityOfLabel('negative', 0, 2)).toBe('negative');
    expect(polarityOfLabel('neutral', 1, 3)).toBe('neutral');
    expect(polarityOfLabel('LABEL_0', 0, 2)).toBe('negative');
    expect(polarityOfLabel('LABEL_1', 1, 2)).toBe('positive');
    expect(polarityOfLabel('LABEL_1', 1, 3)).toBe('neutral');
  });
});
