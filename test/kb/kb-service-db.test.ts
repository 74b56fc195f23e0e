import { mkdir, writeFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DEMO_HELP_CENTRE_DIR, KbService, seedDemoHelpCentre } from '../../kb/index.js';
import { createUseLiteEncoder, type SentenceEncoder } from '../../nlu/index.js';
import { createPrismaKbStore } from '../../prisma/repositories/index.js';
import { poolStatements } from '../../server/database.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { suiteTempDir } from '../support/temp-dir.js';

let encoder: SentenceEncoder;
beforeAll(async () => {
  encoder = await createUseLiteEncoder();
});
afterAll(() => encoder.dispose());

describe.each(['pglite', 'postgres'] as const)('KbService over the Prisma store (%s)', (kind) => {
  let db: TestDatabase;
  const tmp = suiteTempDir('kb-db-');
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(() => db.close());

  it('seeds the demo help centre once and answers shop questions with their source, refusing off-topic ones', async () => {
    const store = createPrismaKbStore(db.prisma);
    expect(await seedDemoHelpCentre(store)).toBe(7);
    expect(await seedDemoHelpCentre(store)).toBe(0);
    const service = new KbService(store, encoder);
    const kb = await service.current();
    expect(kb.gate?.calibratedOn).toBeGreaterThanOrEqual(30);
    const delivery = await service.ask('how many days does shipping to the UK take?', 'test');
    expect(delivery.answered).toBe(true);
    if (delivery.answered) {
      expect(delivery.title).toBe('Shipping and delivery');
      expect(delivery.source).toBe('https://northwind.example/help/shipping');
      expect(delivery.text).toMatch(/5 to 10 working days/);
    }
    const offTopic = await service.ask('who won the football world cup in 1998?', 'test');
    expect(offTopic.answered).toBe(false);
    const unanswered = await service.unanswered(7, 10);
    expect(unanswered.map((q) => q.text)).toEqual(['who won the football world cup in 1998?']);
    expect(await db.prisma.kbChunk.count()).toBeGreaterThan(7);
    expect(await db.prisma.kbVector.count()).toBeGreaterThan(20);
  });

  it('re-import updates changed documents, removes vanished ones, keeps failed files, and other processes rebuild', async () => {
    const dir = tmp.join('help');
    await mkdir(dir, { recursive: true });
    await writeFile(`${dir}/gift.md`, '# Gift cards\n\nGift cards are valid for two years.\n');
    await writeFile(`${dir}/loyalty.md`, '# Loyalty club\n\nMembers earn one point per dollar.\n');
    await writeFile(`${dir}/press.md`, '# Press\n\nContact press@northwind.example.\n');
    const a = new KbService(createPrismaKbStore(db.prisma), encoder);
    // A second process; on PostgreSQL it reads the version on the pool, as the server does.
    const pool = db.url ? new pg.Pool({ connectionString: db.url, max: 2 }) : undefined;
    onTestFinished(() => pool?.end());
    const b = new KbService(createPrismaKbStore(db.prisma, { sql: pool && poolStatements(pool) }), encoder);
    expect(await a.import(dir)).toMatchObject({ added: 3, updated: 0, removed: 0, skipped: [] });
    // What the other process ranks first (whether it clears the gate is the gate's tests' matter).
    const before = await b.lookup('how long is a gift card valid');
    expect(before.hits[0]?.docId).toBe('gift.md');

    await writeFile(
      `${dir}/gift.md`,
      '# Gift cards\n\nGift cards are valid for three years from purchase.\n',
    );
    await writeFile(`${dir}/press.md`, '---\ntitle: [broken\n---\n# Press\n');
    const { rm } = await import('node:fs/promises');
    await rm(`${dir}/loyalty.md`);
    const report = await a.import(dir);
    expect(report).toMatchObject({ added: 0, updated: 1, unchanged: 0, removed: 1 });
    expect(report.skipped).toEqual([
      { source: 'press.md', reason: expect.stringMatching(/front matter is not valid YAML/) },
    ]);
    const ids = (await a.list()).filter((d) => d.origin === dir).map((d) => [d.id, d.version]);
    expect(ids.sort()).toEqual([
      ['gift.md', 2],
      ['press.md', 1],
    ]);
    expect(await db.prisma.kbDocumentVersion.count({ where: { documentId: 'gift.md' } })).toBe(2);
    const after = await b.lookup('how long is a gift card valid');
    expect(after.hits[0]?.chunk.text).toMatch(/three years/);
    expect(await a.remove(dir)).toBe(2);
    expect(await a.remove('nothing-here')).toBe(0);
  });
});

it('the demo help centre folder ships with the product', () => {
  expect(DEMO_HELP_CENTRE_DIR).toMatch(/kb[\\/]demo[\\/]help-centre$/);
});
