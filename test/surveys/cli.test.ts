import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SurveyRunner, cronbachAlpha, reverseKey, simulateFactorData } from '../../surveys/index.js';
import { CLI_TEST_TIMEOUT_MS, runCli, SHARED_DATA } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { decodePng } from './png.js';
import { PrismaSurveyStore, seedDemoSurveys } from '../../prisma/repositories/index.js';

const dir = mkdtempSync(join(tmpdir(), 'mkt-survey-cli-'));
// each CLI run starts a fresh tsx process that loads every command group: allow for a busy machine
vi.setConfig({ testTimeout: 300_000 });

describe('mkt survey (files)', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('alpha: reverse keys "-ITEM", drops rows with NA per scale, matches the library', async () => {
    const sim = simulateFactorData({
      respondents: 400,
      factors: 2,
      itemsPerFactor: 5,
      min: 1,
      max: 6,
      loading: 0.65,
      reverseEvery: 5,
      missing: 0.03,
      seed: 8,
    });
    const header = sim.items.map((i) => i.name);
    const lines = [
      header.join(','),
      ...sim.rows.map((r) => r.map((v, j) => (Number.isNaN(v) ? (j % 2 ? 'NA' : '') : v)).join(',')),
    ];
    writeFileSync(join(dir, 'items.csv'), `${lines.join('\n')}\n`);
    const f1 = 'F1_1,F1_2,F1_3,F1_4,-F1_5';
    const run = await runCli([
      'survey',
      'alpha',
      '--csv',
      join(dir, 'items.csv'),
      '--scale',
      `A=${f1}`,
      '--scale',
      'B=F2_1,F2_2,F2_3,F2_4,-F2_5',
      '--min',
      '1',
      '--max',
      '6',
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as Record<
      string,
      { alpha: number; n: number; items: { item: string; reverse: boolean }[] }
    >;
    const complete = sim.rows
      .filter((r) => r.slice(0, 5).every((v) => !Number.isNaN(v)))
      .map((r) => r.slice(0, 5).map((v, j) => (j === 4 ? reverseKey(v, 1, 6) : v)));
    expect(out.A!.n).toBe(complete.length);
    expect(out.A!.n).toBeLessThan(400);
    expect(out.A!.alpha).toBeCloseTo(cronbachAlpha(complete).alpha, 12);
    expect(out.A!.items.map((i) => [i.item, i.reverse])).toEqual([
      ['F1_1', false],
      ['F1_2', false],
      ['F1_3', false],
      ['F1_4', false],
      ['F1_5', true],
    ]);
    expect(out.B!.alpha).toBeGreaterThan(0.6);
    const bad = await runCli([
      'survey',
      'alpha',
      '--csv',
      join(dir, 'items.csv'),
      '--scale',
      'A=F1_1,nope',
      '--min',
      '1',
      '--max',
      '6',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/no column nope/);
  });

  it('parse: one answer per line → number, "skip" or "invalid"', async () => {
    writeFileSync(join(dir, 'answers.txt'), 'definitely a 9\n10/10\nseven\nskip\nnot sure\n11\n');
    const run = await runCli([
      'survey',
      'parse',
      '--scale',
      'nps',
      '--file',
      join(dir, 'answers.txt'),
      '--json',
    ]);
    expect(JSON.parse(run.stdout)).toEqual([
      { answer: 'definitely a 9', value: 9 },
      { answer: '10/10', value: 10 },
      { answer: 'seven', value: 7 },
      { answer: 'skip', value: 'skip' },
      { answer: 'not sure', value: 'invalid' },
      { answer: '11', value: 'invalid' },
    ]);
  });

  it('validate: every problem with its path, exit 1; shipped files pass', async () => {
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({
        id: 'Bad Id',
        title: 'x',
        source: { name: 'x' },
        licence: 'x',
        items: [
          { id: 'a', type: 'likert', text: 'x', scale: 'none', reverse: true },
          {
            id: 'b',
            type: 'nps',
            text: 'y',
            branch: [{ if: { item: 'b', op: 'gte', value: 9 }, goto: 'zzz' }],
          },
        ],
      }),
    );
    const bad = await runCli(['survey', 'validate', join(dir, 'bad.json')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/id: must be lower-case/);
    expect(bad.stdout).toMatch(/items\[0\]\.scale: unknown response scale "none"/);
    expect(bad.stdout).toMatch(/items\[0\]\.reverse: a reverse-keyed item must belong to a trait/);
    expect(bad.stdout).toMatch(/items\[1\]\.branch\[0\]\.goto: branch target "zzz" does not exist/);
    const ok = await runCli([
      'survey',
      'validate',
      resolve('surveys/instruments/mini-ipip-20.json'),
      '--json',
    ]);
    expect(JSON.parse(ok.stdout)).toEqual({ ok: true, id: 'mini-ipip-20', items: 20, issues: [] });
  });
});

describe('mkt segments kmeans', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('segments the first 2,000 snsdata rows: sizes, centres in original units, silhouette, over-indexed features', async () => {
    const text = readFileSync(resolve(SHARED_DATA, 'segments/snsdata.csv'), 'utf8')
      .split('\n')
      .slice(0, 2001)
      .join('\n');
    writeFileSync(join(dir, 'sns.csv'), text);
    const run = await runCli([
      'segments',
      'kmeans',
      '--csv',
      join(dir, 'sns.csv'),
      '--all-numeric',
      '--k',
      '2..4',
      '--seed',
      '3',
      '--json',
      '--out',
      join(dir, 'seg.csv'),
    ]);
    expect(run.code).toBe(0);
    const r = JSON.parse(run.stdout) as {
      k: number;
      n: number;
      dropped: number;
      features: string[];
      silhouette: number;
      sizes: number[];
      centres: Record<string, number>[];
      segments: { topFeatures: { feature: string; z: number }[] }[];
      candidates: unknown[];
    };
    expect(r.features).toContain('age'); // gender is not numeric
    expect(r.features).not.toContain('gender');
    expect(r.n + r.dropped).toBe(2000);
    expect(r.dropped).toBeGreaterThan(0); // rows with age NA
    expect(r.sizes.reduce((a, b) => a + b, 0)).toBe(r.n);
    expect(r.candidates).toHaveLength(3);
    expect(r.centres[0]!.age).toBeGreaterThan(10); // original units, not z-scores
    expect(r.silhouette).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'seg.csv'), 'utf8').split('\n')[0]).toMatch(/^segment,size,share,gradyear/);
  });
});

describe('mkt survey report (real database)', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    await seedDemoSurveys(db.prisma);
    const runner = new SurveyRunner({ store: new PrismaSurveyStore(db.prisma) });
    for (let i = 0; i < 12; i++) {
      const id = (await db.prisma.customer.create({ data: {} })).id;
      await runner.start(id, 'nps', 'webchat');
      await runner.reply(id, 'nps', String(i % 11), 'webchat');
      if (i % 3) await runner.reply(id, 'nps', 'fine', 'webchat');
    }
  });
  afterAll(async () => db.close());

  it('writes the CSV export and a PNG chart', async () => {
    const env = { DATABASE_URL: db.url! };
    const csv = await runCli(
      ['survey', 'report', '--instrument', 'nps', '--format', 'csv', '--out', join(dir, 'nps.csv'), '--json'],
      env,
    );
    expect(csv.code).toBe(0);
    expect(JSON.parse(csv.stdout)).toMatchObject({ sessions: 12, nps: { n: 12 } });
    expect(readFileSync(join(dir, 'nps.csv'), 'utf8').trim().split('\n')).toHaveLength(13);
    const png = await runCli(
      ['survey', 'report', '--instrument', 'nps', '--format', 'png', '--out', join(dir, 'nps.png')],
      env,
    );
    expect(png.code).toBe(0);
    const img = decodePng(readFileSync(join(dir, 'nps.png')));
    expect(img.width).toBeGreaterThan(400);
    const missing = await runCli(
      ['survey', 'report', '--instrument', 'nope', '--format', 'csv', '--out', join(dir, 'x.csv')],
      env,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no instrument "nope" in the database \(available: .*nps/);
  });
});
