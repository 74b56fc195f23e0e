import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT_MS, runCli, SHARED_DATA } from '../support/cli.js';
import { suiteTempDir } from '../support/temp-dir.js';

// The CLI contracts other tools rely on, through the real `mkt` entry in child processes.
const tmp = suiteTempDir('recsys-cli-');

describe('mkt rules mine', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('prints the exact JSON contract; 463 rules on groceries at 0.006 / 0.25, sorted by lift', async () => {
    const run = await runCli([
      'rules',
      'mine',
      '--baskets',
      join(SHARED_DATA, 'groceries/groceries.csv'),
      '--min-support',
      '0.006',
      '--min-confidence',
      '0.25',
      '--top',
      '5',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(Object.keys(out).sort()).toEqual(['count', 'itemsets', 'rules', 'transactions']);
    expect(out).toMatchObject({ transactions: 9835, count: 463 });
    expect(out.rules).toHaveLength(5);
    expect(Object.keys(out.rules[0]).sort()).toEqual([
      'antecedent',
      'confidence',
      'consequent',
      'lift',
      'support',
    ]);
    const lifts = out.rules.map((r: { lift: number }) => r.lift);
    expect(lifts).toEqual([...lifts].sort((a: number, b: number) => b - a));
  });

  it('rejects bad options with one line and exit code 1', async () => {
    const run = await runCli([
      'rules',
      'mine',
      '--baskets',
      tmp.join('missing.csv'),
      '--min-support',
      '2',
      '--min-confidence',
      '0.2',
      '--json',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('error: --min-support must be in (0, 1]');
  });
});

describe('mkt catalog import and mkt recommend', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('says the catalog is empty, imports with a per-row report, then recommends and rejects unknown SKUs', async () => {
    const env = { DATA_DIR: tmp.join('data') };
    const empty = await runCli(['recommend', '--query', 'rain jacket', '--json'], env);
    expect(empty.code).toBe(0);
    expect(JSON.parse(empty.stdout)).toMatchObject({
      items: [],
      message: expect.stringMatching(/catalog is empty/),
    });

    const file = tmp.join('shop.csv');
    await writeFile(
      file,
      [
        'sku,name,category,price,stock,tags',
        'T-1,Waterproof rain jacket,Outdoor,89,5,waterproof|rain',
        'T-2,Insulated winter parka,Outdoor,199,5,winter',
        'T-3,Ceramic coffee mug,Kitchen,12,5,coffee',
        'T-4,Espresso machine,Kitchen,-3,5,coffee',
        'T-5,Burr coffee grinder,Kitchen,79,5,coffee',
      ].join('\n'),
    );
    const imported = await runCli(['catalog', 'import', file, '--json'], env);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({
      rows: 5,
      imported: 4,
      rejected: 1,
      errors: [{ line: 5, field: 'price', sku: 'T-4' }],
    });

    const similar = await runCli(['recommend', '--similar', 'T-3', '--k', '2', '--json'], env);
    expect(similar.stderr).toBe('');
    expect(similar.code).toBe(0);
    const out = JSON.parse(similar.stdout);
    expect(out.mode).toBe('similar');
    expect(out.items[0]).toMatchObject({
      sku: 'T-5',
      reason: expect.stringMatching(/^Similar to Ceramic coffee mug/),
    });

    const unknown = await runCli(['recommend', '--similar', 'NOPE', '--json'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim().split('\n').at(-1)).toBe('error: unknown product SKU "NOPE"');
  }, 300_000); // four CLI processes, each loading the encoder and the database
});
