// Saving one artifact folder from many writers at once: concurrent saves in one process (a job and
// an update handler) and two processes sharing the data folder all succeed, and the folder ends
// as one writer's complete save (its manifest's checksums match its files), with no temporary
// files left behind.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readArtifact, writeArtifact } from '../../recsys/artifact.js';
import { REPO_ROOT } from '../support/server-process.js';

const root = mkdtempSync(join(tmpdir(), 'mkt-artifact-writers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const manifest = (hash: string) => ({
  kind: 'test',
  formatVersion: 1,
  encoder: null,
  dataHash: hash,
  metrics: {},
  params: {},
});

function runWriter(dir: string, label: string, count: number): Promise<number | null> {
  return new Promise((ok) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/support/artifact-writer.ts', dir, label, String(count)],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    child.once('exit', ok);
  });
}

async function expectOneCompleteSave(dir: string): Promise<void> {
  const { manifest: saved, files } = await readArtifact(dir, 'test', 1, z.object({}));
  // Files and manifest come from the same save: ids.json names the save the manifest records.
  const ids = JSON.parse(files.get('ids.json')!.toString()) as { label: string; i: number };
  expect(saved.dataHash).toBe(`${ids.label}-${ids.i}`);
  expect(readdirSync(dir).sort()).toEqual(['ids.json', 'index.bin', 'manifest.json']);
}

describe('artifact writers', () => {
  it('lets 20 saves of one folder in one process all succeed, one after another', async () => {
    const dir = join(root, 'in-process');
    const saves = Array.from({ length: 20 }, (_, i) =>
      writeArtifact(dir, manifest(`p-${i}`), {
        'index.bin': Buffer.alloc(64 * 1024, `p-${i}`),
        'ids.json': JSON.stringify({ label: 'p', i }),
      }),
    );
    const results = await Promise.allSettled(saves);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    await expectOneCompleteSave(dir);
  });

  it('lets two processes save the same folder concurrently', async () => {
    const dir = join(root, 'shared');
    const codes = await Promise.all([runWriter(dir, 'a', 40), runWriter(dir, 'b', 40)]);
    expect(codes).toEqual([0, 0]);
    await expectOneCompleteSave(dir);
    expect(readdirSync(root).filter((name) => name.endsWith('.lock'))).toEqual([]);
  }, 60_000);
});
