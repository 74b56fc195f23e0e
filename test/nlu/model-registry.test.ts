import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelRegistry, NluError, type DiskCachedEncoder, type IntentExample } from '../../nlu/index.js';
import { bankingSubset, cachedUseLite, take } from './intent-fixtures.js';

let encoder: DiskCachedEncoder;
let root: string;
let clean: IntentExample[];
let noisy: IntentExample[];

beforeAll(async () => {
  encoder = await cachedUseLite();
  root = await mkdtemp(join(tmpdir(), 'nlu-registry-'));
  const { train, inScope } = bankingSubset();
  clean = take(train, inScope.slice(0, 8), 15);
  // Same texts, but every second label rotated to another intent: a clearly worse model.
  noisy = clean.map((e, i) => (i % 2 ? e : { ...e, intent: inScope[(inScope.indexOf(e.intent) + 1) % 8]! }));
});

afterAll(async () => {
  await encoder?.flush();
  await encoder?.dispose();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('ModelRegistry (versioned folders, guarded swap, rollback)', () => {
  it('refuses to answer before the first version and to roll back without history', async () => {
    const registry = new ModelRegistry({ root, encoder });
    await registry.start();
    expect(() => registry.current()).toThrow(NluError);
    await expect(registry.rollback()).rejects.toMatchObject({ code: 'NLU_NO_VERSION' });
  });

  it('activates v1, keeps it when a worse v2 is trained, swaps in an equal v3, rolls back to v1', async () => {
    const registry = new ModelRegistry({ root, encoder });
    await registry.start();

    const first = await registry.retrain(clean);
    expect(first).toMatchObject({ version: 1, swapped: true, previousVersion: null });
    const answer = await registry.current().process(clean[0]!.text);
    expect(answer.intent).toBe(clean[0]!.intent);

    const worse = await registry.retrain(noisy);
    expect(worse.version).toBe(2);
    expect(worse.score).toBeLessThan(first.score);
    expect(worse).toMatchObject({ swapped: false, previousVersion: 1 });
    expect(registry.activeVersion).toBe(1);

    // Deterministic training: the same data gives the same score, which is "not worse".
    const again = await registry.retrain(clean);
    expect(again).toMatchObject({
      version: 3,
      swapped: true,
      previousVersion: 1,
      previousScore: first.score,
      score: first.score,
    });
    expect(registry.activeVersion).toBe(3);
    expect(JSON.parse(await readFile(join(root, 'current.json'), 'utf8'))).toEqual({
      active: 3,
      history: [1, 3],
    });

    expect(await registry.rollback()).toEqual({ from: 3, to: 1 });
    expect(registry.activeVersion).toBe(1);
    expect((await readdir(root)).sort()).toEqual(['current.json', 'v1', 'v2', 'v3']);

    // Another process sees the pointer after refresh.
    const other = new ModelRegistry({ root, encoder });
    await other.start();
    expect(other.activeVersion).toBe(1);
    expect((await other.list()).map((v) => [v.version, v.active])).toEqual([
      [3, false],
      [2, false],
      [1, true],
    ]);
  });

  it('serialises concurrent retrains and forces a swap on request', async () => {
    const registry = new ModelRegistry({ root, encoder });
    await registry.start();
    const [a, b] = await Promise.all([registry.retrain(noisy, { force: true }), registry.retrain(clean)]);
    expect([a.version, b.version]).toEqual([4, 5]);
    expect(a.swapped).toBe(true);
    expect(a.reason).toMatch(/forced/);
    expect(b.swapped).toBe(true);
    expect(registry.activeVersion).toBe(5);
  });

  it('gives two registries on one folder (a server and `mkt nlu retrain`) distinct versions at once', async () => {
    const shared = await mkdtemp(join(tmpdir(), 'nlu-registry-shared-'));
    try {
      const [server, cli] = [
        new ModelRegistry({ root: shared, encoder }),
        new ModelRegistry({ root: shared, encoder }),
      ];
      await Promise.all([server.start(), cli.start()]);
      const results = await Promise.all([server.retrain(clean), cli.retrain(clean)]);
      expect(results.map((r) => r.version).sort()).toEqual([1, 2]);
      const pointer = JSON.parse(await readFile(join(shared, 'current.json'), 'utf8')) as {
        history: number[];
      };
      expect([...pointer.history].sort()).toEqual([1, 2]);
      // Both versions are complete, loadable artifacts, and no temporary or lock file is left.
      for (const registry of [server, cli]) await registry.refresh();
      expect(server.activeVersion).toBe(cli.activeVersion);
      for (const version of [1, 2]) {
        expect((await readdir(join(shared, `v${version}`))).sort()).toEqual([
          'manifest.json',
          'metrics.json',
          'vocabulary.json',
          'weights.bin',
        ]);
      }
      expect((await readdir(shared)).sort()).toEqual(['current.json', 'v1', 'v2']);
      expect(
        (await readdir(join(shared, '..'))).filter(
          (n) => n.includes(basename(shared)) && n.endsWith('.lock'),
        ),
      ).toEqual([]);
    } finally {
      await rm(shared, { recursive: true, force: true });
    }
  });
});
