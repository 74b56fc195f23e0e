// The bots' shipped NLU training data (customer.yml, marketer.yml): Rasa-style files with inline
// entity annotations. This loader validates them, strips the markup and returns plain examples
// (what the intent classifier trains on) and the entity spans (what entity tests check against).
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { NluDomain } from '../ports.js';

/** Folder holding customer.yml and marketer.yml. */
export const NLU_DATA_DIR = dirname(fileURLToPath(import.meta.url));

/** Path of the training file of a domain. */
export function trainingFilePath(domain: NluDomain): string {
  return join(NLU_DATA_DIR, `${domain}.yml`);
}

/** Shape of a training file (same as nlu/'s Rasa-style format, examples as a "- " block). */
export const ZBotTrainingFile = z.object({
  version: z.union([z.string(), z.number()]).optional(),
  nlu: z
    .array(
      z.object({
        intent: z.string().regex(/^[a-z][a-z0-9_]*$/, 'intent names are snake_case'),
        examples: z.string().min(1),
      }),
    )
    .min(2),
});

/** One annotated entity span in a plain example. */
export interface EntitySpan {
  type: string;
  value: string;
  start: number;
  end: number;
}

/** One plain example with its spans. */
export interface AnnotatedExample {
  text: string;
  intent: string;
  entities: EntitySpan[];
}

const ANNOTATION = /\[([^\]]+)\](?:\(([a-z_]+)\)|(\{[^}]*\}))/g;
const ZEntityJson = z.object({ entity: z.string().min(1), value: z.string().optional() });

/** Strips "[words](type)" and "[words]{"entity": .., "value": ..}" markup. Pure. */
export function parseAnnotated(line: string): { text: string; entities: EntitySpan[] } {
  let text = '';
  let last = 0;
  const entities: EntitySpan[] = [];
  for (const m of line.matchAll(ANNOTATION)) {
    const words = m[1]!;
    let type = m[2];
    let value = words;
    if (m[3]) {
      const parsed = ZEntityJson.parse(JSON.parse(m[3]));
      type = parsed.entity;
      value = parsed.value ?? words;
    }
    text += line.slice(last, m.index);
    entities.push({ type: type!, value, start: text.length, end: text.length + words.length });
    text += words;
    last = m.index + m[0].length;
  }
  text += line.slice(last);
  return { text, entities };
}

/** Parses a training document into annotated examples (duplicates removed). */
export function examplesFromYaml(source: string): AnnotatedExample[] {
  const doc = ZBotTrainingFile.parse(parseYaml(source));
  const seen = new Set<string>();
  const out: AnnotatedExample[] = [];
  for (const block of doc.nlu) {
    for (const raw of block.examples.split(/\r?\n/)) {
      const line = raw.replace(/^\s*-\s?/, '').trim();
      if (!line) continue;
      const { text, entities } = parseAnnotated(line);
      const key = `${block.intent}\u0000${text}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ text, intent: block.intent, entities });
    }
  }
  return out;
}

/** Reads the shipped training data of a domain. */
export async function loadTrainingData(domain: NluDomain): Promise<AnnotatedExample[]> {
  return examplesFromYaml(await readFile(trainingFilePath(domain), 'utf8'));
}
