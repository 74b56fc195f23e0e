import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SENTIMENT_DATA_DIR } from '../../bench/_sentiment.js';
import { writeTinyOnnxModel } from '../support/tiny-onnx.js';
import { suiteTempDir } from '../support/temp-dir.js';

const run = promisify(execFile);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
const tmp = suiteTempDir('sentiment-cli-');

async function mkt(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tsx, [join(repoRoot, 'cli', 'main.ts'), ...args], {
      cwd: repoRoot,
      env: {
        ...process.env,
        DATA_DIR: tmp.join('data'),
        NLU_ENCODER: 'use-lite',
        NLU_SENTIMENT_MODEL: '',
        ...env,
      },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('mkt sentiment eval', () => {
  it('prints accuracy, macroF1 and n for a sentence<TAB>label file (header skipped)', async () => {
    const lines = (await readFile(join(SENTIMENT_DATA_DIR, 'yelp_labelled.txt'), 'utf8')).split('\n');
    const file = tmp.join('test.txt');
    await writeFile(file, [lines[0], ...lines.slice(1, 61)].join('\n'));
    const result = await mkt(['sentiment', 'eval', '--test', file, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ n: 60, model: 'head:use-lite', seenInTraining: 60 });
    expect(json.accuracy).toBeGreaterThan(0.85);
    expect(json.macroF1).toBeGreaterThan(0.85);
  });

  it('fails with one line naming the bad line', async () => {
    const file = tmp.join('bad.txt');
    await writeFile(file, 'Review\ngood\t1\nno label here\n');
    const result = await mkt(['sentiment', 'eval', '--test', file, '--json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad\.txt:3/);
    expect(result.stdout).toBe('');
  });
});

describe('mkt sentiment predict with NLU_SENTIMENT_MODEL', () => {
  it('uses the local ONNX text-classification folder instead of the trained head', async () => {
    const folder = await writeTinyOnnxModel('text-classification', tmp.path);
    const result = await mkt(['sentiment', 'predict', 'this is great', 'this is terrible', '--json'], {
      NLU_SENTIMENT_MODEL: folder,
    });
    expect(result.code, result.stderr).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<{ text: string; label: string }>;
    expect(rows.map((r) => r.label)).toEqual(['positive', 'negative']);
  });
});
