// `mkt nlu train|versions|rollback --domain` act on the registry the server serves from
// (DATA_DIR/nlu/<domain>), and a version trained there carries the seed tag the server checks at
// start, so the server keeps serving it instead of retraining on the shipped examples.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, servedIntentRegistry } from '../../server/index.js';
import { runCli } from '../support/cli.js';

const dataDir = mkdtempSync(join(tmpdir(), 'mkt-served-nlu-'));
const env = { DATA_DIR: dataDir, REDIS_URL: '' };
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('mkt nlu --domain', () => {
  it('trains, lists and rolls back the served marketer model', async () => {
    const none = await runCli(['nlu', 'versions', '--domain', 'marketer', '--json'], env);
    expect(none.code, none.stderr).toBe(0);
    expect(JSON.parse(none.stdout)).toEqual([]);

    const first = await runCli(['nlu', 'train', '--domain', 'marketer', '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    const trained = JSON.parse(first.stdout) as { dir: string; version: number; swapped: boolean };
    expect(trained).toMatchObject({ version: 1, swapped: true, dir: join(dataDir, 'nlu', 'marketer', 'v1') });
    const manifest = JSON.parse(readFileSync(join(trained.dir, 'manifest.json'), 'utf8')) as {
      params: { training: { tags?: Record<string, string> } };
    };
    const served = await servedIntentRegistry(loadConfig(env), 'marketer');
    expect(manifest.params.training.tags).toMatchObject(await served.seedTags());
    const seed = await served.seedExamples();

    const second = await runCli(['nlu', 'train', '--domain', 'marketer', '--force', '--json'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ version: 2, swapped: true });

    const rolled = await runCli(['nlu', 'rollback', '--domain', 'marketer', '--json'], env);
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(JSON.parse(rolled.stdout)).toMatchObject({ from: 2, to: 1 });
    const listed = await runCli(['nlu', 'versions', '--domain', 'marketer', '--json'], env);
    const versions = JSON.parse(listed.stdout) as Array<{ version: number; active: boolean }>;
    expect(versions.map((v) => [v.version, v.active]).sort()).toEqual([
      [1, true],
      [2, false],
    ]);
    expect(seed.length).toBeGreaterThan(100);
  }, 600_000);

  it('names the two domains and refuses --domain with --model', async () => {
    const wrong = await runCli(['nlu', 'versions', '--domain', 'shop'], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim()).toBe('error: --domain must be customer or marketer, got "shop"');
    const both = await runCli(['nlu', 'versions', '--domain', 'customer', '--model', dataDir], env);
    expect(both.code).toBe(1);
    expect(both.stderr.trim()).toBe('error: --domain picks the served model: leave out --model and --out');
  }, 120_000);
});
