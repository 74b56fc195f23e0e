import { writeFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import { stringify as toYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { bankingSubset, EMBEDDING_CACHE, take } from './intent-fixtures.js';
import { suiteTempDir } from '../support/temp-dir.js';

// Each CLI run starts tsx and loads USE-lite (a few seconds, more on a busy 2-core machine).
const CLI_TIMEOUT = 180_000;

const tmp = suiteTempDir('nlu-cli-');

describe('mkt nlu', () => {
  it(
    'eval prints the contract JSON on a real BANKING77 subset with out-of-scope rows',
    async () => {
      const { train, test, oos } = bankingSubset();
      const csv = (rows: Array<{ text: string; intent: string }>) =>
        stringify(
          rows.map((r) => [r.text, r.intent]),
          { header: true, columns: ['text', 'category'] },
        );
      await writeFile(tmp.join('train.csv'), csv(train));
      await writeFile(
        tmp.join('test.csv'),
        csv([...test, ...oos.map((r) => ({ text: r.text, intent: 'oos' }))]),
      );
      const run = await runCli([
        'nlu',
        'eval',
        '--train',
        tmp.join('train.csv'),
        '--test',
        tmp.join('test.csv'),
        '--embedding-cache',
        EMBEDDING_CACHE,
        '--json',
      ]);
      expect(run.code, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout);
      for (const key of [
        'accuracy',
        'macroF1',
        'inScopeAccuracy',
        'oosRecall',
        'oosPrecision',
        'trainSeconds',
        'p50Ms',
        'p95Ms',
      ]) {
        expect(typeof report[key], key).toBe('number');
      }
      expect(report.n).toBe(test.length + oos.length);
      expect(report.nOutOfScope).toBe(oos.length);
      expect(report.inScopeAccuracy).toBeGreaterThan(0.65);
      expect(report.oosRecall).toBeGreaterThan(0.3);
      expect(report.p95Ms).toBeGreaterThanOrEqual(report.p50Ms);
    },
    CLI_TIMEOUT,
  );

  it(
    'eval rejects a CSV without the text,category header in one line',
    async () => {
      await writeFile(tmp.join('bad.csv'), 'sentence,label\nhello,greet\n');
      const run = await runCli([
        'nlu',
        'eval',
        '--train',
        tmp.join('bad.csv'),
        '--test',
        tmp.join('bad.csv'),
        '--json',
      ]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/bad\.csv row 2: expected columns "text,category"/);
    },
    CLI_TIMEOUT,
  );

  it(
    'train (registry in DATA_DIR), predict, retrain, rollback',
    async () => {
      const { train, inScope } = bankingSubset();
      const intents = inScope.slice(0, 4);
      const rows = take(train, intents, 12);
      const doc = {
        version: '3.1',
        nlu: intents.map((intent) => ({
          intent,
          examples: rows
            .filter((r) => r.intent === intent)
            .map((r) => `- ${r.text}`)
            .join('\n'),
        })),
      };
      await writeFile(tmp.join('intents.yml'), toYaml(doc));
      const env = { DATA_DIR: tmp.join('data') };

      const first = await runCli(['nlu', 'train', '--data', tmp.join('intents.yml'), '--json'], env);
      expect(first.code, first.stderr).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({ version: 1, swapped: true });

      const predicted = await runCli(['nlu', 'predict', rows[0]!.text, '--json'], env);
      expect(predicted.code, predicted.stderr).toBe(0);
      expect(JSON.parse(predicted.stdout)).toMatchObject({ intent: rows[0]!.intent, outOfScope: false });

      const second = await runCli(['nlu', 'train', '--data', tmp.join('intents.yml'), '--json'], env);
      expect(JSON.parse(second.stdout)).toMatchObject({ version: 2, swapped: true });

      const rolled = await runCli(['nlu', 'rollback', '--json'], env);
      expect(rolled.code, rolled.stderr).toBe(0);
      expect(JSON.parse(rolled.stdout)).toEqual({ from: 2, to: 1 });

      const none = await runCli(['nlu', 'rollback'], env);
      expect(none.code).toBe(1);
      expect(none.stderr).toMatch(/no previous intent model version/);
    },
    CLI_TIMEOUT,
  );

  it(
    'predict names the missing model and how to train one',
    async () => {
      const run = await runCli(['nlu', 'predict', 'hello', '--model', tmp.join('empty')]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/no intent model in .*mkt nlu train/);
    },
    CLI_TIMEOUT,
  );
});
