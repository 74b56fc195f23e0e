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
import type { KbService } from '../../kb/index.js';
import { createEncoder } from '../../nlu/index.js';
import { loadConfig, withPlatform } from '../../server/index.js';
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
        const report = summarise(labelled, await rankQueries(kb, labelled, 'fused', { uncovered: true }));
        printResult(
          { ...report, documents: kb.documentCount, chunks: kb.chunkCount, encoder: encoder.id },
          opts.json,
          (r) =>
            [
              `${r.n} queries over ${r.documents} FAQ entries (${r.chunks} chunks, ${r.encoder})`,
              `hit@1 ${r.hitAt1.toFixed(3)}  hit@5 ${r.hitAt5.toFixed(3)}  MRR ${r.mrr.toFixed(3)}  NDCG@10 ${r.ndcgAt10.toFixed(3)}`,
              `gate: answered ${(100 * r.answeredRate).toFixed(1)} %, precision when answered ${r.precisionWhenAnswered.toFixed(3)}` +
                (r.refusedWhenUncovered === undefined
                  ? ''
                  : `, refused ${(100 * r.refusedWhenUncovered).toFixed(1)} % of the queries asked without their entry`),
              `latency p50 ${r.p50Ms.toFixed(1)} ms  p95 ${r.p95Ms.toFixed(1)} ms`,
            ].join('\n'),
        );
      } finally {
        await encoder.dispose();
      }
    });
}

/** Runs work with a KbService on the platform (and its encoder when asked for). */
async function withService<T>(needsEncoder: boolean, work: (service: KbService) => Promise<T>): Promise<T> {
  const instead = 'stop the server first (the knowledge base lives in its embedded database)';
  return withPlatform({ role: 'mkt kb', logLevel: 'warn', instead }, async (platform) => {
    // Commands that never rebuild the index (import, list, remove) need no model loaded.
    return work(await platform.kb({ embeds: needsEncoder })).catch(asCliError);
  });
}

function registerManagement(kb: Command): void {
  kb.command('import <pathOrUrl>')
    .description(
      'import Markdown, HTML, PDF or FAQ (CSV/JSON) files, a folder, or crawl a site (http/https URL); re-importing updates and removes',
    )
    .option('--max-pages <n>', 'crawl: most pages', '200')
    .option('--max-depth <n>', 'crawl: most links followed from the start page', '3')
    .option('--json', 'print the result as JSON')
    .action(async (target: string, opts: { maxPages: string; maxDepth: string; json?: boolean }) => {
      const maxPages = Number(opts.maxPages);
      const maxDepth = Number(opts.maxDepth);
      if (!Number.isInteger(maxPages) || maxPages < 1)
        throw new CliError('--max-pages must be a whole number >= 1');
      if (!Number.isInteger(maxDepth) || maxDepth < 0)
        throw new CliError('--max-depth must be a whole number >= 0');
      const report = await withService(false, (s) => s.import(target, { maxPages, maxDepth }));
      printResult(report, opts.json, (r) =>
        [
          `${r.origin}: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged, ${r.removed} removed (knowledge base version ${r.version})`,
          ...r.skipped.map((x) => `skipped ${x.source}: ${x.reason}`),
        ].join('\n'),
      );
      if (report.skipped.length > 0 && report.added + report.updated + report.unchanged === 0)
        process.exitCode = 1;
    });

  kb.command('list')
    .description('list the documents of the knowledge base')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const docs = await withService(false, (s) => s.list());
      const rows = docs.map((d) => ({
        id: d.id,
        kind: d.kind,
        title: d.title,
        source: d.source,
        origin: d.origin,
        version: d.version,
      }));
      printResult(rows, opts.json, (r) =>
        r.length === 0
          ? 'the knowledge base is empty'
          : r.map((d) => `${d.id}  [${d.kind}] ${d.title}  (v${d.version}, ${d.source})`).join('\n'),
      );
    });

  kb.command('remove <idOrOrigin>')
    .description('remove one document by id, or every document of an import (its path or URL)')
    .action(async (target: string) => {
      const removed = await withService(false, (s) => s.remove(target));
      if (removed === 0) throw new CliError(`no document or import "${target}" in the knowledge base`);
      process.stdout.write(`removed ${removed} document(s)\n`);
    });

  kb.command('ask <question>')
    .description('answer a question from the knowledge base, with its source')
    .option('--json', 'print the result as JSON')
    .action(async (question: string, opts: { json?: boolean }) => {
      const answer = await withService(true, (s) => s.ask(question, 'cli'));
      const view = answer.answered
        ? {
            answered: true,
            text: answer.text,
            source: answer.source,
            title: answer.title,
            confidence: answer.confidence,
          }
        : {
            answered: false,
            confidence: answer.confidence,
            nearest: answer.hits.slice(0, 3).map((h) => h.title),
          };
      printResult(view, opts.json, (v) =>
        v.answered
          ? `${v.text}\nSource: ${v.title} (${v.source})`
          : "I don't have that information (below the confidence gate).",
      );
    });

  kb.command('unanswered')
    .description('questions the assistant could not answer in the last days (most asked first)')
    .option('--days <n>', 'how far back', '7')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { days: string; json?: boolean }) => {
      const days = Number(opts.days);
      if (!(days > 0)) throw new CliError('--days must be a positive number');
      const rows = await withService(false, (s) => s.unanswered(days, 50));
      printResult(rows, opts.json, (r) =>
        r.length === 0 ? 'no unanswered questions' : r.map((q) => `${q.count}x  ${q.text}`).join('\n'),
      );
    });
}

/** `mkt kb ...`: the shop's knowledge base. */
export function register(program: Command): void {
  const kb = program
    .command('kb')
    .description('knowledge base: help-centre answers (import, list, remove, ask, unanswered, eval)');
  registerManagement(kb);
  registerEval(kb);
}
