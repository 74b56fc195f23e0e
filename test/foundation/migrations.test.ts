import { mkdtempSync, mkdirSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  applyMigrations,
  DbError,
  MIGRATIONS_DIR,
  openDatabase,
  readMigrations,
  type Database,
} from '../../prisma/index.js';
import { diffMigrationsToSchema, isEmptyMigration } from '../../prisma/schema-engine.js';
import { createEmptyPostgresDatabase } from '../support/db.js';

// Replaying every migration in the wasm schema engine is CPU-bound: 70 s was seen at load 8-21
// on two cores, past the suite's default; the drift tests get room for a loaded CI machine.
const DRIFT_TIMEOUT_MS = 300_000;

describe('schema drift', { timeout: DRIFT_TIMEOUT_MS }, () => {
  it('replaying prisma/migrations gives exactly schema.prisma (the engine diff is empty)', async () => {
    const diff = await diffMigrationsToSchema();
    expect(
      isEmptyMigration(diff),
      `schema.prisma and prisma/migrations differ; run npm run db:migration -- NAME\n${diff}`,
    ).toBe(true);
  });

  it('notices when the schema gains a model the migrations lack', async () => {
    const { readFileSync } = await import('node:fs');
    const { SCHEMA_PATH } = await import('../../prisma/schema-engine.js');
    const schema = `${readFileSync(SCHEMA_PATH, 'utf8')}\nmodel DriftProbe {\n  id Int @id\n}\n`;
    const diff = await diffMigrationsToSchema(schema);
    expect(diff).toContain('CREATE TABLE "DriftProbe"');
  });
});

// A copy of the real migrations plus one that fails half-way, to prove all-or-nothing behaviour.
function migrationsWithBrokenOne(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mkt-migrations-'));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  mkdirSync(join(dir, '29990101000000_broken'));
  writeFileSync(
    join(dir, '29990101000000_broken', 'migration.sql'),
    'CREATE TABLE "HalfDone" ("id" INT PRIMARY KEY);\n-- a ; inside a comment must not split the script\nINSERT INTO "NoSuchTable" VALUES (1);\n',
  );
  return dir;
}

async function tableExists(db: Database, name: string): Promise<boolean> {
  const rows = await db.prisma.$queryRaw<
    Array<{ n: bigint }>
  >`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = ${name}`;
  return Number(rows[0]?.n ?? 0) > 0;
}

async function recorded(db: Database): Promise<string[]> {
  const rows = await db.prisma.$queryRaw<
    Array<{ migration_name: string }>
  >`SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`;
  return rows.map((r) => r.migration_name);
}

describe.each(['pglite', 'postgres'] as const)('applying migrations on %s', (kind) => {
  let db: Database;
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it('applies every migration once, records it in Prisma format, and is idempotent', async () => {
    if (kind === 'pglite') db = await openDatabase({ kind: 'pglite', dir: 'memory' });
    else {
      const empty = await createEmptyPostgresDatabase();
      drop = empty.drop;
      db = await openDatabase({ kind: 'postgres', url: empty.url });
    }
    const names = readMigrations().map((m) => m.name);
    const first = await applyMigrations(db.runner);
    expect(first.applied).toEqual(names);
    expect(await recorded(db)).toEqual(names);
    const second = await applyMigrations(db.runner);
    expect(second).toEqual({ applied: [], alreadyApplied: names.length });
    const product = await db.prisma.product.create({
      data: { sku: 'T-1', name: 'Test', category: 'test', price: '9.99' },
    });
    expect(product.price.toString()).toBe('9.99');
  });

  it('rolls a failing migration back completely and does not record it', async () => {
    const dir = migrationsWithBrokenOne();
    const error = await applyMigrations(db.runner, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).code).toBe('DB_MIGRATION_FAILED');
    expect((error as DbError).message).toContain('29990101000000_broken');
    expect(await tableExists(db, 'HalfDone')).toBe(false);
    expect(await recorded(db)).not.toContain('29990101000000_broken');
  });
});
