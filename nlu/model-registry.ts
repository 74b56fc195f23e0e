// Versioned intent models on the file system:
//   <root>/v1/, <root>/v2/, ...   artifact folders (see intent/artifact.ts)
//   <root>/current.json           { active, history } — the pointer, replaced atomically
// A retrain writes a new version and swaps it in only when its validation score is not worse
// than the active one's; the versions it replaced stay on disk for `rollback`. With a validation
// set (fixed rows plus reviewed examples), both models are scored on exactly those rows; without
// one, each model's own calibration score is compared.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { withFolderLock, writeFileAtomic } from '../files/index.js';
import type { SentenceEncoder } from './encoder.js';
import { NluError, NluModelCorruptError } from './errors.js';
import type { EvalRow } from './intent/evaluation.js';
import { IntentClassifier, type IntentTrainOptions } from './intent/intent-classifier.js';
import type { IntentExample } from './intent/training-data.js';

/** current.json: the active version and the order versions were activated in. */
export const ZRegistryPointer = z.object({
  active: z.number().int().positive(),
  /** Activated versions, oldest first; the last one is `active`. */
  history: z.array(z.number().int().positive()),
});
export type RegistryPointer = z.infer<typeof ZRegistryPointer>;

/** Outcome of a retrain. */
export interface RetrainResult {
  version: number;
  swapped: boolean;
  score: number;
  previousVersion: number | null;
  previousScore: number | null;
  /** What the scores were measured on. */
  scoredOn: 'validation set' | 'calibration rows';
  /** Rows of the validation set (0 without one). */
  validationRows: number;
  reason: string;
}

/** Options of one retrain. */
export interface RetrainOptions {
  /** Swap in even when worse. */
  force?: boolean;
  trainOptions?: IntentTrainOptions;
  /**
   * Rows both the candidate and the active model are scored on (a right intent, or a refusal for
   * out-of-scope rows, counts as right); the candidate is swapped in only when not worse here.
   */
  validation?: readonly EvalRow[];
}

/** Share of `rows` a model answers right: the labelled intent, or a refusal for out-of-scope rows. */
export async function validationAccuracy(model: IntentClassifier, rows: readonly EvalRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const predictions = await model.processBatch(rows.map((r) => r.text));
  const right = predictions.filter((p, i) =>
    rows[i]!.outOfScope ? p.outOfScope : !p.outOfScope && p.intent === rows[i]!.intent,
  ).length;
  return right / rows.length;
}

/** Options of the registry. */
export interface ModelRegistryOptions {
  root: string;
  encoder: SentenceEncoder;
  trainOptions?: IntentTrainOptions;
  /** A candidate may score this much below the active model and still be swapped in (default 0: not worse). */
  tolerance?: number;
  /** Versions kept on disk (oldest inactive ones are deleted beyond this; default 5). */
  keep?: number;
}

/** Versioned intent models in a folder, with background retraining, guarded swaps and rollback. */
export class ModelRegistry {
  private active: { version: number; model: IntentClassifier } | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ModelRegistryOptions) {}

  /** Loads the active version if there is one. */
  async start(): Promise<void> {
    await mkdir(this.options.root, { recursive: true });
    await this.refresh();
  }

  /** Drops the loaded model (the encoder belongs to the caller). */
  async stop(): Promise<void> {
    await this.queue.catch(() => {});
    this.active = undefined;
  }

  /** Re-reads current.json and reloads when another process (e.g. `mkt nlu rollback`) changed it. */
  async refresh(): Promise<number | null> {
    const pointer = await this.readPointer();
    if (!pointer) {
      this.active = undefined;
      return null;
    }
    if (this.active?.version !== pointer.active) {
      this.active = {
        version: pointer.active,
        model: await IntentClassifier.load(this.versionDir(pointer.active), this.options.encoder),
      };
    }
    return pointer.active;
  }

  /** The active model; throws NLU_NO_VERSION before the first training. */
  current(): IntentClassifier {
    if (!this.active)
      throw new NluError(
        'NLU_NO_VERSION',
        `no intent model in ${this.options.root} yet; train one with \`mkt nlu train --data <intents.yml>\``,
      );
    return this.active.model;
  }

  /** Active version number, or null. */
  get activeVersion(): number | null {
    return this.active?.version ?? null;
  }

  /**
   * Trains a new version on `examples` (the full current training set, e.g. seed data plus
   * reviewed corrections) and swaps it in if its validation score is not worse. Calls are
   * serialised, so a job can call this whenever new examples arrive. `force` swaps regardless.
   */
  retrain(examples: readonly IntentExample[], opts: RetrainOptions = {}): Promise<RetrainResult> {
    const run = this.queue.then(() => this.retrainNow(examples, opts));
    this.queue = run.catch(() => {});
    return run;
  }

  /** Re-activates the version that was active before the current one. */
  async rollback(): Promise<{ from: number; to: number }> {
    return this.serialised(() =>
      withFolderLock(this.options.root, async () => {
        const pointer = await this.readPointer();
        if (!pointer || pointer.history.length < 2)
          throw new NluError(
            'NLU_NO_VERSION',
            `no previous intent model version to roll back to in ${this.options.root}`,
          );
        const from = pointer.active;
        const history = pointer.history.slice(0, -1);
        const to = history[history.length - 1]!;
        const model = await IntentClassifier.load(this.versionDir(to), this.options.encoder);
        await this.writePointer({ active: to, history });
        this.active = { version: to, model };
        return { from, to };
      }),
    );
  }

  /** Versions on disk with their validation score, newest first. */
  async list(): Promise<
    Array<{ version: number; active: boolean; score: number | null; createdAt: string | null }>
  > {
    const pointer = await this.readPointer();
    const out = [];
    for (const version of (await this.versions()).reverse()) {
      let score: number | null = null;
      let createdAt: string | null = null;
      try {
        const manifest = JSON.parse(
          await readFile(join(this.versionDir(version), 'manifest.json'), 'utf8'),
        ) as { createdAt?: string; metrics?: { score?: number } };
        score = manifest.metrics?.score ?? null;
        createdAt = manifest.createdAt ?? null;
      } catch {
        // unreadable version: listed without figures
      }
      out.push({ version, active: pointer?.active === version, score, createdAt });
    }
    return out;
  }

  /** Folder of a version. */
  versionDir(version: number): string {
    return join(this.options.root, `v${version}`);
  }

  private async retrainNow(examples: readonly IntentExample[], opts: RetrainOptions): Promise<RetrainResult> {
    const candidate = await IntentClassifier.train(examples, this.options.encoder, {
      ...this.options.trainOptions,
      ...opts.trainOptions,
    });
    // Another process sharing DATA_DIR (the worker, `mkt nlu retrain`) may save a version at the
    // same time: numbering, saving and swapping happen under the registry folder's lock.
    return withFolderLock(this.options.root, () => this.saveAndSwap(candidate, opts));
  }

  private async saveAndSwap(candidate: IntentClassifier, opts: RetrainOptions): Promise<RetrainResult> {
    const versions = await this.versions();
    const version = (versions[versions.length - 1] ?? 0) + 1;
    await candidate.persist(this.versionDir(version));
    const rows = opts.validation ?? [];
    const scoreOf = async (model: IntentClassifier) =>
      rows.length > 0 ? validationAccuracy(model, rows) : (model.metrics.score as number);
    const score = await scoreOf(candidate);
    const pointer = await this.readPointer();
    const previousVersion = pointer?.active ?? null;
    let previousScore: number | null = null;
    if (this.active && this.active.version === previousVersion)
      previousScore = await scoreOf(this.active.model);
    else if (previousVersion !== null)
      previousScore = await scoreOf(
        await IntentClassifier.load(this.versionDir(previousVersion), this.options.encoder),
      );
    const tolerance = this.options.tolerance ?? 0;
    const better = previousScore === null || score >= previousScore - tolerance;
    const swapped = better || Boolean(opts.force);
    if (swapped) {
      await this.writePointer({ active: version, history: [...(pointer?.history ?? []), version] });
      this.active = { version, model: candidate };
    }
    await this.prune();
    const reason =
      previousScore === null
        ? 'first version'
        : better
          ? `validation score ${score.toFixed(4)} is not worse than v${previousVersion}'s ${previousScore.toFixed(4)}`
          : `validation score ${score.toFixed(4)} is worse than v${previousVersion}'s ${previousScore.toFixed(4)}${opts.force ? '; swapped anyway (forced)' : '; kept the active version'}`;
    return {
      version,
      swapped,
      score,
      previousVersion,
      previousScore,
      scoredOn: rows.length > 0 ? 'validation set' : 'calibration rows',
      validationRows: rows.length,
      reason,
    };
  }

  private serialised<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => {});
    return run;
  }

  private async versions(): Promise<number[]> {
    const names = await readdir(this.options.root).catch(() => [] as string[]);
    return names.flatMap((n) => (/^v\d+$/.test(n) ? [Number(n.slice(1))] : [])).sort((a, b) => a - b);
  }

  /** Deletes the oldest versions beyond `keep`, never the active one or one still in the rollback history. */
  private async prune(): Promise<void> {
    const keep = this.options.keep ?? 5;
    const pointer = await this.readPointer();
    const protectedVersions = new Set(pointer ? pointer.history.slice(-keep) : []);
    const versions = await this.versions();
    for (const version of versions.slice(0, Math.max(0, versions.length - keep))) {
      if (!protectedVersions.has(version))
        await rm(this.versionDir(version), { recursive: true, force: true });
    }
  }

  private async readPointer(): Promise<RegistryPointer | null> {
    const file = join(this.options.root, 'current.json');
    let raw: string;
    try {
      raw = await readFile(file, 'utf8');
    } catch {
      return null;
    }
    try {
      return ZRegistryPointer.parse(JSON.parse(raw));
    } catch (error) {
      throw new NluModelCorruptError(
        file,
        'not a valid version pointer',
        'Fix or delete it, then run `mkt nlu train --data <intents.yml>`.',
        { cause: error },
      );
    }
  }

  private async writePointer(pointer: RegistryPointer): Promise<void> {
    const file = join(this.options.root, 'current.json');
    await writeFileAtomic(file, `${JSON.stringify(pointer, null, 2)}\n`);
  }
}
