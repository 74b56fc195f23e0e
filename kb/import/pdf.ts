import { KbImportError } from '../errors.js';
import type { KbDocument } from '../types.js';

/**
 * A PDF's text layer as a document (unpdf, a PDF.js build for servers), one paragraph block per
 * page. A PDF without text (a scan) is rejected: there is nothing to answer from without OCR.
 */
export async function pdfDocument(bytes: Uint8Array, source: string, id = source): Promise<KbDocument> {
  const { extractText, getDocumentProxy, getMeta } = await import('unpdf');
  let pages: string[];
  let title: string | undefined;
  try {
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    const meta = await getMeta(pdf).catch(() => undefined);
    const info = meta?.info as { Title?: unknown } | undefined;
    title = typeof info?.Title === 'string' && info.Title.trim() ? info.Title.trim() : undefined;
    pages = (await extractText(pdf, { mergePages: false })).text;
  } catch (error) {
    throw new KbImportError(source, `not a readable PDF (${(error as Error).message})`, { cause: error });
  }
  const body = pages
    .map((p) => p.replace(/[ \t]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n\n');
  if (!/[\p{L}\p{N}]{2}/u.test(body))
    throw new KbImportError(source, 'the PDF has no text layer (scanned pages need OCR first)');
  const fileName = source
    .split(/[\\/]/)
    .pop()!
    .replace(/\.pdf$/i, '');
  return { id, kind: 'pdf', title: title ?? fileName, source, body };
}
