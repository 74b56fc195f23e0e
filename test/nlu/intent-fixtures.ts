// Small real subsets of BANKING77 for the NLU tests, and a USE-lite encoder whose vectors are
// kept in test-artifacts/ so that repeated runs embed each sentence once.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { createEncoder, withDiskCache, type DiskCachedEncoder } from '../../nlu/index.js';
import type { IntentExample } from '../../nlu/index.js';
import { REPO_ROOT, SHARED_DATA } from '../support/cli.js';

/** File cache of USE-lite vectors shared by the NLU test files. */
export const EMBEDDING_CACHE = resolve(REPO_ROOT, 'test-artifacts/nlu/use-lite-embeddings.bin');

/** The real USE-lite encoder behind a file cache. */
export async function cachedUseLite(): Promise<DiskCachedEncoder> {
  return withDiskCache(await createEncoder('use-lite'), EMBEDDING_CACHE);
}

/** Rows of a BANKING77 CSV file. */
export function readBanking(split: 'train' | 'test'): IntentExample[] {
  const rows = parse(readFileSync(resolve(SHARED_DATA, `intents/banking77-${split}.csv`), 'utf8'), {
    columns: true,
  }) as Array<{
    text: string;
    category: string;
  }>;
  return rows.map((r) => ({ text: r.text, intent: r.category }));
}

/** The first `perIntent` rows of each listed intent, in file order. */
export function take(
  rows: readonly IntentExample[],
  intents: readonly string[],
  perIntent: number,
): IntentExample[] {
  const count = new Map<string, number>();
  const wanted = new Set(intents);
  return rows.filter((r) => {
    if (!wanted.has(r.intent)) return false;
    const n = count.get(r.intent) ?? 0;
    count.set(r.intent, n + 1);
    return n < perIntent;
  });
}

/** Every intent of BANKING77 in sorted order. */
export function bankingIntents(rows: readonly IntentExample[]): string[] {
  return [...new Set(rows.map((r) => r.intent))].sort();
}

/** Fixture: 15 in-scope intents × 20 training rows, 8 test rows each, plus 5 unseen intents as out-of-scope test rows. */
export function bankingSubset(): {
  train: IntentExample[];
  test: IntentExample[];
  oos: IntentExample[];
  inScope: string[];
} {
  const trainAll = readBanking('train');
  const testAll = readBanking('test');
  const intents = bankingIntents(trainAll);
  // Every fifth intent, so the subset spans the alphabet (cards, transfers, top-ups, ...).
  const inScope = intents.filter((_, i) => i % 5 === 0).slice(0, 15);
  const unseen = intents.filter((_, i) => i % 5 === 2).slice(0, 5);
  return {
    train: take(trainAll, inScope, 20),
    test: take(testAll, inScope, 8),
    oos: take(testAll, unseen, 6),
    inScope,
  };
}
