// `npm run bench -- kb [--quick]`: the knowledge base (BM25 + two HNSW channels fused) against
// BM25 alone and the vector index alone, in one run, on StackFAQ (125 FAQ threads, 1,249
// paraphrased queries), then answer latency on a 10,000-chunk knowledge base (StackFAQ plus
// BANKING77 sentences as filler FAQ entries). Reads ../shared/data (benchmarks may; the product
// may not). Progress goes to stderr; the JSON result to stdout.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { KnowledgeBase, rankQueries, summarise, type KbDocument, type LabelledQuery } from '../kb/index.js';
import { createUseLiteEncoder, withDiskCache } from '../nlu/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = join(repoRoot, '..', 'shared', 'data');
const CACHE = join(repoRoot, 'bench', '.cache', 'kb-use-lite.bin');
const log = (message: string) => process.stderr.write(`[bench kb] ${message}\n`);
const round = (v: number) => Number(v.toFixed(4));

const ZStackFaq = z.object({
  root: z.object({
    qapair: z.array(
      z.object({
        question: z.string(),
        answer: z.union([z.string(), z.array(z.string().nullable())]),
        rephr: z.array(z.string().nullable()),
      }),
    ),
  }),
});

/** StackFAQ as FAQ documents (answers as paragraphs) and labelled queries ("*" placeholders skipped). */
export function readStackFaq(): { docs: KbDocument[]; queries: LabelledQuery[] } {
  const { qapair } = ZStackFaq.parse(
    JSON.parse(readFileSync(join(DATA, 'faq', 'stackfaq.json'), 'utf8')),
  ).root;
  const docs: KbDocument[] = [];
  const queries: LabelledQuery[] = [];
  qapair.forEach((thread, i) => {
    const answers = (Array.isArray(thread.answer) ? thread.answer : [thread.answer]).filter(
      (a): a is string => typeof a === 'string' && a.trim() !== '',
    );
    const id = `faq:${i + 1}`;
    docs.push({
      id,
      kind: 'faq',
      title: thread.question,
      source: 'stackfaq',
      question: thread.question,
      body: answers.join('\n\n'),
    });
    for (const q of thread.rephr)
      if (q && q.trim() && q.trim() !== '*') queries.push({ query: q.trim(), docId: id });
  });
  return { docs, queries };
}

function fillerDocs(count: number): KbDocument[] {
  const rows = parse(readFileSync(join(DATA, 'intents', 'banking77-train.csv'), 'utf8'), {
    columns: true,
  }) as Array<{ text: string }>;
  const texts = rows.map((r) => r.text);
  return Array.from({ length: count }, (_, i) => ({
    id: `filler:${i}`,
    kind: 'faq' as const,
    title: texts[i % texts.length]!,
    source: 'banking77',
    question: texts[i % texts.length]!,
    body: `${texts[(i + 1) % texts.length]} ${texts[(i + 2) % texts.length]}`,
  }));
}

export default async function run(args: string[]): Promise<unknown> {
  const quick = args.includes('--quick');
  const encoder = await createUseLiteEncoder();
  const cached = await withDiskCache(encoder, CACHE);
  const { docs, queries } = readStackFaq();
  log(`StackFAQ: ${docs.length} threads, ${queries.length} queries`);
  const kb = await KnowledgeBase.build(encoder, docs, { documentEncoder: cached });
  await cached.flush();
  await encoder.warmUp?.();
  const methods = {} as Record<string, ReturnType<typeof summarise>>;
  let marginGate: ReturnType<typeof summarise> | undefined;
  for (const channels of ['fused', 'lexical', 'vector'] as const) {
    log(`ranking with ${channels}`);
    const outcomes = await rankQueries(kb, queries, channels, { uncovered: true });
    methods[channels === 'fused' ? 'knowledgeBase' : channels === 'lexical' ? 'bm25Only' : 'vectorOnly'] =
      summarise(queries, outcomes);
    if (channels === 'fused') marginGate = summarise(queries, outcomes, undefined, 'margin');
  }
  const round4 = (r: ReturnType<typeof summarise>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v]));
  const result: Record<string, unknown> = {
    dataset: { name: 'StackFAQ', threads: docs.length, queries: queries.length, chunks: kb.chunkCount },
    methods: Object.fromEntries(Object.entries(methods).map(([k, v]) => [k, round4(v)])),
  };
  const kbFigures = methods.knowledgeBase!;
  if (!marginGate) throw new Error('the fused ranking was not measured');
  if (!quick) {
    const target = 10_000;
    const filler = fillerDocs(Math.max(0, target - kb.chunkCount));
    log(`building a ${target}-chunk knowledge base (${filler.length} filler entries)`);
    const big = await KnowledgeBase.build(encoder, [...docs, ...filler], { documentEncoder: cached });
    await cached.flush();
    // Queries through an encoder without its text cache: the latency includes embedding the query.
    const queryEncoder = await createUseLiteEncoder({ cacheSize: 0 });
    await queryEncoder.warmUp?.();
    const timed = await KnowledgeBase.build(queryEncoder, [...docs, ...filler], { documentEncoder: cached });
    const outcomes = await rankQueries(timed, queries, 'fused', { uncovered: true });
    const report = summarise(queries, outcomes);
    result.scale = { chunks: big.chunkCount, ...round4(report) };
    await queryEncoder.dispose();
  }
  result.targets = {
    ndcgAt10: { target: 0.85, value: round(kbFigures.ndcgAt10), met: kbFigures.ndcgAt10 >= 0.85 },
    hitAt1AboveBaselines: {
      value: round(kbFigures.hitAt1),
      bm25: round(methods.bm25Only!.hitAt1),
      vector: round(methods.vectorOnly!.hitAt1),
      met: kbFigures.hitAt1 > methods.bm25Only!.hitAt1 && kbFigures.hitAt1 > methods.vectorOnly!.hitAt1,
    },
    // The gate as shipped: calibrated on answerable queries (precision of its answers) and on
    // uncovered ones (each asked without its thread, which it must refuse), its confidence learned
    // on those rows. Met: the precision and answered share, with at least 90 % of the
    // uncovered queries refused. Beside it, the same gate calibrated on the answerable queries
    // alone, and the margin as the confidence (the signal before the learned one), measured on the
    // same rankings.
    gate: {
      precision: round(kbFigures.precisionWhenAnswered),
      answered: round(kbFigures.answeredRate),
      refusedWhenUncovered: round(kbFigures.refusedWhenUncovered!),
      met:
        kbFigures.precisionWhenAnswered >= 0.9 &&
        kbFigures.answeredRate >= 0.7 &&
        kbFigures.refusedWhenUncovered! >= 0.9,
      answerableOnly: {
        precision: round(kbFigures.answerableOnly!.precisionWhenAnswered),
        answered: round(kbFigures.answerableOnly!.answeredRate),
      },
      marginOnly: {
        precision: round(marginGate.precisionWhenAnswered),
        answered: round(marginGate.answeredRate),
        refusedWhenUncovered: round(marginGate.refusedWhenUncovered!),
      },
    },
    ...(result.scale
      ? {
          p95MsAt10kChunks: {
            target: 30,
            value: (result.scale as { p95Ms: number }).p95Ms,
            met: (result.scale as { p95Ms: number }).p95Ms <= 30,
          },
        }
      : {}),
  };
  result.machine = { cpus: cpus().length, load1: round(loadavg()[0]!) };
  await encoder.dispose();
  return result;
}
