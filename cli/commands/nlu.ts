import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import {
  createEncoder,
  evaluateIntentClassifier,
  IntentClassifier,
  ModelRegistry,
  NluError,
  readTrainingFile,
  withDiskCache,
  type IntentExample,
  type IntentTrainOptions,
  type SentenceEncoder,
} from '../../nlu/index.js';
import { loadConfig, servedIntentRegistry, type ServedIntentRegistry } from '../../server/index.js';
import { CliError, printResult, progressBar, type Progress } from '../output.js';

/** Default registry folder of intent models: `<DATA_DIR>/nlu/intent`. */
export function defaultIntentModelDir(): string {
  return join(loadConfig().dataDir, 'nlu', 'intent');
}

/** A row of an evaluation CSV (header `text,category`). */
export const ZIntentCsvRow = z.object({ text: z.string(), category: z.string().trim().min(1) });

/** Reads a `text,category` CSV into examples; errors name the file and row. */
export async function readIntentCsv(file: string): Promise<IntentExample[]> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch {
    throw new CliError(`cannot read ${file}`);
  }
  let rows: unknown[];
  try {
    rows = parseCsv(raw, { columns: true, skip_empty_lines: true, trim: false, bom: true }) as unknown[];
  } catch (error) {
    throw new CliError(`${file} is not valid CSV: ${(error as Error).message}`);
  }
  return rows.map((row, i) => {
    const parsed = ZIntentCsvRow.safeParse(row);
    if (!parsed.success)
      throw new CliError(
        `${file} row ${i + 2}: expected columns "text,category" (${parsed.error.issues[0]?.message})`,
      );
    return { text: parsed.data.text, intent: parsed.data.category };
  });
}

function asCliError(error: unknown): never {
  if (error instanceof NluError) throw new CliError(error.message, { cause: error });
  throw error;
}

/** Maps training stages onto one progress bar per stage. */
function stageProgress(bar: Progress): NonNullable<IntentTrainOptions['onProgress']> {
  let current = '';
  return (stage, done, total) => {
    if (stage !== current) {
      if (current) bar.stop();
      current = stage;
      bar.start(total, stage);
    }
    bar.update(done);
  };
}

/** Directory holding an artifact: DIR itself, or the active version when DIR is a registry root. */
async function resolveModelDir(dir: string): Promise<string> {
  if (existsSync(join(dir, 'manifest.json'))) return dir;
  if (existsSync(join(dir, 'current.json'))) {
    const pointer = JSON.parse(await readFile(join(dir, 'current.json'), 'utf8')) as { active?: number };
    return join(dir, `v${pointer.active}`);
  }
  throw new CliError(`no intent model in ${dir}; train one with \`mkt nlu train --data <intents.yml>\``);
}

const DOMAIN_OPTION = [
  '--domain <name>',
  'the model the server serves for customer or marketer messages (<DATA_DIR>/nlu/<domain>) instead of the standalone registry',
] as const;

/** The served registry named by --domain (customer | marketer), or undefined without the option. */
async function servedRegistry(opts: {
  domain?: string;
  model?: string;
  out?: string;
}): Promise<ServedIntentRegistry | undefined> {
  if (opts.domain === undefined) return undefined;
  if (opts.domain !== 'customer' && opts.domain !== 'marketer')
    throw new CliError(`--domain must be customer or marketer, got "${opts.domain}"`);
  if (opts.model || opts.out)
    throw new CliError('--domain picks the served model: leave out --model and --out');
  return servedIntentRegistry(loadConfig(), opts.domain);
}

async function withEncoder<T>(run: (encoder: SentenceEncoder) => Promise<T>): Promise<T> {
  const encoder = await createEncoder(loadConfig().NLU_ENCODER).catch(asCliError);
  try {
    return await run(encoder);
  } finally {
    await encoder.dispose();
  }
}

/** `mkt nlu train | predict | eval | rollback | versions`. */
export function register(program: Command): void {
  const nlu = program.command('nlu').description('intent classifier: train, predict, evaluate, roll back');

  nlu
    .command('train')
    .description(
      'train the intent classifier on a YAML/JSON file (Rasa-style `nlu:` blocks or `intents:`); with --domain, a new version of a served model on the shipped examples (plus --data)',
    )
    .option('--data <file>', 'training file (with --domain: examples added to the shipped ones)')
    .option(...DOMAIN_OPTION)
    .option(
      '--out <dir>',
      'write a single artifact folder here instead of a new version in <DATA_DIR>/nlu/intent',
    )
    .option('--force', 'activate the new version even if its validation score is worse')
    .option('--json', 'print one JSON document')
    .action(
      async (opts: { data?: string; domain?: string; out?: string; force?: boolean; json?: boolean }) => {
        const served = await servedRegistry(opts);
        if (!served && !opts.data)
          throw new CliError('--data <file> is required (or --domain to retrain a served model)');
        const extra = opts.data ? await readTrainingFile(opts.data).catch(asCliError) : [];
        // A served model is always trained on the shipped examples too, and tagged with their hash:
        // without the tag the server would replace it with a seed-only version at its next start.
        const examples = served ? [...(await served.seedExamples()), ...extra] : extra;
        const tags = served ? await served.seedTags() : undefined;
        const bar = progressBar(!opts.json && Boolean(process.stderr.isTTY));
        const trainOptions: IntentTrainOptions = { onProgress: stageProgress(bar) };
        const result = await withEncoder(async (encoder) => {
          if (opts.out) {
            const model = await IntentClassifier.train(examples, encoder, trainOptions);
            await model.persist(opts.out);
            return {
              dir: opts.out,
              version: null,
              swapped: true,
              reason: 'written to --out',
              metrics: model.metrics,
              threshold: model.threshold,
            };
          }
          const root = served?.root ?? defaultIntentModelDir();
          const registry = new ModelRegistry({ root, encoder, trainOptions: { ...trainOptions, tags } });
          await registry.start();
          const r = await registry.retrain(examples, { force: opts.force });
          if (served && r.swapped) await served.announce(r.version);
          const model = (await IntentClassifier.load(
            registry.versionDir(r.version),
            encoder,
          )) as IntentClassifier;
          await registry.stop();
          return {
            dir: registry.versionDir(r.version),
            ...r,
            metrics: model.metrics,
            threshold: model.threshold,
          };
        })
          .catch(asCliError)
          .finally(() => bar.stop());
        printResult(result, opts.json, (r) => {
          const m = r.metrics as { examples: number; intents: number; score: number; trainSeconds: number };
          return (
            `trained on ${m.examples} examples, ${m.intents} intents in ${m.trainSeconds.toFixed(1)} s → ${r.dir}\n` +
            `validation accuracy ${m.score.toFixed(4)}, out-of-scope threshold ${r.threshold.toFixed(4)}\n` +
            `${r.swapped ? 'active' : 'NOT activated'}: ${r.reason}`
          );
        });
      },
    );

  nlu
    .command('predict')
    .description('classify one message with the active intent model')
    .argument('<text>', 'message to classify')
    .option('--model <dir>', 'artifact folder or registry folder (default <DATA_DIR>/nlu/intent)')
    .option('--json', 'print one JSON document')
    .action(async (text: string, opts: { model?: string; json?: boolean }) => {
      const dir = await resolveModelDir(opts.model ?? defaultIntentModelDir());
      const prediction = await withEncoder(async (encoder) =>
        (await IntentClassifier.load(dir, encoder)).process(text),
      ).catch(asCliError);
      printResult(prediction, opts.json, (p) =>
        [
          p.outOfScope ? `out of scope (${p.reason})` : `${p.intent} (${p.confidence.toFixed(3)})`,
          ...p.ranking.map((r) => `  ${r.confidence.toFixed(3)}  ${r.intent}`),
        ].join('\n'),
      );
    });

  nlu
    .command('eval')
    .description(
      'train on one CSV and score another (header text,category); rows labelled --oos-label are out of scope',
    )
    .requiredOption('--train <file>', 'training CSV')
    .requiredOption('--test <file>', 'test CSV')
    .option('--val <file>', 'validation CSV (with out-of-scope rows) to choose the out-of-scope threshold on')
    .option('--oos-label <label>', 'category that marks out-of-scope rows', 'oos')
    .option(
      '--embedding-cache <file>',
      'keep training embeddings in this file between runs (latency is still measured uncached)',
    )
    .option('--json', 'print one JSON document')
    .action(
      async (opts: {
        train: string;
        test: string;
        val?: string;
        oosLabel: string;
        embeddingCache?: string;
        json?: boolean;
      }) => {
        const [train, test, val] = await Promise.all([
          readIntentCsv(opts.train),
          readIntentCsv(opts.test),
          opts.val ? readIntentCsv(opts.val) : undefined,
        ]);
        const bar = progressBar(!opts.json && Boolean(process.stderr.isTTY));
        const report = await withEncoder(async (encoder) => {
          const cached = opts.embeddingCache ? await withDiskCache(encoder, opts.embeddingCache) : undefined;
          const { result } = await evaluateIntentClassifier({
            encoder,
            trainEncoder: cached,
            train,
            test,
            val,
            oosLabel: opts.oosLabel,
            trainOptions: { onProgress: stageProgress(bar) },
            onTestProgress: (done, total) => {
              if (done <= 20) bar.start(total, 'testing');
              bar.update(done);
            },
          });
          await cached?.flush();
          return result;
        })
          .catch(asCliError)
          .finally(() => bar.stop());
        printResult(report, opts.json, (r) =>
          Object.entries(r)
            .filter(([, v]) => typeof v !== 'object')
            .map(
              ([k, v]) =>
                `${k.padEnd(16)} ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : v}`,
            )
            .join('\n'),
        );
      },
    );

  nlu
    .command('rollback')
    .description('re-activate the previous intent model version')
    .option('--model <dir>', 'registry folder (default <DATA_DIR>/nlu/intent)')
    .option(...DOMAIN_OPTION)
    .option('--json', 'print one JSON document')
    .action(async (opts: { model?: string; domain?: string; json?: boolean }) => {
      const served = await servedRegistry(opts);
      const result = await withEncoder(async (encoder) => {
        const root = served?.root ?? opts.model ?? defaultIntentModelDir();
        const registry = new ModelRegistry({ root, encoder });
        await registry.start();
        const rolled = await registry.rollback();
        await served?.announce(rolled.to);
        return rolled;
      }).catch(asCliError);
      printResult(result, opts.json, (r) => `rolled back from v${r.from} to v${r.to}`);
    });

  nlu
    .command('versions')
    .description('list intent model versions with their validation score')
    .option('--model <dir>', 'registry folder (default <DATA_DIR>/nlu/intent)')
    .option(...DOMAIN_OPTION)
    .option('--json', 'print one JSON document')
    .action(async (opts: { model?: string; domain?: string; json?: boolean }) => {
      const served = await servedRegistry(opts);
      const root = served?.root ?? opts.model ?? defaultIntentModelDir();
      const result = await withEncoder(async (encoder) => new ModelRegistry({ root, encoder }).list()).catch(
        asCliError,
      );
      printResult(result, opts.json, (rows) =>
        rows.length
          ? rows
              .map(
                (r) =>
                  `${r.active ? '*' : ' '} v${r.version}  score ${r.score?.toFixed(4) ?? '?'}  ${r.createdAt ?? ''}`,
              )
              .join('\n')
          : 'no versions',
      );
    });
}
