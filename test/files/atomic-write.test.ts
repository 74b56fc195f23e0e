// writeFileAtomic: concurrent writers of one file all succeed and the file ends as one writer's
// whole content; a failed write leaves neither the file nor a temporary behind.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { uniqueTempName, writeFileAtomic } from '../../files/index.js';

const root = mkdtempSync(join(tmpdir(), 'mkt-atomic-write-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('lets 30 concurrent writers of one file succeed, leaving one whole content and no temporaries', async () => {
    const file = join(root, 'current.json');
    const contents = Array.from({ length: 30 }, (_, i) => `${String(i).repeat(20_000)}\n`);
    const results = await Promise.allSettled(contents.map((c) => writeFileAtomic(file, c)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(contents).toContain(readFileSync(file, 'utf8'));
    expect(readdirSync(root)).toEqual(['current.json']);
  });

  it('fails without leaving anything when the folder is missing', async () => {
    await expect(writeFileAtomic(join(root, 'missing', 'x.bin'), 'data')).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(readdirSync(root)).toEqual(['current.json']);
  });

  it('names temporaries with the pid and random bytes, different on every call', () => {
    const a = uniqueTempName('/data/index.bin');
    expect(a).toMatch(new RegExp(`^/data/index\\.bin\\.tmp-${process.pid}-[0-9a-f]{12}$`));
    expect(uniqueTempName('/data/index.bin')).not.toBe(a);
  });
});
