import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { createFieldCipher } from '../../server/security/index.js';
import { CLI_TEST_TIMEOUT_MS, runCli } from '../support/cli.js';
import {
  customersWithTraitAbove,
  expectSegmentCsv,
  plantComment,
  seedDemoProfiles,
  storedComments,
} from '../support/demo-profiles.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

// `mkt segments create | list | show | remove | kmeans --profiles --names` through the real bin
// entry against a Postgres database with demo respondents whose profiles were recomputed.

vi.setConfig({ testTimeout: 300_000 });

const KEY_HEX = '5a'.repeat(32);
const cipher = createFieldCipher({ current: { id: 'k1', key: Buffer.from(KEY_HEX, 'hex') } });
const dir = mkdtempSync(join(tmpdir(), 'mkt-segments-cli-'));

describe('mkt segments (real database)', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  const mkt = async (...args: string[]) => runCli(['segments', ...args], env);

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    env = { DATABASE_URL: db.url!, ENCRYPTION_KEY: KEY_HEX, DATA_DIR: dir };
    // sealed with this database's key, as the server seeds them (the export opens them)
    await seedDemoProfiles(db.prisma, {
      count: 60,
      catalog: true,
      sealing: { encrypt: (plain, context) => cipher.encrypt(plain, context), emailHash: (e) => e },
      answers: {
        encrypt: (s) => cipher.encrypt(s, 'Answer.text'),
        decrypt: (s) => cipher.decrypt(s, 'Answer.text'),
      },
    });
  }, 600_000);
  afterAll(async () => db?.close());

  const priceConscious = (limit: number) => customersWithTraitAbove(db.prisma, 'price', limit);

  it('previews a plain-language segment, saves it only with --yes, lists, shows and removes it', async () => {
    const expected = await priceConscious(3.5);
    expect(expected.length).toBeGreaterThan(0);
    const preview = await mkt(
      'create',
      'Bargain lovers',
      '--where',
      'price consciousness above 3.5',
      '--json',
    );
    expect(preview.code).toBe(0);
    expect(JSON.parse(preview.stdout)).toMatchObject({
      saved: false,
      size: expected.length,
      rules: [{ field: 'traits.price', op: 'gt', value: 3.5 }],
    });
    expect(await db.prisma.segment.count({ where: { name: 'Bargain lovers' } })).toBe(0);
    const human = await mkt('create', 'Bargain lovers', '--where', 'price consciousness above 3.5');
    expect(human.stdout).toContain(`it would hold ${expected.length} customers today; run again with --yes`);

    const saved = await mkt('create', 'Bargain lovers', '--where', 'price consciousness above 3.5', '--yes');
    expect(saved.code).toBe(0);
    expect(saved.stdout).toMatch(
      new RegExp(
        `saved segment "Bargain lovers": .*price consciousness > 3\\.5 \\(${expected.length} customers\\)`,
        'i',
      ),
    );
    const members = await db.prisma.segmentMember.findMany({
      where: { segment: { name: 'Bargain lovers' } },
      select: { customerId: true },
    });
    expect(members.map((m) => m.customerId).sort()).toEqual(expected);

    const listed = JSON.parse((await mkt('list', '--json')).stdout) as { name: string; size: number }[];
    expect(listed).toContainEqual(expect.objectContaining({ name: 'Bargain lovers', size: expected.length }));
    const shown = await mkt('show', 'bargain lovers');
    expect(shown.stdout).toMatch(new RegExp(`^Bargain lovers \\(rules\\): ${expected.length} customers`));

    const again = await mkt(
      'create',
      'Bargain lovers',
      '--rules',
      '[{"field":"npsClass","op":"eq","value":"promoter"}]',
      '--yes',
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');

    expect((await mkt('remove', 'Bargain lovers')).code).toBe(0);
    expect(await db.prisma.segment.count({ where: { name: 'Bargain lovers' } })).toBe(0);
    const missing = await mkt('show', 'Bargain lovers');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no segment called "Bargain lovers"/);
    const trail = await db.prisma.auditLog.findMany({
      where: { actor: 'cli', target: 'segment:Bargain lovers' },
    });
    expect(trail.map((t) => t.action).sort()).toEqual(['segment.create', 'segment.delete']);
  });

  it('explains unreadable conditions, bad JSON and missing definitions in one line', async () => {
    const cases: [string[], RegExp][] = [
      [['create', 'Odd', '--where', 'likes the moon'], /could not read "likes the moon"/],
      [['create', 'Odd', '--rules', '{oops'], /--rules must be JSON/],
      [['create', 'Odd', '--rules', '[{"field":"traits.price","op":"gt","value":"high"}]'], /needs a number/],
      [['create', 'Odd'], /give the members with --where/],
    ];
    for (const [args, message] of cases) {
      const run = await mkt(...args);
      expect({ args, code: run.code }).toEqual({ args, code: 1 });
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    expect(await db.prisma.segment.count({ where: { name: 'Odd' } })).toBe(0);
  });

  it('clusters the stored profiles with k-means and saves the clusters under their names', async () => {
    const run = await mkt(
      'kmeans',
      '--profiles',
      '--k',
      '3',
      '--seed',
      '2',
      '--names',
      'Calm,Curious,Careful',
      '--json',
    );
    expect(run.code).toBe(0);
    const r = JSON.parse(run.stdout) as {
      n: number;
      dropped: number;
      features: string[];
      sizes: number[];
      saved: { name: string; size: number }[];
    };
    expect(r.saved.map((s) => s.name)).toEqual(['Calm', 'Curious', 'Careful']);
    expect(r.saved.map((s) => s.size)).toEqual(r.sizes);
    // every profile scored on all the clustered traits is in exactly one cluster
    const profiles = await db.prisma.profile.findMany({ select: { traits: true } });
    const complete = profiles.filter((p) =>
      r.features.every((f) => typeof (p.traits as Record<string, unknown>)[f] === 'number'),
    );
    expect(r.features.length).toBeGreaterThan(1);
    expect(r.n).toBe(complete.length);
    expect(r.n + r.dropped).toBe(profiles.length);
    const rows = await db.prisma.segment.findMany({
      where: { name: { in: ['Calm', 'Curious', 'Careful'] } },
      include: { _count: { select: { members: true } } },
    });
    expect(rows.every((s) => s.kind === 'kmeans')).toBe(true);
    expect(rows.reduce((a, s) => a + s._count.members, 0)).toBe(r.n);
    const clash = await mkt('kmeans', '--profiles', '--k', '2', '--names', 'Calm');
    expect(clash.code).toBe(1);
    expect(clash.stderr).toMatch(/2 clusters need 2 names, got 1/);
  });

  it('survey report CSV shows free-text answers decrypted and PII-masked, never as ciphertext', async () => {
    const answer = await db.prisma.answer.findFirstOrThrow({
      where: { itemId: 'improve', text: { not: null }, session: { instrumentId: 'nps' } },
    });
    await db.prisma.answer.update({
      where: { id: answer.id },
      data: { text: cipher.encrypt('Faster replies; call me on +44 20 7946 0958', 'Answer.text') },
    });
    const out = join(dir, 'nps.csv');
    const run = await runCli(
      ['survey', 'report', '--instrument', 'nps', '--format', 'csv', '--out', out],
      env,
    );
    expect(run.code).toBe(0);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    const row = rows.find((r) => r.session_id === answer.sessionId)!;
    expect(row.improve).toBe('Faster replies; call me on [PHONE]');
    const comments = rows.flatMap((r) => [r.why!, r.improve!]).filter(Boolean);
    expect(comments.length).toBeGreaterThan(5);
    expect(comments.some((c) => /^v1:|@/.test(c))).toBe(false);
  });

  it('exports a segment as CSV with consenting members and their comments, decrypted and masked', async () => {
    const planted = await plantComment(
      db.prisma,
      'promoters',
      cipher.encrypt('Great boots; ring me on +44 20 7946 0958', 'Answer.text'),
    );
    const out = join(dir, 'promoters.csv');
    const run = await mkt('export', 'Promoters', '--out', out, '--json');
    expect(run.code).toBe(0);
    const members = await db.prisma.segmentMember.findMany({
      where: { segment: { name: 'promoters' } },
      select: { customerId: true, customer: { select: { marketingOptIn: true } } },
    });
    const consented = members.filter((m) => m.customer.marketingOptIn).map((m) => m.customerId);
    const stored = await storedComments(db.prisma, consented);
    const rows = expectSegmentCsv(readFileSync(out, 'utf8'), consented, stored, (t) =>
      cipher.decrypt(t, 'Answer.text'),
    );
    expect(rows.find((r) => r.customer_id === planted)!.comments).toContain(
      'Great boots; ring me on [PHONE]',
    );
    expect(readFileSync(out, 'utf8')).not.toMatch(/v1:k1:|7946 0958/);
    expect(JSON.parse(run.stdout)).toMatchObject({
      name: 'promoters',
      rows: consented.length,
      withoutConsent: members.length - consented.length,
      comments: [...stored.values()].reduce((n, list) => n + list.length, 0),
    });
    const audit = await db.prisma.auditLog.findFirstOrThrow({
      where: { action: 'segment.export', actor: 'cli' },
    });
    expect(audit.target).toBe('segment:promoters');
    const missing = await mkt('export', 'Nobody here', '--out', join(dir, 'x.csv'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no segment called "Nobody here"/);
  });

  it('shows overlaps and the sizes recorded at each recomputation', async () => {
    const members = async (name: string) =>
      (
        await db.prisma.segmentMember.findMany({ where: { segment: { name } }, select: { customerId: true } })
      ).map((m) => m.customerId);
    const promoters = new Set(await members('promoters'));
    const hunters = await members('bargain hunters');
    const overlaps = await mkt('overlaps', 'Promoters', 'bargain hunters', '--json');
    expect(overlaps.code).toBe(0);
    expect(JSON.parse(overlaps.stdout)).toEqual([
      expect.objectContaining({ shared: hunters.filter((id) => promoters.has(id)).length }),
    ]);
    const today = new Date().toISOString().slice(0, 10);
    const sizes = await mkt('sizes', 'promoters', '--from', today, '--json');
    expect(sizes.code).toBe(0);
    expect(JSON.parse(sizes.stdout)).toMatchObject({
      name: 'promoters',
      current: promoters.size,
      points: [{ day: today, size: promoters.size }],
    });
    const bad = await mkt('sizes', 'promoters', '--from', 'June');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/from/);
  });
});
