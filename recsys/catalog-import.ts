import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse';
import { RecsysError } from './errors.js';
import { canonicalField, ZProductRow, type ProductRow } from './catalog-schema.js';
import { streamJsonArray } from './json-array-stream.js';
import type { ProgressReporter } from './types.js';

/** One rejected row: where, which field, why. */
export interface RowError {
  line: number;
  field: string;
  reason: string;
  sku?: string;
}

/** Outcome of an import. */
export interface ImportReport {
  file: string;
  rows: number;
  imported: number;
  rejected: number;
  /** Row errors, at most `maxErrors` of them (the counts above are complete). */
  errors: RowError[];
}

/** Where validated rows go; each call must be atomic (all rows land or none). */
export interface CatalogSink {
  upsertProducts(rows: readonly ProductRow[]): Promise<void>;
}

/** Options of an import. */
export interface ImportOptions {
  /** Rows per transaction; bounds memory together with the stream's buffer. */
  batchSize?: number;
  maxErrors?: number;
  progress?: ProgressReporter;
}

/** A raw record from a file with the line it starts on, or a parse failure of that line. */
type RawRecord = { line: number; record: Record<string, unknown> } | { line: number; error: string };

/**
 * Streams a catalog file (.csv, .json array, .jsonl/.ndjson), validates each row with
 * ZProductRow and upserts good rows in batches; bad rows are reported and skipped.
 */
export async function importCatalog(
  file: string,
  sink: CatalogSink,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const size = await stat(file)
    .then((s) => s.size)
    .catch((error: unknown) => {
      throw new RecsysError('RECSYS_IMPORT_FILE', `cannot read catalog file ${file}`, { cause: error });
    });
  const kind = fileKind(file);
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const maxErrors = options.maxErrors ?? 1000;
  const report: ImportReport = { file, rows: 0, imported: 0, rejected: 0, errors: [] };
  const reject = (e: RowError) => {
    if (report.errors.length < maxErrors) report.errors.push(e);
  };
  let bytes = 0;
  const stream = createReadStream(file, { highWaterMark: 64 * 1024 });
  stream.on('data', (chunk) => {
    bytes += chunk.length;
    options.progress?.update(bytes);
  });
  options.progress?.start(size, 'importing catalog');

  let batch: Array<{ line: number; row: ProductRow }> = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    try {
      await sink.upsertProducts(current.map((b) => b.row));
      report.imported += current.length;
    } catch {
      // The batch rolled back as a whole; retry row by row to land the good ones and name the bad.
      for (const { line, row } of current) {
        try {
          await sink.upsertProducts([row]);
          report.imported++;
        } catch (error) {
          report.rejected++;
          reject({
            line,
            field: '(database)',
            reason: error instanceof Error ? error.message.split('\n')[0]! : String(error),
            sku: row.sku,
          });
        }
      }
    }
  };

  try {
    for await (const raw of readRecords(kind, stream)) {
      report.rows++;
      if ('error' in raw) {
        report.rejected++;
        reject({ line: raw.line, field: '(row)', reason: raw.error });
        continue;
      }
      const parsed = ZProductRow.safeParse(raw.record);
      if (!parsed.success) {
        report.rejected++;
        const sku = typeof raw.record.sku === 'string' ? raw.record.sku : undefined;
        for (const issue of parsed.error.issues) {
          reject({
            line: raw.line,
            field: issue.path.join('.') || '(row)',
            reason: issue.message,
            ...(sku ? { sku } : {}),
          });
        }
        continue;
      }
      batch.push({ line: raw.line, row: parsed.data });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  } finally {
    stream.destroy();
    options.progress?.stop();
  }
  return report;
}

function fileKind(file: string): 'csv' | 'json' | 'jsonl' {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.json') return 'json';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw new RecsysError(
    'RECSYS_IMPORT_FILE',
    `unsupported catalog file "${file}": use .csv, .json (an array of products) or .jsonl`,
  );
}

async function* readRecords(
  kind: 'csv' | 'json' | 'jsonl',
  stream: NodeJS.ReadableStream,
): AsyncGenerator<RawRecord> {
  if (kind === 'csv') {
    yield* readCsv(stream);
    return;
  }
  for await (const raw of kind === 'json' ? streamJsonArray(stream) : readJsonLines(stream)) {
    yield 'record' in raw ? { line: raw.line, record: canonicalKeys(raw.record) } : raw;
  }
}

function canonicalKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [canonicalField(k), v]));
}

async function* readCsv(stream: NodeJS.ReadableStream): AsyncGenerator<RawRecord> {
  const skipped: RawRecord[] = [];
  const parser = stream.pipe(
    parse({
      columns: (header: string[]) => header.map(canonicalField),
      bom: true,
      trim: true,
      skip_empty_lines: true,
      info: true,
      // A malformed record (wrong column count, broken quotes) is reported, not fatal.
      skip_records_with_error: true,
    }),
  );
  parser.on('skip', (error: Error & { lines?: number }) => {
    skipped.push({ line: error.lines ?? 0, error: error.message });
  });
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, unknown>;
    info: { lines: number };
  }>) {
    while (skipped.length > 0) yield skipped.shift()!;
    yield { line: info.lines, record };
  }
  while (skipped.length > 0) yield skipped.shift()!;
}

async function* readJsonLines(stream: NodeJS.ReadableStream): AsyncGenerator<RawRecord> {
  let rest = '';
  let line = 0;
  const one = (text: string): RawRecord | undefined => {
    line++;
    if (text.trim() === '') return undefined;
    try {
      const value = JSON.parse(text) as unknown;
      return isObject(value) ? { line, record: value } : { line, error: 'not a JSON object' };
    } catch (error) {
      return { line, error: `invalid JSON: ${(error as Error).message}` };
    }
  };
  for await (const chunk of stream) {
    rest += chunk.toString();
    const lines = rest.split('\n');
    rest = lines.pop()!;
    for (const text of lines) {
      const rec = one(text);
      if (rec) yield rec;
    }
  }
  const rec = one(rest);
  if (rec) yield rec;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
