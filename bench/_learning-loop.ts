// The parts of `npm run bench -- learning` that touch the product: an arm of the experiment is one
// DATA_DIR whose customer intent model is retrained by the real `nlu.retrain` processor (the
// registry's gated swap), and the review queue's decision is the product's own — the served NLU
// (server/nlu-adapter.ts), the dialog's decide() and review-trigger.ts's reviewReason() — for a
// message that opens a conversation.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decide,
  initialState,
  reviewReason,
  type DialogPolicy,
  type Nlu,
  type ReviewReason,
} from '../bots/index.js';
import {
  ModelRegistry,
  validationAccuracy,
  type EvalRow,
  type IntentClassifier,
  type IntentExample,
  type SentenceEncoder,
} from '../nlu/index.js';
import { intentRegistryDir } from '../server/intent-models.js';
import { nluRetrainProcessor, type DomainRetrain, type DomainUnchanged } from '../server/nlu-retrain.js';

/** Why the deployed bot would queue `text` for review, or null when it would answer it without doubt. */
export function reviewTrigger(
  nlu: Nlu,
  policy: DialogPolicy,
  canned: ReadonlySet<string>,
): (text: string) => Promise<ReviewReason | null> {
  return async (text) => {
    const analysis = await nlu.analyze(text, 'customer');
    const { action } = decide({
      state: initialState(),
      message: { text, attachments: [] },
      nlu: analysis,
      handoffOpen: false,
      policy,
      canned,
    });
    return reviewReason({ action, nlu: analysis, button: false, analysable: true }, policy);
  };
}

/** One retrain's outcome as the benchmark reports it. */
export interface RetrainRecord {
  version: number;
  swapped: boolean;
  /** Gate score of the candidate and of the version it challenged, on the same rows. */
  score: number | null;
  previousScore: number | null;
  validationRows: number;
  trainingExamples: number;
}

/** A DATA_DIR with its own customer model, its labelled examples and the real retrain job. */
export class LearningArm {
  readonly labelled: IntentExample[] = [];
  private readonly retrainJob: ReturnType<typeof nluRetrainProcessor>;

  private constructor(
    readonly dataDir: string,
    private readonly encoder: SentenceEncoder,
    seed: readonly IntentExample[],
    validation: readonly IntentExample[],
  ) {
    this.retrainJob = nluRetrainProcessor({
      dataDir,
      encoder,
      seedExamples: async () => [...seed],
      fixedValidation: async () => [...validation],
      reviewedExamples: async () => [...this.labelled],
      logger: { info: () => {} },
    });
  }

  /** An arm in a fresh temporary DATA_DIR, optionally starting from a copy of another arm's models. */
  static async create(
    name: string,
    encoder: SentenceEncoder,
    seed: readonly IntentExample[],
    validation: readonly IntentExample[],
    copyOf?: LearningArm,
  ): Promise<LearningArm> {
    const dataDir = await mkdtemp(join(tmpdir(), `bench-learning-${name}-`));
    if (copyOf) await cp(join(copyOf.dataDir, 'nlu'), join(dataDir, 'nlu'), { recursive: true });
    return new LearningArm(dataDir, encoder, seed, validation);
  }

  /** Runs the `nlu.retrain` job for the customer domain. */
  async retrain(reason: string): Promise<RetrainRecord> {
    const { domains } = await this.retrainJob({ reason, requestedBy: 'bench', domain: 'customer' });
    const r = domains[0] as DomainRetrain | DomainUnchanged;
    if ('unchanged' in r)
      return {
        version: r.activeVersion,
        swapped: false,
        score: null,
        previousScore: null,
        validationRows: 0,
        trainingExamples: 0,
      };
    return {
      version: r.version,
      swapped: r.swapped,
      score: r.score,
      previousScore: r.previousScore,
      validationRows: r.validationRows,
      trainingExamples: r.trainingExamples,
    };
  }

  /** The deployed model, loaded the way every server process loads it (the registry's active version). */
  async deployed(): Promise<{ version: number; model: IntentClassifier }> {
    const registry = new ModelRegistry({
      root: intentRegistryDir(this.dataDir, 'customer'),
      encoder: this.encoder,
    });
    await registry.start();
    const found = { version: registry.activeVersion!, model: registry.current() };
    await registry.stop();
    return found;
  }

  /** Deletes the arm's DATA_DIR. */
  async dispose(): Promise<void> {
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** Test-set figures of a model: refusals count as wrong for accuracy; top-1 ignores them. */
export async function testFigures(
  model: IntentClassifier,
  test: readonly IntentExample[],
  validation: readonly EvalRow[],
): Promise<{ accuracy: number; top1Accuracy: number; refusedShare: number; validationScore: number }> {
  const predictions = await model.processBatch(test.map((e) => e.text));
  let right = 0;
  let top1 = 0;
  let refused = 0;
  predictions.forEach((p, i) => {
    const gold = test[i]!.intent;
    if (p.outOfScope) refused++;
    else if (p.intent === gold) right++;
    if ((p.ranking[0]?.intent ?? p.intent) === gold) top1++;
  });
  return {
    accuracy: right / test.length,
    top1Accuracy: top1 / test.length,
    refusedShare: refused / test.length,
    validationScore: await validationAccuracy(model, validation),
  };
}

/** A seeded shuffle (mulberry32), so both arms and every run see the same stream. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
