import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rewriteAsLegacy } from '../support/legacy-manifests.js';
import {
  examplesFromDocument,
  IntentClassifier,
  NluEncoderMismatchError,
  NluModelCorruptError,
  NluModelMissingError,
  NluTrainingDataError,
  scorePredictions,
  type DiskCachedEncoder,
  type IntentExample,
} from '../../nlu/index.js';
import { bankingSubset, cachedUseLite } from './intent-fixtures.js';

let encoder: DiskCachedEncoder;
let model: IntentClassifier;
let data: ReturnType<typeof bankingSubset>;
let dir: string;

beforeAll(async () => {
  encoder = await cachedUseLite();
  data = bankingSubset();
  model = await IntentClassifier.train(data.train, encoder, { oosMethod: 'auto' });
  await encoder.flush();
  dir = await mkdtemp(join(tmpdir(), 'nlu-intent-'));
});

afterAll(async () => {
  await encoder?.flush();
  await encoder?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const asEval = (rows: IntentExample[], outOfScope: boolean) => rows.map((r) => ({ ...r, outOfScope }));

describe('IntentClassifier on a BANKING77 subset (15 intents × 20 examples)', () => {
  it('classifies held-out test rows far above chance (1/15)', async () => {
    const predictions = await model.processBatch(data.test.map((r) => r.text));
    const report = scorePredictions(asEval(data.test, false), predictions);
    expect(report.inScopeAccuracy).toBeGreaterThan(0.75);
    // Ranking is the top 5, best first, with probabilities.
    const p = predictions[0]!;
    expect(p.ranking).toHaveLength(5);
    expect(p.ranking[0]!.confidence).toBeGreaterThanOrEqual(p.ranking[4]!.confidence);
    expect(p.confidence).toBeCloseTo(p.ranking[0]!.confidence, 6);
  });

  it('calibrates an out-of-scope model and threshold on held-out intents that catches unseen intents', async () => {
    const metrics = model.metrics as {
      calibrated: boolean;
      oosMethod: string;
      oosModel: { features: string[]; weights: number[] };
      validation: {
        pseudoOutOfScopeIntents: string[][];
        threshold: number;
        oosRecall: number;
        oosMethods: Record<string, { oosF1: number } | null>;
      };
    };
    expect(metrics.calibrated).toBe(true);
    // `auto` tried the three calibrated methods and applied the one with the best pseudo-OOS F1.
    const tried = metrics.validation.oosMethods;
    expect(Object.keys(tried).sort()).toEqual(['adb', 'combined', 'combined-metric']);
    const bestF1 = Math.max(...Object.values(tried).map((t) => t!.oosF1));
    expect(tried[metrics.oosMethod]!.oosF1).toBe(bestF1);
    expect(metrics.oosModel.features).toContain('nnSimilarity');
    expect(metrics.oosModel.weights).toHaveLength(metrics.oosModel.features.length);
    expect(metrics.validation.pseudoOutOfScopeIntents.length).toBeGreaterThan(0);
    expect(model.threshold).toBeGreaterThan(0);
    expect(model.threshold).toBeLessThan(1);
    const rows = [...asEval(data.test, false), ...asEval(data.oos, true)];
    const report = scorePredictions(rows, await model.processBatch(rows.map((r) => r.text)));
    // Unseen intents are refused far more often than seen ones (measured: 26 of 30 refused, 0.87).
    expect(report.oosRecall!).toBeGreaterThan(0.7);
    // Measured 0.85 with the method `auto` applies here (one of 60 in-scope rows more refused than
    // with `combined` alone, inside the 2-point budget the threshold is chosen for).
    expect(report.inScopeAccuracy).toBeGreaterThanOrEqual(0.85);
    const inScopeRefused =
      (await model.processBatch(data.test.map((r) => r.text))).filter((p) => p.outOfScope).length /
      data.test.length;
    expect(report.oosRecall!).toBeGreaterThan(inScopeRefused + 0.6);

    // The earlier method (top fused probability alone) on the same data and seed catches fewer
    // (measured: 25 of 30); on the full BANKING77 benchmark the gap is larger (see README).
    const baseline = await IntentClassifier.train(data.train, encoder, { oosMethod: 'confidence' });
    expect(baseline.metrics.oosMethod).toBe('confidence');
    const baseReport = scorePredictions(rows, await baseline.processBatch(rows.map((r) => r.text)));
    expect(report.oosRecall!).toBeGreaterThan(baseReport.oosRecall!);
  });

  it('refuses bad input with a clear out-of-scope result instead of throwing', async () => {
    const [empty, blank, huge, control, emoji, mixed] = await model.processBatch([
      '',
      '   \n\t ',
      'card '.repeat(20_000),
      '\u0000\u0007\u001b',
      '😀🎉👍',
      'my card 🙂 has not arrived \u0000 yet',
    ]);
    expect(empty).toMatchObject({ intent: null, outOfScope: true, reason: 'empty', ranking: [] });
    expect(blank).toMatchObject({ outOfScope: true, reason: 'empty' });
    expect(huge).toMatchObject({ outOfScope: true, reason: 'too_long' });
    expect(control).toMatchObject({ outOfScope: true, reason: 'empty' });
    expect(emoji).toMatchObject({ outOfScope: true, reason: 'no_words' });
    expect(mixed!.ranking.length).toBe(5);
    expect(await model.process(undefined as unknown as string)).toMatchObject({
      outOfScope: true,
      reason: 'empty',
    });
  });

  it('persists and loads back to identical predictions', async () => {
    const out = join(dir, 'roundtrip');
    await model.persist(out);
    const loaded = await IntentClassifier.load(out, encoder);
    const texts = [...data.test, ...data.oos].map((r) => r.text);
    expect(await loaded.processBatch(texts)).toEqual(await model.processBatch(texts));
    expect(loaded.threshold).toBe(model.threshold);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      kind: 'intent-model',
      formatVersion: 4,
      encoder: { id: 'use-lite', dims: 512 },
      dataHash: model.dataHash,
      params: { oosMethod: model.metrics.oosMethod, neighbourWeight: model.neighbourWeight },
    });
    expect(manifest.files.map((f: { name: string }) => f.name).sort()).toEqual([
      'metrics.json',
      'vocabulary.json',
      'weights.bin',
    ]);
    expect(manifest.params.labels).toEqual(data.inScope);
    expect(manifest.params.oosScorer.features).toEqual(
      (model.metrics.oosModel as { features: string[] }).features,
    );
    expect(manifest.params.tensors.map((t: { name: string }) => t.name)).toEqual(
      expect.arrayContaining(['neighbourMatrix', 'neighbourCounts', 'centroids']),
    );
    expect(JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8')).score).toBe(model.metrics.score);
  });

  it('the adaptive-boundary method persists its projection head and boundaries and loads back identical', async () => {
    const adb = await IntentClassifier.train(data.train, encoder, { oosMethod: 'adb' });
    expect(adb.metrics.oosMethod).toBe('adb');
    const out = join(dir, 'adb');
    await adb.persist(out);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.params).toMatchObject({ oosMethod: 'adb', metricDims: 128, oosScorer: null });
    expect(manifest.params.tensors.map((t: { name: string }) => t.name)).toEqual(
      expect.arrayContaining(['metricWeights', 'metricBias', 'metricClassWeights', 'boundaries']),
    );
    const loaded = await IntentClassifier.load(out, encoder);
    const texts = [...data.test, ...data.oos].map((r) => r.text);
    expect(await loaded.processBatch(texts)).toEqual(await adb.processBatch(texts));
    // Unseen intents are refused more often than seen ones.
    const rows = [...asEval(data.test, false), ...asEval(data.oos, true)];
    const report = scorePredictions(rows, await loaded.processBatch(rows.map((r) => r.text)));
    const refusedInScope = (await loaded.processBatch(data.test.map((r) => r.text))).filter(
      (p) => p.outOfScope,
    );
    expect(report.oosRecall!).toBeGreaterThan(refusedInScope.length / data.test.length);
  });

  it('with the neighbour vote, records its weight and loads back identical; an artifact without the field has no vote', async () => {
    const voting = await IntentClassifier.train(data.train, encoder, { neighbourVote: true });
    const validation = voting.metrics.validation as {
      neighbourWeight: number;
      fusedAccuracyWithoutVote: number;
    };
    expect(validation.neighbourWeight).toBe(voting.neighbourWeight);
    // The weight is chosen on the calibration rows: a vote is kept only if it did not lower their accuracy.
    expect(voting.metrics.score as number).toBeGreaterThanOrEqual(validation.fusedAccuracyWithoutVote);
    const texts = [...data.test, ...data.oos].map((r) => r.text);
    const out = join(dir, 'vote');
    await voting.persist(out);
    expect(JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')).params.neighbourWeight).toBe(
      voting.neighbourWeight,
    );
    expect(await (await IntentClassifier.load(out, encoder)).processBatch(texts)).toEqual(
      await voting.processBatch(texts),
    );

    // Artifacts written before the vote existed have no `neighbourWeight`: they load as no vote.
    const plain = join(dir, 'before-vote');
    await model.persist(plain);
    const manifestFile = join(plain, 'manifest.json');
    const older = JSON.parse(await readFile(manifestFile, 'utf8'));
    expect(older.params.neighbourWeight).toBe(0);
    delete older.params.neighbourWeight;
    await writeFile(manifestFile, JSON.stringify(older));
    const loaded = await IntentClassifier.load(plain, encoder);
    expect(loaded.neighbourWeight).toBe(0);
    expect(await loaded.processBatch(texts)).toEqual(await model.processBatch(texts));
  });

  it('loads an artifact saved with the manifest format of before the common one', async () => {
    const out = join(dir, 'legacy-manifest');
    await model.persist(out);
    const legacy = await rewriteAsLegacy(out, 'intent');
    expect(legacy).toMatchObject({ kind: 'intent-classifier', formatVersion: 4, labels: data.inScope });
    const loaded = await IntentClassifier.load(out, encoder);
    const texts = [...data.test, ...data.oos].map((r) => r.text);
    expect(await loaded.processBatch(texts)).toEqual(await model.processBatch(texts));
    expect(loaded.threshold).toBe(model.threshold);
  });

  it('refuses an artifact built for another encoder', async () => {
    const out = join(dir, 'other-encoder');
    await model.persist(out);
    const manifestFile = join(out, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
    manifest.encoder = { id: 'onnx:minilm', dims: 384 };
    await writeFile(manifestFile, JSON.stringify(manifest));
    const error = await IntentClassifier.load(out, encoder).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NluEncoderMismatchError);
    expect((error as Error).message).toMatch(/"onnx:minilm".*"use-lite"/);
    expect((error as NluEncoderMismatchError).code).toBe('NLU_ENCODER_MISMATCH');
  });

  it('refuses an artifact of an older format version, saying so and how to retrain', async () => {
    const out = join(dir, 'old-format');
    await model.persist(out);
    const manifestFile = join(out, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
    manifest.formatVersion = 2;
    await writeFile(manifestFile, JSON.stringify(manifest));
    const error = await IntentClassifier.load(out, encoder).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NluModelCorruptError);
    expect((error as Error).message).toMatch(
      /manifest\.json \(artifact format version 2, but this version of the software reads only format 4\).*mkt nlu train/,
    );
  });

  it('names the missing or corrupt file and how to retrain', async () => {
    const out = join(dir, 'broken');
    await model.persist(out);
    const weights = join(out, 'weights.bin');
    const bytes = await readFile(weights);
    await writeFile(weights, bytes.subarray(0, bytes.length >> 1));
    const corrupt = await IntentClassifier.load(out, encoder).catch((e: unknown) => e);
    expect(corrupt).toBeInstanceOf(NluModelCorruptError);
    expect((corrupt as Error).message).toContain(weights);
    expect((corrupt as Error).message).toContain('mkt nlu train');

    await cp(join(dir, 'roundtrip'), join(dir, 'bad-json'), { recursive: true });
    await writeFile(join(dir, 'bad-json', 'manifest.json'), '{ "formatVersion": 3, ');
    await expect(IntentClassifier.load(join(dir, 'bad-json'), encoder)).rejects.toThrow(
      /manifest\.json \(not valid JSON\).*mkt nlu train/,
    );

    const missing = await IntentClassifier.load(join(dir, 'nowhere'), encoder).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NluModelMissingError);
    expect((missing as Error).message).toContain(join(dir, 'nowhere', 'manifest.json'));
  });
});

describe('training data format', () => {
  it('reads Rasa-style blocks and plain lists, strips entity markup, drops duplicates', () => {
    const examples = examplesFromDocument({
      version: '3.1',
      nlu: [
        { intent: 'greet', examples: '- hi\n- hello there\n- hi\n' },
        {
          intent: 'buy',
          examples: ['I want [red](colour) shoes', 'buy [two]{"entity": "number", "value": 2} shirts'],
        },
        { synonym: 'tee', examples: '- t-shirt' },
      ],
    });
    expect(examples).toEqual([
      { text: 'hi', intent: 'greet' },
      { text: 'hello there', intent: 'greet' },
      { text: 'I want red shoes', intent: 'buy' },
      { text: 'buy two shirts', intent: 'buy' },
    ]);
  });

  it('rejects a file without intents with a readable error', () => {
    expect(() => examplesFromDocument({ foo: 1 })).toThrow(NluTrainingDataError);
    expect(() => examplesFromDocument({ intents: [{ intent: 'only', examples: ['a'] }] })).toThrow(
      /at least two intents/,
    );
  });
});
