// `npm run bench -- learning [--rounds=8] [--per-round=1000] [--seed-per-intent=10] [--intents=N]`:
// the learning curve of the review loop on BANKING77. The customer-style loop starts from 10
// examples per intent; each round streams unseen training sentences through the deployed model,
// sends what the product would queue for review (out of scope, did you mean, fallback, low
// confidence: the dialog's own decide() and reviewReason()) to a simulated reviewer who labels them
// from the data set, and retrains through the real nlu.retrain job and registry (gated swap). The
// baseline, in the same run, retrains on as many random sentences of the same round's stream.
// A fixed validation slice (5 per intent, never streamed) plus every labelled example is what the
// gate scores on. Progress goes to stderr; run it with `nice` on a shared machine.
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_POLICY } from '../bots/index.js';
import { createEncoder, createSentimentAnalyzer, withDiskCache, type IntentExample } from '../nlu/index.js';
import { nluAdapter } from '../server/nlu-adapter.js';
import { readBanking } from './_banking77.js';
import { LearningArm, reviewTrigger, shuffled, testFigures, type RetrainRecord } from './_learning-loop.js';

const CACHE = join(resolve(dirname(fileURLToPath(import.meta.url))), '.cache', 'use-lite.bin');
const TARGET_ACCURACY = 0.9;
const log = (message: string) => process.stderr.write(`[bench learning] ${message}\n`);
const round = (v: number | null, digits = 4) => (v === null ? null : Number(v.toFixed(digits)));
const intArg = (args: string[], name: string, fallback: number) => {
  const raw = args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
};

/** Splits the training file per intent: seed, fixed validation, and the rest as the stream. */
function split(train: readonly IntentExample[], seedPerIntent: number, validationPerIntent: number) {
  const seen = new Map<string, number>();
  const seed: IntentExample[] = [];
  const validation: IntentExample[] = [];
  const stream: IntentExample[] = [];
  for (const e of shuffled(train, 20)) {
    const n = seen.get(e.intent) ?? 0;
    seen.set(e.intent, n + 1);
    (n < seedPerIntent ? seed : n < seedPerIntent + validationPerIntent ? validation : stream).push(e);
  }
  return { seed, validation, stream };
}

/** Runs the benchmark; returns one JSON-able object. */
export default async function run(args: string[]): Promise<object> {
  const rounds = intArg(args, 'rounds', 8);
  const perRound = intArg(args, 'per-round', 1000);
  const seedPerIntent = intArg(args, 'seed-per-intent', 10);
  const intentCount = intArg(args, 'intents', 77);
  const started = performance.now();
  const loadAverageAtStart = loadavg().map((v) => round(v, 2));

  const allTrain = readBanking('train');
  const kept = new Set([...new Set(allTrain.map((e) => e.intent))].sort().slice(0, intentCount));
  const train = allTrain.filter((e) => kept.has(e.intent));
  const test = readBanking('test').filter((e) => kept.has(e.intent));
  const { seed, validation, stream } = split(train, seedPerIntent, 5);
  if (stream.length < rounds * perRound)
    throw new Error(`only ${stream.length} unseen sentences for ${rounds} rounds of ${perRound}`);
  const validationRows = validation.map((e) => ({ ...e, outOfScope: false }));
  log(
    `${kept.size} intents: seed ${seed.length}, fixed validation ${validation.length}, stream ${stream.length}, test ${test.length}`,
  );

  // Every sentence is embedded once and kept in bench/.cache (shared with bench nlu): this
  // benchmark measures labels and accuracy, not latency.
  const live = await createEncoder('use-lite');
  const encoder = await withDiskCache(live, CACHE);
  const sentiment = await createSentimentAnalyzer({ encoder });
  const canned = new Set(kept);

  const review = await LearningArm.create('review', encoder, seed, validation);
  log('round 0: training on the seed examples');
  const first = await review.retrain('bench: seed examples');
  const random = await LearningArm.create('random', encoder, seed, validation, review);
  const initial = await review.deployed();
  const atStart = await testFigures(initial.model, test, validationRows);
  await encoder.flush();
  log(`round 0: accuracy ${atStart.accuracy.toFixed(4)}`);

  type ArmRound = ReturnType<typeof armRound>;
  const armRound = (
    labelled: number,
    retrain: RetrainRecord,
    figures: Awaited<ReturnType<typeof testFigures>>,
    seconds: number,
  ) => ({
    labelledExamples: seed.length + labelled,
    retrain: { ...retrain, score: round(retrain.score), previousScore: round(retrain.previousScore) },
    accuracy: round(figures.accuracy),
    top1Accuracy: round(figures.top1Accuracy),
    refusedShare: round(figures.refusedShare),
    fixedValidationScore: round(figures.validationScore),
    retrainAndScoreSeconds: round(seconds, 1),
  });
  const history: Array<{
    round: number;
    streamed: number;
    queued: number;
    queuedBy: Record<string, number>;
    review: ArmRound;
    random: ArmRound;
  }> = [];
  const trace = { review: [atStart.validationScore], random: [atStart.validationScore] };
  const gate = [first];

  for (let r = 1; r <= rounds; r++) {
    const batch = stream.slice((r - 1) * perRound, r * perRound);
    const deployed = await review.deployed();
    const wouldQueue = reviewTrigger(
      nluAdapter({ customer: deployed.model, marketer: deployed.model }, sentiment),
      DEFAULT_POLICY,
      canned,
    );
    const queuedBy: Record<string, number> = {};
    const queued: IntentExample[] = [];
    for (const e of batch) {
      const reason = await wouldQueue(e.text);
      if (!reason) continue;
      queuedBy[reason] = (queuedBy[reason] ?? 0) + 1;
      queued.push(e); // the simulated reviewer labels it with the data set's intent
    }
    review.labelled.push(...queued);
    random.labelled.push(...shuffled(batch, 1000 + r).slice(0, queued.length));
    log(`round ${r}: ${queued.length} of ${batch.length} queued ${JSON.stringify(queuedBy)}`);

    const step = async (arm: LearningArm, name: 'review' | 'random') => {
      const t = performance.now();
      const retrain = await arm.retrain(`bench: round ${r}`);
      gate.push(retrain);
      const { model } = await arm.deployed();
      const figures = await testFigures(model, test, validationRows);
      trace[name].push(figures.validationScore);
      log(
        `round ${r} ${name}: v${retrain.version} ${retrain.swapped ? 'swapped' : 'kept out'}, accuracy ${figures.accuracy.toFixed(4)}`,
      );
      return armRound(arm.labelled.length, retrain, figures, (performance.now() - t) / 1000);
    };
    history.push({
      round: r,
      streamed: batch.length,
      queued: queued.length,
      queuedBy,
      review: await step(review, 'review'),
      random: await step(random, 'random'),
    });
    await encoder.flush();
  }

  const reaches = (arm: 'review' | 'random') =>
    history.find((h) => (h[arm].accuracy ?? 0) >= TARGET_ACCURACY)?.[arm].labelledExamples ?? null;
  const reviewAt = reaches('review');
  const randomAt = reaches('random');
  const lowered = gate.filter(
    (g) => g.swapped && g.previousScore !== null && (g.score ?? 0) < g.previousScore,
  );
  // On the fixed slice alone (the gate also counts the labelled examples, which grow every round).
  const fixedDrops = (['review', 'random'] as const).flatMap((arm) =>
    history.flatMap((h, i) =>
      h[arm].retrain.swapped && trace[arm][i + 1]! < trace[arm][i]! ? [{ arm, round: h.round }] : [],
    ),
  );
  log(`fixed validation trace ${JSON.stringify(trace)}`);
  await Promise.all([review.dispose(), random.dispose()]);
  await live.dispose();
  return {
    machine: { cpus: cpus().length, node: process.version, loadAverageAtStart },
    protocol: {
      dataset: 'BANKING77',
      intents: kept.size,
      seedExamples: seed.length,
      fixedValidationExamples: validation.length,
      testRows: test.length,
      rounds,
      streamedPerRound: perRound,
      reviewPolicy: {
        minConfidence: DEFAULT_POLICY.minConfidence,
        offerFloor: DEFAULT_POLICY.offerFloor,
        reviewBelowConfidence: DEFAULT_POLICY.reviewBelowConfidence,
      },
      accuracy: 'test rows answered with the right intent; a refusal (out of scope) counts as wrong',
      baseline: 'the same number of random sentences from the same round, retrained by the same job',
    },
    round0: {
      labelledExamples: seed.length,
      version: initial.version,
      accuracy: round(atStart.accuracy),
      top1Accuracy: round(atStart.top1Accuracy),
      refusedShare: round(atStart.refusedShare),
      fixedValidationScore: round(atStart.validationScore),
    },
    rounds: history,
    summary: {
      targetAccuracy: TARGET_ACCURACY,
      reviewLoopReachesTargetAtLabelled: reviewAt,
      randomReachesTargetAtLabelled: randomAt,
      reviewLoopReachesTargetWithFewerLabels: reviewAt !== null && (randomAt === null || reviewAt < randomAt),
      retrains: gate.length,
      swaps: gate.filter((g) => g.swapped).length,
      swapsThatLoweredTheGateScore: lowered.length,
      swapsThatLoweredTheFixedValidationSlice: fixedDrops,
    },
    totalSeconds: round((performance.now() - started) / 1000, 1),
    loadAverageAtEnd: loadavg().map((v) => round(v, 2)),
  };
}
