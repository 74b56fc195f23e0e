import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { KbImportError } from '../errors.js';
import type { KbDocument } from '../types.js';

const ZFrontMatter = z
  .object({
    title: z.string().min(1).max(500).optional(),
    /** The page's public address, shown as the source instead of the file path. */
    url: z.string().max(2000).optional(),
    /** Other ways customers ask what this page answers (calibrate the gate, match questions). */
    questions: z.array(z.string().min(1).max(2000)).max(50).optional(),
  })
  .passthrough();

/** Markdown formatting reduced to its words (links keep their text, images and code fences go). */
export function markdownToText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, (block) => block.replace(/```\w*/g, ''))
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/(\*\*|__|`)/g, '')
    .replace(/^\s*[-*+]\s+/gm, '')
    .replace(/^\s*>\s?/gm, '')
    .replace(/^\s*\|?\s*-{3,}.*$/gm, '')
    .replace(/\|/g, ' ');
}

/**
 * A Markdown file as a document: optional YAML front matter (title, url, questions), title from
 * the front matter, else the first `#` heading, else the file name.
 */
export function markdownDocument(text: string, source: string, id = source): KbDocument {
  let body = text.replace(/^\uFEFF/, '');
  let meta: z.infer<typeof ZFrontMatter> = {};
  const front = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(body);
  if (front) {
    let raw: unknown;
    try {
      raw = parseYaml(front[1]!);
    } catch (error) {
      throw new KbImportError(source, `front matter is not valid YAML (${(error as Error).message})`, {
        cause: error,
      });
    }
    const parsed = ZFrontMatter.safeParse(raw ?? {});
    if (!parsed.success) throw new KbImportError(source, `front matter: ${parsed.error.issues[0]!.message}`);
    meta = parsed.data;
    body = body.slice(front[0].length);
  }
  const plain = markdownToText(body).trim();
  if (!/[\p{L}\p{N}]/u.test(plain.replace(/^#+.*$/gm, '')))
    throw new KbImportError(source, 'no readable text');
  const heading = /^#\s+(.+)$/m.exec(plain)?.[1]?.trim();
  const fileName = source
    .split(/[\\/]/)
    .pop()!
    .replace(/\.(md|markdown)$/i, '');
  return {
    id,
    kind: 'markdown',
    title: meta.title ?? heading ?? fileName,
    source: meta.url ?? source,
    ...(meta.questions ? { altQuestions: meta.questions } : {}),
    body: plain,
  };
}
