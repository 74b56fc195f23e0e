// Stratified k-fold cross-validation of the shipped bot training data (`mkt bots cv`). Kept apart
// from the command registration so that loading the CLI does not import the bots and NLU modules.
import { loadTrainingData, type NluDomain } from '../../bots/index.js';
import { createEncoder, IntentClassifier } from '../../nlu/index.js';
import { loadConfig } from '../../server/index.js';
import type { progressBar } from '../output.js';

export interface FoldScore {
  domain: NluDomain;
  examples: number;
  intents: number;
  folds: number;
  /** Share of held-out examples whose predicted intent is right (out-of-scope counts as wrong). */
  accuracy: number;
  /** Same, judging the best-ranked intent only (the out-of-scope threshold switched off). */
  top1Accuracy: number;
  /** Share of held-out in-scope examples the calibrated threshold wrongly calls out of scope. */
  falseOutOfScope: number;
  macroF1: number;
}

/** Cross-validates each domain with the configured encoder. */
export async function crossValidateDomains(
  domains: readonly NluDomain[],
  folds: number,
  progress: ReturnType<typeof progressBar>,
): Promise<FoldScore[]> {
  const encoder = await createEncoder(loadConfig().NLU_ENCODER);
  try {
    const results: FoldScore[] = [];
    for (const domain of domains) results.push(await crossValidate(domain, folds, encoder, progress));
    return results;
  } finally {
    await encoder.dispose();
  }
}

async function crossValidate(
  domain: NluDomain,
  k: number,
  encoder: Awaited<ReturnType<typeof createEncoder>>,
  progress: ReturnType<typeof progressBar>,
): Promise<FoldScore> {
  const data = (await loadTrainingData(domain)).map((e) => ({ text: e.text, intent: e.intent }));
  // Stratified: each intent's examples are dealt round-robin over the folds (fixed order, reproducible).
  const foldOf = new Map<number, number>();
  const seen = new Map<string, number>();
  data.forEach((e, i) => {
    const n = seen.get(e.intent) ?? 0;
    seen.set(e.intent, n + 1);
    foldOf.set(i, n % k);
  });
  let right = 0;
  let top1 = 0;
  let falseOos = 0;
  const confusion = new Map<string, { tp: number; fp: number; fn: number }>();
  const cell = (intent: string) =>
    confusion.get(intent) ?? confusion.set(intent, { tp: 0, fp: 0, fn: 0 }).get(intent)!;
  progress.start(k, `${domain} folds`);
  for (let f = 0; f < k; f++) {
    const train = data.filter((_, i) => foldOf.get(i) !== f);
    const test = data.filter((_, i) => foldOf.get(i) === f);
    const model = await IntentClassifier.train(train, encoder, { seed: 7 });
    const predictions = await model.processBatch(test.map((t) => t.text));
    test.forEach((t, i) => {
      const p = predictions[i]!;
      const predicted = p.intent ?? '(out of scope)';
      if (predicted === t.intent) {
        right++;
        cell(t.intent).tp++;
      } else {
        cell(t.intent).fn++;
        cell(predicted).fp++;
      }
      if (p.ranking[0]?.intent === t.intent) top1++;
      if (p.outOfScope) falseOos++;
    });
    progress.update(f + 1);
  }
  progress.stop();
  const f1s = [...seen.keys()].map((intent) => {
    const c = cell(intent);
    const precision = c.tp + c.fp === 0 ? 0 : c.tp / (c.tp + c.fp);
    const recall = c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn);
    return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  });
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    domain,
    examples: data.length,
    intents: seen.size,
    folds: k,
    accuracy: round(right / data.length),
    top1Accuracy: round(top1 / data.length),
    falseOutOfScope: round(falseOos / data.length),
    macroF1: round(f1s.reduce((a, b) => a + b, 0) / f1s.length),
  };
}
