import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { NluTrainingDataError } from '../errors.js';

/** One labelled utterance. */
export const ZIntentExample = z.object({
  text: z.string().trim().min(1, 'text must not be empty').max(10_000),
  intent: z.string().trim().min(1, 'intent must not be empty').max(200),
});
export type IntentExample = z.infer<typeof ZIntentExample>;

/**
 * Examples of one intent: a list of strings, or (as in Rasa's nlu.yml) one block string whose
 * lines start with "- ".
 */
const ZExampleList = z
  .union([z.array(z.string()), z.string()])
  .transform((v) =>
    (typeof v === 'string' ? v.split(/\r?\n/).map((line) => line.replace(/^\s*-\s?/, '')) : v)
      .map((s) => stripEntityMarkup(s).trim())
      .filter((s) => s.length > 0),
  );

/** Rasa entity markup, "[words](type)" or "[words]{...}", is reduced to its words. */
export function stripEntityMarkup(text: string): string {
  return text.replace(/\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})/g, '$1');
}

const ZIntentBlock = z.object({
  intent: z.string().trim().min(1),
  examples: ZExampleList,
});

/**
 * Training file (YAML or JSON; YAML is a superset of JSON so one parser reads both):
 * `{ version?: "1", nlu: [{ intent, examples }] }` (Rasa style) or `{ intents: [...] }`.
 */
export const ZIntentTrainingFile = z
  .object({
    version: z.union([z.string(), z.number()]).optional(),
    nlu: z.array(z.union([ZIntentBlock, z.object({}).passthrough()])).optional(),
    intents: z.array(ZIntentBlock).optional(),
  })
  .refine(
    (v) => v.nlu !== undefined || v.intents !== undefined,
    'expected a top-level "nlu" or "intents" list',
  );
export type IntentTrainingFile = z.infer<typeof ZIntentTrainingFile>;

/** Validates and flattens a parsed training document into examples (other Rasa blocks like `synonym` are ignored). */
export function examplesFromDocument(doc: unknown, source = 'training data'): IntentExample[] {
  const parsed = ZIntentTrainingFile.safeParse(doc);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new NluTrainingDataError(`invalid ${source}: ${issues[0]}`, issues);
  }
  const blocks = [...(parsed.data.intents ?? []), ...(parsed.data.nlu ?? [])].filter(
    (b): b is z.infer<typeof ZIntentBlock> => 'intent' in b && 'examples' in b,
  );
  return normaliseExamples(
    blocks.flatMap((b) => b.examples.map((text) => ({ text, intent: b.intent }))),
    source,
  );
}

/** Reads a YAML or JSON training file. */
export async function readTrainingFile(file: string): Promise<IntentExample[]> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    throw new NluTrainingDataError(`cannot read training file ${file}`, [], { cause: error });
  }
  let doc: unknown;
  try {
    doc = parseYaml(raw);
  } catch (error) {
    throw new NluTrainingDataError(
      `training file ${file} is neither valid YAML nor JSON: ${(error as Error).message}`,
      [],
      {
        cause: error,
      },
    );
  }
  return examplesFromDocument(doc, file);
}

/** Validates examples, trims them and drops exact duplicates; needs at least two intents. */
export function normaliseExamples(rows: readonly unknown[], source = 'training data'): IntentExample[] {
  const seen = new Set<string>();
  const out: IntentExample[] = [];
  const issues: string[] = [];
  rows.forEach((row, i) => {
    const parsed = ZIntentExample.safeParse(row);
    if (!parsed.success) {
      issues.push(`example ${i}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return;
    }
    const key = `${parsed.data.intent}\u0000${parsed.data.text}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(parsed.data);
  });
  if (issues.length > 0) throw new NluTrainingDataError(`invalid ${source}: ${issues[0]}`, issues);
  const intents = new Set(out.map((e) => e.intent));
  if (intents.size < 2) {
    throw new NluTrainingDataError(
      `${source} needs at least two intents with examples (found ${intents.size})`,
    );
  }
  return out;
}

/** Order-independent SHA-256 of the examples, recorded in the artifact to tell which data built it. */
export function hashExamples(examples: readonly IntentExample[]): string {
  const lines = examples.map((e) => `${e.intent}\t${e.text}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}
