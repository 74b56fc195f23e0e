// `npm run bench -- nlu`: intent classification of this project against nlp.js (node-nlp, default
// settings) in one run, on BANKING77, BANKING77 with 10 intents held out as out-of-scope, and the
// three NLU Evaluation Corpora; then the sentiment benchmark when bench/_sentiment.ts exists.
// Reads ../shared/data (benchmarks may; the product may not). Progress goes to stderr.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  classificationScores,
  createEncoder,
  evaluateIntentClassifier,
  percentile,
  scorePredictions,
  withDiskCache,
  type IntentExample,
  type IntentPrediction,
  type IntentTrainOptions,
  type SentenceEncoder,
} from '../nlu/index.js';
import { INTENT_DATA_DIR, readBanking } from './_banking77.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = INTENT_DATA_DIR;
const CACHE = join(repoRoot, 'bench', '.cache', 'use-lite.bin');
const OOS = 'oos';
const log = (message: string) => process.stderr.write(`[bench nlu] ${message}\n`);
const round = (v: number | null, digits = 4) => (v === null ? null : Number(v.toFixed(digits)));

const ZCorpus = z.object({
  sentences: z.array(z.object({ text: z.string(), intent: z.string(), training: z.boolean() })),
});
function readCorpus(name: string): { train: IntentExample[]; test: IntentExample[] } {
  const { sentences } = ZCorpus.parse(JSON.parse(readFileSync(join(DATA, `${name}.json`), 'utf8')));
  const pick = (training: boolean) =>
    sentences.filter((s) => s.training === training).map((s) => ({ text: s.text, intent: s.intent }));
  return { train: pick(true), test: pick(false) };
}

/** 10 BANKING77 intents chosen by a fixed seeded draw, held out of training and scored as out-of-scope. */
function heldOutIntents(intents: string[], count = 10, seed = 77): string[] {
  let a = seed;
  const random = () => (a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pool = [...intents].sort();
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, count).sort();
}

type NlpManagerLike = {
  addDocument(lang: string, text: string, intent: string): void;
  train(): Promise<void>;
  process(lang: string, text: string): Promise<{ intent: string; score: number }>;
};
const require = createRequire(import.meta.url);

/** nlp.js with its default settings (only file saving and training logs switched off). Its fallback intent "None" = out of scope. */
async function runNlpJs(train: readonly IntentExample[], test: readonly IntentExample[]) {
  const { NlpManager } = require('node-nlp') as { NlpManager: new (settings: object) => NlpManagerLike };
  const manager = new NlpManager({ languages: ['en'], autoSave: false, nlu: { log: false } });
  for (const e of train) manager.addDocument('en', e.text, e.intent);
  const started = performance.now();
  await manager.train();
  const trainSeconds = (performance.now() - started) / 1000;
  const latencies: number[] = [];
  const predicted: string[] = [];
  for (const e of test) {
    const t = performance.now();
    predicted.push((await manager.process('en', e.text)).intent);
    latencies.push(performance.now() - t);
  }
  return { predicted, trainSeconds, p50Ms: percentile(latencies, 0.5), p95Ms: percentile(latencies, 0.95) };
}

const toPredictions = (labels: string[]): IntentPrediction[] =>
  labels.map((l) =>
    l === 'None'
      ? { intent: null, confidence: 0, ranking: [], outOfScope: true }
      : { intent: l, confidence: 1, ranking: [], outOfScope: false },
  );

/** Runs the whole benchmark; returns one JSON-able object. */
export default async function run(args: string[]): Promise<object> {
  // --quick: a few rows per intent, to check the benchmark itself end to end in a minute or two.
  const quick = args.includes('--quick');
  // --oos-only: only part 2 (10 BANKING77 intents held out as out-of-scope); --no-nlpjs skips nlp.js there.
  const oosOnly = args.includes('--oos-only');
  const withNlpJs = !args.includes('--no-nlpjs');
  // --oos-method=auto|combined|combined-metric|adb|confidence: the out-of-scope method (default: the product's).
  const oosMethodArg = args.find((a) => a.startsWith('--oos-method='))?.slice('--oos-method='.length);
  const oosMethod = oosMethodArg as IntentTrainOptions['oosMethod'];
  // --neighbour-vote: the fusion with the nearest-neighbour vote (IntentTrainOptions.neighbourVote).
  const neighbourVote = args.includes('--neighbour-vote');
  const started = performance.now();
  const encoderStarted = performance.now();
  const encoder: SentenceEncoder = await createEncoder('use-lite');
  const encoderLoadMs = performance.now() - encoderStarted;
  // Training embeddings are kept in bench/.cache between runs; test latency always uses the live encoder.
  const trainEncoder = await withDiskCache(encoder, CACHE);
  const results: Record<string, unknown> = {
    // Load average at the start (and at the end, below): wall-clock figures depend on other work.
    machine: {
      cpus: cpus().length,
      node: process.version,
      loadAverageAtStart: loadavg().map((v) => round(v, 2)),
    },
    encoderLoadMs: round(encoderLoadMs, 1),
  };
  const progress = (label: string) => (done: number, total: number) => {
    if (done === total || done % 500 === 0) log(`${label}: ${done}/${total}`);
  };
  const trainProgress = (label: string) => ({
    ...(oosMethod ? { oosMethod } : {}),
    neighbourVote,
    onProgress: (stage: string, done: number, total: number) =>
      (done === total || done % 2048 === 0) && log(`${label} ${stage} ${done}/${total}`),
  });

  // 1. BANKING77, all 77 intents.
  const perIntent = (rows: IntentExample[], n: number) => {
    const seen = new Map<string, number>();
    return rows.filter((r) => (seen.set(r.intent, (seen.get(r.intent) ?? 0) + 1).get(r.intent) ?? 0) <= n);
  };
  const train = quick ? perIntent(readBanking('train'), 12) : readBanking('train');
  const test = quick ? perIntent(readBanking('test'), 2) : readBanking('test');
  if (quick) results.quick = 'subset run (--quick): figures are not comparable with a full run';
  if (oosOnly) results.oosOnly = 'only the out-of-scope part was run (--oos-only)';
  results.neighbourVote = neighbourVote;
  if (!oosOnly) await runBanking77();
  async function runBanking77() {
    log(`BANKING77: ${train.length} train / ${test.length} test — this project`);
    // What the embedding cache saves: the training sentences embedded once by a fresh encoder,
    // which is then released (the test latency below uses the shared live encoder).
    const fresh = await createEncoder('use-lite');
    const embedCpu = process.cpuUsage();
    const embedStarted = performance.now();
    await fresh.embed(train.map((e) => e.text));
    const embedding = {
      sentences: train.length,
      wallSeconds: round((performance.now() - embedStarted) / 1000, 1),
      cpuSeconds: round(cpuSecondsSince(embedCpu), 1),
    };
    await fresh.dispose();
    const ours = await evaluateIntentClassifier({
      encoder,
      trainEncoder,
      train,
      test,
      oosLabel: OOS,
      trainOptions: trainProgress('banking77'),
      onTestProgress: progress('banking77 test'),
    });
    await trainEncoder.flush();
    log('BANKING77 — nlp.js');
    const nlp = await runNlpJs(train, test);
    const nlpScores = classificationScores(
      test.map((e) => e.intent),
      nlp.predicted,
    );
    const oursScores = classificationScores(
      test.map((e) => e.intent),
      ours.predictions.map((p) => p.intent ?? 'None'),
    );
    results.banking77 = {
      thisProject: {
        accuracy: round(oursScores.accuracy),
        macroF1: round(oursScores.macroF1),
        accuracyIgnoringOutOfScope: round(ours.result.inScopeAccuracyNoThreshold),
        trainSeconds: round(ours.result.trainSeconds, 1),
        trainCpuSeconds: round(ours.result.trainCpuSeconds, 1),
        trainingEmbeddings:
          'read from bench/.cache when present; trainingEmbeddingCost is what embedding them costs',
        trainingEmbeddingCost: embedding,
        p50Ms: round(ours.result.p50Ms, 2),
        p95Ms: round(ours.result.p95Ms, 2),
        cpuMsPerMessage: round(ours.result.cpuMsPerMessage, 2),
        modelLoadMs: round(ours.result.loadMs, 1),
        validation: ours.result.validation,
      },
      nlpjs: {
        accuracy: round(nlpScores.accuracy),
        macroF1: round(nlpScores.macroF1),
        trainSeconds: round(nlp.trainSeconds, 1),
        p50Ms: round(nlp.p50Ms, 2),
        p95Ms: round(nlp.p95Ms, 2),
      },
    };
    log(
      `BANKING77 accuracy: this project ${oursScores.accuracy.toFixed(4)}, nlp.js ${nlpScores.accuracy.toFixed(4)}`,
    );
  }

  // 2. Out-of-scope: 10 intents never seen in training, their test rows must be refused.
  const hidden = new Set(heldOutIntents([...new Set(train.map((e) => e.intent))]));
  const oosTrain = train.filter((e) => !hidden.has(e.intent));
  const oosTest = test.map((e) => (hidden.has(e.intent) ? { text: e.text, intent: OOS } : e));
  log(`BANKING77 out-of-scope (${hidden.size} intents held out) — this project`);
  const oursOos = await evaluateIntentClassifier({
    encoder,
    trainEncoder,
    train: oosTrain,
    test: oosTest,
    oosLabel: OOS,
    trainOptions: trainProgress('banking77-oos'),
    onTestProgress: progress('oos test'),
  });
  const oosRows = oosTest.map((e) => ({ ...e, outOfScope: e.intent === OOS }));
  let nlpOosReport: ReturnType<typeof scorePredictions> | undefined;
  if (withNlpJs) {
    log('BANKING77 out-of-scope — nlp.js');
    const nlpOos = await runNlpJs(oosTrain, oosTest);
    nlpOosReport = scorePredictions(oosRows, toPredictions(nlpOos.predicted));
  }
  const summarise = (
    r: {
      inScopeAccuracy: number;
      oosRecall: number | null;
      oosPrecision: number | null;
      accuracy: number;
      macroF1: number;
    },
    noThreshold: number,
  ) => ({
    heldOutIntents: [...hidden],
    oosRecall: round(r.oosRecall),
    oosPrecision: round(r.oosPrecision),
    inScopeAccuracy: round(r.inScopeAccuracy),
    inScopeAccuracyWithoutOutOfScopeDetection: round(noThreshold),
    inScopeAccuracyDropPoints: round((noThreshold - r.inScopeAccuracy) * 100, 2),
    accuracy: round(r.accuracy),
    macroF1: round(r.macroF1),
  });
  results.banking77OutOfScope = {
    thisProject: {
      ...summarise(oursOos.result, oursOos.result.inScopeAccuracyNoThreshold),
      threshold: round(oursOos.result.threshold),
      thresholdSource: oursOos.result.thresholdSource,
      trainSeconds: round(oursOos.result.trainSeconds, 1),
      trainCpuSeconds: round(oursOos.result.trainCpuSeconds, 1),
      p50Ms: round(oursOos.result.p50Ms, 2),
      p95Ms: round(oursOos.result.p95Ms, 2),
      cpuMsPerMessage: round(oursOos.result.cpuMsPerMessage, 2),
      ...(oosOnly
        ? {}
        : {
            latencyNote: 'the test texts were embedded in part 1 already: encoder cache hits, not comparable',
          }),
      validation: oursOos.result.validation,
    },
    nlpjs: nlpOosReport
      ? {
          ...summarise(nlpOosReport, nlpOosReport.inScopeAccuracy),
          note: 'nlp.js has no separate threshold-free answer; its "None" is its out-of-scope decision',
        }
      : { skipped: '--no-nlpjs' },
  };
  await trainEncoder.flush();
  const o = (
    results.banking77OutOfScope as {
      thisProject: { oosRecall: number; oosPrecision: number; inScopeAccuracyDropPoints: number };
    }
  ).thisProject;
  const oosF1 =
    o.oosRecall + o.oosPrecision > 0
      ? (2 * o.oosRecall * o.oosPrecision) / (o.oosRecall + o.oosPrecision)
      : 0;
  (results.banking77OutOfScope as { thisProject: Record<string, unknown> }).thisProject.oosF1 = round(oosF1);
  // Issue 20's open-class targets: F1 ≥ 0.73 and recall ≥ 0.65 at ≤ 2 points in-scope drop.
  const oosTargets = {
    oosF1AtLeast073: oosF1 >= 0.73,
    oosRecallAtLeast065: o.oosRecall >= 0.65,
    inScopeDropAtMost2Points: o.inScopeAccuracyDropPoints <= 2,
  };
  if (oosOnly) {
    results.targets = oosTargets;
    results.totalSeconds = round((performance.now() - started) / 1000, 1);
    results.loadAverageAtEnd = loadavg().map((v) => round(v, 2));
    await encoder.dispose();
    return results;
  }

  // 3. NLU Evaluation Corpora (training flag). "None" is a real class there; a refusal counts as "None" for both systems.
  const corpora: Record<string, unknown> = {};
  for (const name of ['ChatbotCorpus', 'AskUbuntuCorpus', 'WebApplicationsCorpus']) {
    const { train: ctrain, test: ctest } = readCorpus(name);
    log(`${name}: ${ctrain.length} train / ${ctest.length} test`);
    const o = await evaluateIntentClassifier({
      encoder,
      trainEncoder,
      train: ctrain,
      test: ctest,
      oosLabel: OOS,
    });
    const n = await runNlpJs(ctrain, ctest);
    const gold = ctest.map((e) => e.intent);
    const os = classificationScores(
      gold,
      o.predictions.map((p) => p.intent ?? 'None'),
    );
    const ns = classificationScores(gold, n.predicted);
    corpora[name] = {
      train: ctrain.length,
      test: ctest.length,
      thisProject: {
        accuracy: round(os.accuracy),
        macroF1: round(os.macroF1),
        trainSeconds: round(o.result.trainSeconds, 2),
      },
      nlpjs: {
        accuracy: round(ns.accuracy),
        macroF1: round(ns.macroF1),
        trainSeconds: round(n.trainSeconds, 2),
      },
    };
  }
  results.nluEvaluationCorpora = corpora;
  await trainEncoder.flush();

  // 4. Sentiment (written by the sentiment work; optional here).
  const sentimentModule = join(repoRoot, 'bench', '_sentiment.ts');
  // --no-sentiment: intent classification only (the sentiment part is `npm run bench -- sentiment` too).
  if (args.includes('--no-sentiment')) {
    results.sentiment = { skipped: '--no-sentiment' };
  } else if (existsSync(sentimentModule)) {
    log('sentiment');
    const mod = (await import('./_sentiment.js')) as { runSentimentBench?: () => Promise<object> };
    results.sentiment = mod.runSentimentBench
      ? await mod.runSentimentBench()
      : { skipped: 'bench/_sentiment.ts has no runSentimentBench export' };
  } else {
    results.sentiment = { skipped: 'bench/_sentiment.ts not present' };
  }

  const b = results.banking77 as {
    thisProject: {
      accuracy: number;
      accuracyIgnoringOutOfScope: number;
      trainSeconds: number;
      trainCpuSeconds: number;
      p95Ms: number;
      modelLoadMs: number;
    };
  };
  results.targets = {
    // Top-1 intent (the accuracy target) and, stricter, with out-of-scope refusals counted as wrong.
    banking77Top1AccuracyAtLeast094: b.thisProject.accuracyIgnoringOutOfScope >= 0.94,
    banking77AccuracyWithOutOfScopeOnAtLeast092: b.thisProject.accuracy >= 0.92,
    ...oosTargets,
    p95AtMost25Ms: b.thisProject.p95Ms <= 25,
    modelLoadAtMost1s: b.thisProject.modelLoadMs <= 1000,
    trainingAtMost5Min: b.thisProject.trainSeconds <= 300,
    trainingCpuAtMost5Min: b.thisProject.trainCpuSeconds <= 300,
  };
  results.totalSeconds = round((performance.now() - started) / 1000, 1);
  results.loadAverageAtEnd = loadavg().map((v) => round(v, 2));
  await encoder.dispose();
  return results;
}

/** CPU seconds (user + system) of this process since `start`. */
function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}
