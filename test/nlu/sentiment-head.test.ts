import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { afinnPredict, loadSentimentFile, vaderPredict } from '../../bench/_sentiment.js';
import {
  binaryMetrics,
  loadSentimentHead,
  NluEncoderMismatchError,
  NluModelCorruptError,
  NluModelMissingError,
  NluTrainingDataError,
  parseLabelledSentences,
  persistSentimentHead,
  readSentimentManifest,
  trainSentimentHead,
  type LabelledSentence,
  type SentimentHead,
} from '../../nlu/index.js';
import { rewriteAsLegacy } from '../support/legacy-manifests.js';
import { suiteTempDir, withTempDir } from '../support/temp-dir.js';

// Lexical head only (TF-IDF + lexicon rules, no encoder): trains in about a second on real data.
let amazon: LabelledSentence[];
let yelp: LabelledSentence[];
let head: SentimentHead;
const tmp = suiteTempDir('sentiment-head-');

beforeAll(async () => {
  [amazon, yelp] = await Promise.all([loadSentimentFile('amazon'), loadSentimentFile('yelp')]);
  head = await trainSentimentHead(amazon, { encoder: null });
});

describe('labelled sentence files', () => {
  it('parses the shipped format, skipping the unlabelled first line', () => {
    const rows = parseLabelledSentences('Review\nGreat phone.\t1\n\nAwful case.\t0\r\n', 'x.txt');
    expect(rows).toEqual([
      { text: 'Great phone.', label: 1 },
      { text: 'Awful case.', label: 0 },
    ]);
    expect(amazon).toHaveLength(1000);
    expect(amazon.filter((r) => r.label === 1)).toHaveLength(500);
  });

  it('rejects unlabelled lines after the first, naming the line', () => {
    expect(() => parseLabelledSentences('a\t1\nno label here\nb\t0', 'f.txt')).toThrow(/f\.txt:2/);
    expect(() => parseLabelledSentences('Review\n', 'empty.txt')).toThrow(NluTrainingDataError);
  });
});

describe('lexical sentiment head on an unseen domain (train amazon, test yelp)', () => {
  it('beats VADER and AFINN measured on the same sentences', async () => {
    const texts = yelp.map((r) => r.text);
    const truth = yelp.map((r) => r.label);
    const results = await head.analyze(texts);
    const ours = binaryMetrics(
      truth,
      results.map((r) => (r.positiveProbability >= 0.5 ? 1 : 0)),
    );
    const vader = binaryMetrics(truth, vaderPredict(texts));
    const afinn = binaryMetrics(truth, afinnPredict(texts));
    expect(ours.n).toBe(1000);
    expect(ours.accuracy).toBeGreaterThan(0.82);
    expect(ours.accuracy).toBeGreaterThan(vader.accuracy);
    expect(ours.accuracy).toBeGreaterThan(afinn.accuracy);
    expect(ours.macroF1).toBeGreaterThan(0.8);
  });

  it('gets negation and intensity right', async () => {
    const [notGood, good, veryGood, notBad] = await head.analyze([
      'not good',
      'good',
      'very good!!!',
      'not bad',
    ]);
    expect(notGood!.label).toBe('negative');
    expect(good!.score).toBeGreaterThan(0);
    expect(veryGood!.label).toBe('positive');
    expect(veryGood!.score).toBeGreaterThan(good!.score);
    expect(notBad!.score).toBeGreaterThan(notGood!.score);
    expect(notBad!.label).not.toBe('negative');
  });

  it('scores stay in [-1, 1] and odd input never throws', async () => {
    const odd = [
      '',
      '   \n\t',
      'x'.repeat(100_000),
      'bad\u0000\u0007\u001b[0m',
      '😀😀😀',
      '😡',
      'Привет! 你好 great',
      '\uFFFF\uD800',
    ];
    const results = await head.analyze(odd);
    expect(results).toHaveLength(odd.length);
    for (const r of results) {
      expect(r.score).toBeGreaterThanOrEqual(-1);
      expect(r.score).toBeLessThanOrEqual(1);
    }
    expect(results[0]).toMatchObject({ label: 'neutral', score: 0, note: 'empty' });
    expect(results[1]).toMatchObject({ label: 'neutral', note: 'empty' });
    expect(results[5]!.score).toBeLessThan(0);
  });
});

describe('artifact lifecycle', () => {
  it('persist → load gives identical predictions', async () => {
    const manifest = await persistSentimentHead(head, tmp.path);
    expect(manifest.encoder).toBeNull();
    expect(manifest.params.trainingSize).toBe(1000);
    expect(manifest.dataHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await readSentimentManifest(tmp.path)).toEqual(manifest);
    const loaded = await loadSentimentHead(tmp.path, null);
    const texts = yelp.slice(0, 200).map((r) => r.text);
    expect(await loaded.analyze(texts)).toEqual(await head.analyze(texts));
  });

  it('loads a head saved with the manifest format of before the common one', async () => {
    await withTempDir('sentiment-legacy-', async (folder) => {
      const manifest = await persistSentimentHead(head, folder);
      await rewriteAsLegacy(folder, 'sentiment');
      const read = await readSentimentManifest(folder);
      expect(read.params).toEqual(manifest.params);
      expect(read.files.map((f) => f.name).sort()).toEqual(['vocabulary.json', 'weights.bin']);
      const texts = yelp.slice(0, 100).map((r) => r.text);
      expect(await (await loadSentimentHead(folder, null)).analyze(texts)).toEqual(await head.analyze(texts));
    });
  });

  it('names the missing file and how to rebuild', async () => {
    await withTempDir('sentiment-missing-', async (empty) => {
      const error = await loadSentimentHead(empty).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NluModelMissingError);
      expect((error as Error).message).toContain(join(empty, 'manifest.json'));
      expect((error as Error).message).toContain('mkt sentiment train');
    });
  });

  it('refuses corrupt files and another encoder', async () => {
    await withTempDir('sentiment-corrupt-', async (copy) => {
      await persistSentimentHead(head, copy);
      const weights = await readFile(join(copy, 'weights.bin'));
      await writeFile(join(copy, 'weights.bin'), weights.subarray(0, 100));
      await expect(loadSentimentHead(copy)).rejects.toThrow(NluModelCorruptError);
      await writeFile(join(copy, 'manifest.json'), '{ "formatVersion": 99 }');
      await expect(loadSentimentHead(copy)).rejects.toThrow(/manifest\.json/);
      await persistSentimentHead(head, copy);
      const fakeEncoder = { id: 'use-lite', dims: 512, embed: async () => [], dispose: async () => {} };
      await expect(loadSentimentHead(copy, fakeEncoder)).rejects.toThrow(NluEncoderMismatchError);
    });
  });

  it('refuses training data without both labels', async () => {
    await expect(trainSentimentHead([{ text: 'good', label: 1 }], {})).rejects.toThrow(NluTrainingDataError);
  });
});
