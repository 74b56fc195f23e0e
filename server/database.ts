import type pg from 'pg';
import { applyMigrations, openDatabase, type Database, type MigrateResult } from '../prisma/index.js';
import type { Config } from './config.js';
import type { SqlStatementRunner } from '../prisma/repositories/index.js';

/** The server's database: Prisma for everything, plus the pool's direct path and load on PostgreSQL. */
export interface ServerDatabase extends Database {
  /**
   * The chat's hot statements straight on the pool as named prepared statements (each connection
   * parses and plans them once), below Prisma's per-query interpretation. PostgreSQL only; callers
   * fall back to Prisma's raw queries without it.
   */
  readonly sql?: SqlStatementRunner;
  /** True while more queries wait for a pooled connection than the configured limit. */
  overloaded(): boolean;
  /** Pool figures for metrics and diagnosis (zeros on the embedded database). */
  poolStats(): { total: number; idle: number; waiting: number; max: number };
}

/** Opens the configured database (embedded PGlite or PostgreSQL with the configured pool). */
export async function openConfiguredDatabase(config: Config): Promise<ServerDatabase> {
  const { maxWaiting, chatStatementTimeoutMs, ...limits } = config.pool;
  const db = await openDatabase(
    config.database.kind === 'pglite' ? config.database : { ...config.database, pool: limits },
  );
  const pool = db.pool;
  if (!pool) {
    return { ...db, overloaded: () => false, poolStats: () => ({ total: 0, idle: 0, waiting: 0, max: 0 }) };
  }
  return {
    ...db,
    sql: poolStatements(pool, chatStatementTimeoutMs),
    overloaded: () => pool.waitingCount > maxWaiting,
    poolStats: () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max: limits.max,
    }),
  };
}

/**
 * Named prepared statements on a node-postgres pool (see ServerDatabase.sql). A statement without
 * an answer after `timeoutMs` fails with pg's "Query read timeout" and its connection is dropped.
 */
export function poolStatements(pool: pg.Pool, timeoutMs?: number): SqlStatementRunner {
  return async <R>(statement: { name: string; text: string }, values: readonly unknown[]) =>
    (
      await pool.query({
        name: statement.name,
        text: statement.text,
        values: [...values],
        ...(timeoutMs ? { query_timeout: timeoutMs } : {}),
      })
    ).rows as R[];
}

/** Opens the configured database and applies pending migrations. */
export async function openMigratedDatabase(
  config: Config,
): Promise<{ db: ServerDatabase; migrated: MigrateResult }> {
  const db = await openConfiguredDatabase(config);
  try {
    return { db, migrated: await applyMigrations(db.runner) };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

/** Drops every table of the configured database (the schema is recreated by migrating again). */
export async function wipeDatabase(db: Database): Promise<void> {
  await db.runner.transaction((tx) => tx.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;'));
}
