import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DbError } from './errors.js';
import type { SqlScriptRunner } from './sql-runner.js';

/** Folder of the project's migrations, in Prisma's own layout. */
export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** One migration folder read from disk. */
export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

/** Reads `<dir>/<timestamp>_<name>/migration.sql`, sorted by name like Prisma does. */
export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  if (!existsSync(dir)) throw new DbError('DB_MIGRATIONS_MISSING', `migrations folder not found: ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

// Prisma's own bookkeeping table, so stock `prisma migrate deploy` agrees with what we applied.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

// The advisory lock key Prisma itself takes, so several starting processes never race.
const MIGRATION_LOCK_KEY = 72707369;

/** Outcome of applying migrations. */
export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies pending migrations, each in its own transaction: a failing migration is rolled back and
 * not recorded, so the database is never left half-migrated. Idempotent.
 *
 * Why not the schema engine's applyMigrations: it records a failed migration as started and leaves
 * its partial effects; this runner gives all-or-nothing per migration on both PGlite and Postgres.
 */
export async function applyMigrations(runner: SqlScriptRunner, dir = MIGRATIONS_DIR): Promise<MigrateResult> {
  const migrations = readMigrations(dir);
  const applied: string[] = [];
  let alreadyApplied = 0;
  for (const migration of migrations) {
    const done = await runner.transaction(async (tx) => {
      await tx.exec(CREATE_MIGRATIONS_TABLE);
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const rows = await tx.query<{ checksum: string }>(
        `SELECT checksum FROM "_prisma_migrations"
         WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        [migration.name],
      );
      if (rows.length > 0) return true;
      try {
        await tx.exec(migration.sql);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new DbError(
          'DB_MIGRATION_FAILED',
          `migration ${migration.name} failed and was rolled back: ${reason}`,
          {
            cause: error,
          },
        );
      }
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
         VALUES ($1, $2, now(), $3, now(), 1)`,
        [randomUUID(), migration.checksum, migration.name],
      );
      return false;
    });
    if (done) alreadyApplied += 1;
    else applied.push(migration.name);
  }
  return { applied, alreadyApplied };
}
