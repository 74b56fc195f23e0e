import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { KbImportError } from './errors.js';
import type { KbDocument } from './types.js';

/** One FAQ entry as imported (CSV row or JSON item). */
export const ZFaqEntry = z.object({
  id: z.string().trim().min(1, 'empty id').max(200),
  question: z.string().trim().min(1, 'empty question').max(2000),
  answer: z.string().trim().min(1, 'empty answer').max(20_000),
  /** JSON only: other phrasings of the question. */
  questions: z.array(z.string().trim().min(1).max(2000)).max(50).optional(),
});
/** One FAQ entry. */
export type FaqEntry = z.infer<typeof ZFaqEntry>;

/** An evaluation query: a user question and the id of the FAQ entry that answers it. */
export const ZEvalQuery = z.object({
  query: z.string().trim().min(1, 'empty query').max(2000),
  id: z.string().trim().min(1, 'empty id'),
});
/** An evaluation query. */
export type EvalQuery = z.infer<typeof ZEvalQuery>;

function readCsv(text: string, source: string, columns: readonly string[]): Record<string, string>[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, bom: true, trim: true }) as Record<
      string,
      string
    >[];
  } catch (error) {
    throw new KbImportError(source, `not a valid CSV file (${(error as Error).message})`, { cause: error });
  }
  const header = rows.length > 0 ? Object.keys(rows[0]!) : [];
  const missing = columns.filter((c) => !header.includes(c));
  if (rows.length === 0) throw new KbImportError(source, `no rows (expected header ${columns.join(',')})`);
  if (missing.length > 0)
    throw new KbImportError(
      source,
      `missing column(s) ${missing.join(', ')} (expected header ${columns.join(',')})`,
    );
  return rows;
}

function validated<T>(rows: unknown[], schema: z.ZodType<T>, source: string, firstLine: number): T[] {
  return rows.map((row, i) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success)
      throw new KbImportError(
        source,
        `row ${i + firstLine}: ${parsed.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`,
      );
    return parsed.data;
  });
}

/** Parses an FAQ file: CSV with header `id,question,answer`, or JSON (an array or `{ entries: [...] }`). */
export function parseFaq(text: string, source: string): FaqEntry[] {
  const trimmed = text.trimStart();
  let entries: FaqEntry[];
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (error) {
      throw new KbImportError(source, `not valid JSON (${(error as Error).message})`, { cause: error });
    }
    const items = Array.isArray(json) ? json : (json as { entries?: unknown }).entries;
    if (!Array.isArray(items))
      throw new KbImportError(source, 'expected a JSON array of {id, question, answer}');
    entries = validated(items, ZFaqEntry, source, 0);
  } else entries = validated(readCsv(text, source, ['id', 'question', 'answer']), ZFaqEntry, source, 2);
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const e of entries) (seen.has(e.id) ? duplicates : seen).add(e.id);
  if (duplicates.size > 0)
    throw new KbImportError(source, `duplicate id(s): ${[...duplicates].slice(0, 10).join(', ')}`);
  return entries;
}

/** Parses an evaluation query file: CSV with header `query,id`. */
export function parseEvalQueries(text: string, source: string): EvalQuery[] {
  return validated(readCsv(text, source, ['query', 'id']), ZEvalQuery, source, 2);
}

/** FAQ entries as knowledge-base documents (the question is the title). */
export function faqDocuments(entries: readonly FaqEntry[], source: string): KbDocument[] {
  return entries.map((e) => ({
    id: `faq:${e.id}`,
    kind: 'faq',
    title: e.question,
    source,
    question: e.question,
    ...(e.questions ? { altQuestions: e.questions } : {}),
    body: e.answer,
  }));
}
