import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SentenceEncoder } from '../encoder.js';
import { percentile, scorePredictions, type EvalRow, type IntentEvalReport } from './evaluation.js';
import { IntentClassifier, type IntentPrediction, type IntentTrainOptions } from './intent-classifier.js';
import type { IntentExample } from './training-data.js';

/** Inputs of one train-then-test run. */
export interface IntentEvalOptions {
  /** Encoder used at prediction time (latency is measured with it). */
  encoder: SentenceEncoder;
  /** Encoder used for training embeddings, e.g. a file-cached wrapper of `encoder` (same id). */
  trainEncoder?: SentenceEncoder;
  train: readonly IntentExample[];
  test: readonly IntentExample[];
  /** Labelled validation rows (with out-of-scope rows) to re-choose the threshold on. */
  val?: readonly IntentExample[];
  /** Category marking out-of-scope rows in test/val (and an explicit out-of-scope class in train). */
  oosLabel: string;
  trainOptions?: IntentTrainOptions;
  /** Called every 20 test messages. */
  onTestProgress?: (done: number, total: number) => void;
}

/** Scores plus timings of a run (the `mkt nlu eval` output). */
export interface IntentEvalResult extends IntentEvalReport {
  /** In-scope accuracy of the top intent ignoring the threshold (what the threshold costs is the difference). */
  inScopeAccuracyNoThreshold: number;
  trainSeconds: number;
  /** Process CPU seconds of training (the wall-clock figure grows with other work on the machine). */
  trainCpuSeconds: number;
  p50Ms: number;
  p95Ms: number;
  /**
   * Process CPU time per test message (encoder included), which unlike wall-clock latency does not
   * grow when other work shares the machine.
   */
  cpuMsPerMessage: number;
  /** Time to load the persisted artifact (encoder already loaded). */
  loadMs: number;
  threshold: number;
  thresholdSource: string;
  intents: number;
  trainRows: number;
  encoder: string;
  validation: unknown;
}

/**
 * Trains on `train`, persists and reloads the model (timed), then classifies the test rows one
 * message at a time (timed, encoder included) and scores them.
 */
export async function evaluateIntentClassifier(
  opts: IntentEvalOptions,
): Promise<{ result: IntentEvalResult; predictions: IntentPrediction[] }> {
  const started = performance.now();
  const trainCpu = process.cpuUsage();
  const model = await IntentClassifier.train(opts.train, opts.trainEncoder ?? opts.encoder, {
    outOfScopeLabels: [opts.oosLabel],
    ...opts.trainOptions,
  });
  const trainSeconds = (performance.now() - started) / 1000;
  const trainCpuUsed = process.cpuUsage(trainCpu);
  const asRows = (rows: readonly IntentExample[]): EvalRow[] =>
    rows.map((r) => ({ ...r, outOfScope: r.intent === opts.oosLabel }));
  const recalibrated = opts.val
    ? await model.recalibrate(asRows(opts.val), opts.trainOptions?.maxInScopeDrop)
    : undefined;
  const dir = await mkdtemp(join(tmpdir(), 'nlu-eval-'));
  try {
    await model.persist(dir);
    const loadStarted = performance.now();
    const loaded = await IntentClassifier.load(dir, opts.encoder);
    const loadMs = performance.now() - loadStarted;
    const rows = asRows(opts.test);
    // A fresh process runs its first few dozen messages 2–3× slower (V8 tier-up of the wasm
    // kernels and of the graph executor); a server warms up once after start, so latency is
    // measured after the same warm-up.
    await opts.encoder.warmUp?.();
    await loaded.process('warm up the classifier');
    const latencies: number[] = [];
    const predictions: IntentPrediction[] = [];
    const cpuStart = process.cpuUsage();
    for (const [i, row] of rows.entries()) {
      const t = performance.now();
      predictions.push(await loaded.process(row.text));
      latencies.push(performance.now() - t);
      if (i % 20 === 19) opts.onTestProgress?.(i + 1, rows.length);
    }
    const cpu = process.cpuUsage(cpuStart);
    opts.onTestProgress?.(rows.length, rows.length);
    const inScope = rows.flatMap((r, i) => (r.outOfScope ? [] : [i]));
    const topRight = inScope.filter((i) => predictions[i]!.ranking[0]?.intent === rows[i]!.intent).length;
    return {
      predictions,
      result: {
        ...scorePredictions(rows, predictions),
        inScopeAccuracyNoThreshold: inScope.length ? topRight / inScope.length : 0,
        trainSeconds,
        trainCpuSeconds: (trainCpuUsed.user + trainCpuUsed.system) / 1e6,
        p50Ms: percentile(latencies, 0.5),
        p95Ms: percentile(latencies, 0.95),
        cpuMsPerMessage: rows.length ? (cpu.user + cpu.system) / 1000 / rows.length : 0,
        loadMs,
        threshold: loaded.threshold,
        thresholdSource: recalibrated
          ? 'validation file'
          : 'pseudo out-of-scope intents held out from training',
        intents: model.labels.length,
        trainRows: opts.train.length,
        encoder: opts.encoder.id,
        validation: model.metrics.validation,
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
