// BANKING77 as the benchmarks read it from ../shared/data/intents (benchmarks may; the product may not).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { IntentExample } from '../nlu/index.js';

/** The shared intent data sets folder. */
export const INTENT_DATA_DIR = join(
  resolve(dirname(fileURLToPath(import.meta.url)), '..'),
  '..',
  'shared',
  'data',
  'intents',
);

/** One BANKING77 split, in file order. */
export function readBanking(split: 'train' | 'test'): IntentExample[] {
  const rows = parse(readFileSync(join(INTENT_DATA_DIR, `banking77-${split}.csv`), 'utf8'), {
    columns: true,
  }) as Array<{ text: string; category: string }>;
  return rows.map((r) => ({ text: r.text, intent: r.category }));
}
