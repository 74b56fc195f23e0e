// Labelled sentences for the sentiment head: the `sentence<TAB>0|1` format of the shipped UCI files
// (nlu/data/sentiment, CC BY 4.0, see ATTRIBUTION.md there) and of `mkt sentiment eval --test`.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { NluTrainingDataError } from '../errors.js';

/** One labelled sentence: 1 = positive, 0 = negative. */
export const ZLabelledSentence = z.object({
  text: z.string().min(1),
  label: z.union([z.literal(0), z.literal(1)]),
  /** Where the sentence comes from (e.g. the file's name); training selects by leaving one domain out. */
  domain: z.string().min(1).optional(),
});
/** One labelled sentence. */
export type LabelledSentence = z.infer<typeof ZLabelledSentence>;

/** Folder of the labelled sentences shipped with the product. */
export const SHIPPED_SENTIMENT_DATA_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'data',
  'sentiment',
);

/** The shipped files (UCI Sentiment Labelled Sentences). */
export const SHIPPED_SENTIMENT_FILES = ['amazon_cells_labelled.txt', 'yelp_labelled.txt'] as const;

/**
 * Parses `sentence<TAB>0|1` lines. A first line without a label (the `Review` header) and blank
 * lines are skipped; any other line without a label is an error naming its line number.
 */
export function parseLabelledSentences(
  content: string,
  source = 'input',
  domain?: string,
): LabelledSentence[] {
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  const rows: LabelledSentence[] = [];
  const issues: string[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const match = /^(.*)\t\s*([01])\s*$/.exec(line);
    if (!match) {
      if (index > 0) issues.push(`${source}:${index + 1}: expected "sentence<TAB>0|1"`);
      return;
    }
    const parsed = ZLabelledSentence.safeParse({
      text: match[1]!.trim(),
      label: Number(match[2]),
      ...(domain ? { domain } : {}),
    });
    if (parsed.success) rows.push(parsed.data);
    else issues.push(`${source}:${index + 1}: ${parsed.error.issues[0]?.message ?? 'invalid row'}`);
  });
  if (issues.length > 0) {
    throw new NluTrainingDataError(
      `${source}: ${issues.length} invalid line(s), first: ${issues[0]}`,
      issues,
    );
  }
  if (rows.length === 0) throw new NluTrainingDataError(`${source}: no labelled sentences found`);
  return rows;
}

/** Reads and parses a labelled-sentence file; its rows get the file's name (without `_labelled.txt`) as domain. */
export async function readLabelledSentences(path: string): Promise<LabelledSentence[]> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    throw new NluTrainingDataError(`cannot read labelled sentences from ${path}`, [], { cause: error });
  }
  return parseLabelledSentences(content, path, domainOf(path));
}

/** Loads the shipped labelled sentences (both files unless `files` narrows them). */
export async function loadShippedSentimentData(
  files: readonly string[] = SHIPPED_SENTIMENT_FILES,
): Promise<LabelledSentence[]> {
  const parts = await Promise.all(
    files.map((f) => readLabelledSentences(join(SHIPPED_SENTIMENT_DATA_DIR, f))),
  );
  return parts.flat();
}

/** Domain name of a file: its base name without the extension and a `_labelled` suffix. */
export function domainOf(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  return base.replace(/\.[^.]*$/, '').replace(/_labelled$/, '') || base;
}

/** Stable hash of a training set (order-sensitive), recorded in the artifact manifest. */
export function hashSentences(rows: readonly LabelledSentence[]): string {
  const hash = createHash('sha256');
  for (const row of rows) hash.update(`${row.label}\t${row.text}\n`);
  return `sha256:${hash.digest('hex')}`;
}
