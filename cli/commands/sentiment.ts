import { join } from 'node:path';
import type { Command } from 'commander';
import {
  binaryMetrics,
  createEncoder,
  createSentimentAnalyzer,
  loadShippedSentimentData,
  NluError,
  persistSentimentHead,
  readLabelledSentences,
  SHIPPED_SENTIMENT_MODEL_DIR,
  trainSentimentHead,
  type SentenceEncoder,
  type SentimentAnalyzer,
} from '../../nlu/index.js';
import { loadConfig } from '../../server/index.js';
import { CliError, printResult, progressBar } from '../output.js';

/** The analyzer the product uses: NLU_SENTIMENT_MODEL if set, else the shipped head on NLU_ENCODER. */
async function productAnalyzer(): Promise<{ analyzer: SentimentAnalyzer; encoder: SentenceEncoder | null }> {
  const config = loadConfig();
  if (config.NLU_SENTIMENT_MODEL) {
    return {
      analyzer: await createSentimentAnalyzer({ onnxModel: config.NLU_SENTIMENT_MODEL }),
      encoder: null,
    };
  }
  const encoder = await createEncoder(config.NLU_ENCODER);
  const analyzer = await createSentimentAnalyzer({
    encoder,
    cacheDir: join(config.dataDir, 'nlu', 'sentiment'),
  });
  return { analyzer, encoder };
}

async function withAnalyzer<T>(run: (analyzer: SentimentAnalyzer) => Promise<T>): Promise<T> {
  const { analyzer, encoder } = await productAnalyzer();
  try {
    return await run(analyzer);
  } finally {
    await analyzer.dispose();
    await encoder?.dispose();
  }
}

function asCliError(error: unknown): never {
  if (error instanceof NluError) throw new CliError(error.message, { cause: error });
  throw error;
}

/** `mkt sentiment eval | predict | train`. */
export function register(program: Command): void {
  const sentiment = program
    .command('sentiment')
    .description('sentiment: evaluate, predict, retrain the shipped head');

  sentiment
    .command('eval')
    .description(
      'score the shipped sentiment model on a file of "sentence<TAB>0|1" lines (first unlabelled line skipped)',
    )
    .requiredOption('--test <file>', 'labelled sentences, 1 = positive, 0 = negative')
    .option('--json', 'print one JSON document')
    .action(async (opts: { test: string; json?: boolean }) => {
      const rows = await readLabelledSentences(opts.test).catch(asCliError);
      const result = await withAnalyzer(async (analyzer) => {
        const scored = await analyzer.analyze(rows.map((r) => r.text));
        const metrics = binaryMetrics(
          rows.map((r) => r.label),
          scored.map((s) => (s.positiveProbability >= 0.5 ? 1 : 0)),
        );
        // The shipped head was trained on the shipped UCI sentences: say how many test rows it has seen.
        const training = new Set((await loadShippedSentimentData()).map((r) => r.text.trim()));
        const seenInTraining = analyzer.id.startsWith('head:')
          ? rows.filter((r) => training.has(r.text.trim())).length
          : 0;
        return { ...metrics, model: analyzer.id, seenInTraining };
      }).catch(asCliError);
      printResult(
        result,
        opts.json,
        (r) =>
          `accuracy ${r.accuracy}  macro-F1 ${r.macroF1}  n ${r.n}  (model ${r.model}` +
          `${r.seenInTraining ? `, ${r.seenInTraining} test sentences were in its training data` : ''})`,
      );
    });

  sentiment
    .command('predict')
    .description('sentiment of one or more texts with the shipped model')
    .argument('<texts...>', 'texts to score')
    .option('--json', 'print one JSON document')
    .action(async (texts: string[], opts: { json?: boolean }) => {
      const results = await withAnalyzer((analyzer) => analyzer.analyze(texts)).catch(asCliError);
      const rows = texts.map((text, i) => ({ text, ...results[i]! }));
      printResult(rows, opts.json, (list) =>
        list.map((r) => `${r.label.padEnd(8)} ${r.score.toFixed(3).padStart(6)}  ${r.text}`).join('\n'),
      );
    });

  sentiment
    .command('train')
    .description(
      'train a sentiment head on labelled sentences (default: the shipped UCI files) and write its artifact',
    )
    .option('--data <files...>', 'labelled-sentence files (default: nlu/data/sentiment/*.txt)')
    .option('--out <dir>', 'artifact folder', SHIPPED_SENTIMENT_MODEL_DIR)
    .option(
      '--encoder <spec>',
      'sentence encoder: use-lite, onnx:<folder>, or none (lexical only)',
      'use-lite',
    )
    .option('--json', 'print the manifest as JSON')
    .action(async (opts: { data?: string[]; out: string; encoder: string; json?: boolean }) => {
      const rows = opts.data
        ? (await Promise.all(opts.data.map((f) => readLabelledSentences(f)))).flat()
        : await loadShippedSentimentData();
      const encoder = opts.encoder === 'none' ? null : await createEncoder(opts.encoder).catch(asCliError);
      const bar = progressBar(!opts.json && Boolean(process.stderr.isTTY));
      try {
        bar.start(10, 'training');
        const head = await trainSentimentHead(rows, {
          encoder,
          l2: 'auto',
          onProgress: (done) => bar.update(done),
        });
        bar.update(10);
        bar.stop();
        const manifest = await persistSentimentHead(head, opts.out);
        printResult(
          manifest,
          opts.json,
          (m) =>
            `wrote ${opts.out}: ${m.params.trainingSize} sentences, encoder ${m.encoder?.id ?? 'none'}, ` +
            `λ ${m.params.training.l2}, features ${JSON.stringify(m.params.training.features)}, ` +
            (m.metrics.lodoAccuracy !== undefined
              ? `leave-one-domain-out accuracy ${m.metrics.lodoAccuracy}`
              : `cross-validated accuracy ${m.metrics.cvAccuracy}`),
        );
      } finally {
        await encoder?.dispose();
      }
    });
}
