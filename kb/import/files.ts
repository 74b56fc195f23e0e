import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { KbImportError } from '../errors.js';
import { faqDocuments, parseFaq } from '../faq-file.js';
import type { KbDocument } from '../types.js';
import { htmlDocument } from './html.js';
import { markdownDocument } from './markdown.js';
import { pdfDocument } from './pdf.js';

/** Largest file read (bytes): a help-centre page is kilobytes; a 200 MB file is a mistake. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

const EXTENSIONS = new Set(['.md', '.markdown', '.html', '.htm', '.pdf', '.csv', '.json']);

/** A file or page that was not imported, and why (the rest of the import goes on). */
export interface SkippedSource {
  source: string;
  reason: string;
}

/** What an import read: the documents and the sources it skipped. */
export interface ImportResult {
  documents: KbDocument[];
  skipped: SkippedSource[];
}

/** Reads one file into documents (an FAQ file gives one per entry). */
export async function importFile(
  path: string,
  source = path,
  maxBytes = MAX_FILE_BYTES,
): Promise<KbDocument[]> {
  const info = await stat(path).catch((error: unknown) => {
    throw new KbImportError(source, `cannot read (${(error as Error).message})`, { cause: error });
  });
  if (!info.isFile()) throw new KbImportError(source, 'not a file');
  if (info.size > maxBytes)
    throw new KbImportError(
      source,
      `file is ${(info.size / 1024 / 1024).toFixed(0)} MB, the limit is ${(maxBytes / 1024 / 1024).toFixed(0)} MB`,
    );
  const ext = extname(path).toLowerCase();
  if (!EXTENSIONS.has(ext))
    throw new KbImportError(source, `unsupported file type "${ext || 'none'}" (md, html, pdf, csv, json)`);
  if (ext === '.pdf') return [await pdfDocument(await readFile(path), source)];
  const text = await readFile(path, 'utf8');
  if (ext === '.csv' || ext === '.json') return faqDocuments(parseFaq(text, source), source);
  if (ext === '.html' || ext === '.htm') return [htmlDocument(text, source)];
  return [markdownDocument(text, source)];
}

async function* walk(dir: string): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile() && EXTENSIONS.has(extname(entry.name).toLowerCase())) yield path;
  }
}

/**
 * Imports a file or every supported file under a folder (recursively, hidden entries skipped).
 * Sources are paths relative to the folder, so ids stay stable when the folder moves. A file
 * that fails is reported in `skipped` and the others are still imported.
 */
export async function importPath(path: string, maxBytes = MAX_FILE_BYTES): Promise<ImportResult> {
  const info = await stat(path).catch((error: unknown) => {
    throw new KbImportError(path, `cannot read (${(error as Error).message})`, { cause: error });
  });
  const result: ImportResult = { documents: [], skipped: [] };
  const files = info.isDirectory()
    ? walk(path)
    : (async function* () {
        yield path;
      })();
  for await (const file of files) {
    const source = info.isDirectory() ? relative(path, file).split('\\').join('/') : file;
    try {
      result.documents.push(...(await importFile(file, source, maxBytes)));
    } catch (error) {
      if (!(error instanceof KbImportError)) throw error;
      result.skipped.push({ source, reason: error.message.slice(source.length + 2) });
    }
  }
  return result;
}
