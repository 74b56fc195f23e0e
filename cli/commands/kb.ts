import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  faqDocuments,
  KbError,
  KnowledgeBase,
  parseEvalQueries,
  parseFaq,
  rankQueries,
  summarise,
} from '../../kb/index.js';
import { createEncoder } from '../../nlu/index.js';
import { loadConfig } from '../../server/config.js';
import { CliError, printResult } from '../output.js';

async function readText(file: string): Promise<string> {
  return readFile(file, 'utf8').catch((error: unknown) => {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  });
}

const asCliError = (error: unknown): never => {
  if (error instanceof KbError) throw new CliError(error.message, { cause: error });
  throw error;
};

/** `mkt kb eval --faq FAQ.csv --queries QUERIES.csv [--json]`: the evaluation contract. */
function registerEval(kb: Command): void {
  kb.command('eval')
    .description('build an in-memory knowledge base from an FAQ file and score labelled queries against it')
    .requiredOption('--faq <file>', 'FAQ CSV with header id,question,answer (or JSON)')
    .requiredOption('--queries <file>', 'CSV with header query,id (the FAQ id that answers the query)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { faq: string; queries: string; json?: boolean }) => {
      const entries = await readText(opts.faq)
        .then((t) => parseFaq(t, opts.faq))
        .catch(asCliError);
      const queries = await readText(opts.queries)
        .then((t) => parseEvalQueries(t, opts.queries))
        .catch(asCliError);
      const ids = new Set(entries.map((e) => e.id));
      const unknown = queries.findIndex((q) => !ids.has(q.id));
      if (unknown >= 0)
        throw new CliError(
          `${opts.queries}: row ${unknown + 2}: id "${queries[unknown]!.id}" is not in ${opts.faq}`,
        );
      const encoder = await createEncoder(loadConfig().NLU_ENCODER);
      try {
        const kb = await KnowledgeBase.build(encoder, faqDocuments(entries, opts.faq));
        await encoder.warmUp?.();
        const labelled = queries.map((q) => ({ query: q.query, docId: `faq:${q.id}` }));
        const report = summarise(labelled, await rankQueries(kb, labelled));
        printResult(
          { ...report, documents: kb.documentCount, chunks: kb.chunkCount, encoder: encoder.id },
          opts.json,
          (r) =>
            [
              `${r.n} queries over ${r.documents} FAQ entries (${r.chunks} chunks, ${r.encoder})`,
              `hit@1 ${r.hitAt1.toFixed(3)}  hit@5 ${r.hitAt5.toFixed(3)}  MRR ${r.mrr.toFixed(3)}  NDCG@10 ${r.ndcgAt10.toFixed(3)}`,
              `gate: answered ${(100 * r.answeredRate).toFixed(1)} %, precision when answered ${r.precisionWhenAnswered.toFixed(3)}`,
              `latency p50 ${r.p50Ms.toFixed(1)} ms  p95 ${r.p95Ms.toFixed(1)} ms`,
            ].join('\n'),
        );
      } finally {
        await encoder.dispose();
      }
    });
}

/** `mkt kb ...`: the shop's knowledge base. */
export function register(program: Command): void {
  const kb = program
    .command('kb')
    .description('knowledge base: help-centre answers (import, list, remove, ask, eval)');
  registerEval(kb);
}
