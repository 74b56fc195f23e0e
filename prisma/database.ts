import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from './generated/client.js';
import { DbError } from './errors.js';
import { pgliteRunner, pgRunner, type SqlScriptRunner } from './sql-runner.js';

/** Where the data lives: an embedded PGlite folder (or memory), or a PostgreSQL server. */
export type DatabaseTarget =
  { kind: 'pglite'; dir: string | 'memory' } | { kind: 'postgres'; url: string; pool?: PoolLimits };

/** Connection pool limits on PostgreSQL (defaults: 10 connections, 5 s wait for one). */
export interface PoolLimits {
  max: number;
  timeoutMs: number;
}

/** An open database: the Prisma client for the application and a script runner for migrations. */
export interface Database {
  readonly kind: DatabaseTarget['kind'];
  readonly prisma: PrismaClient;
  readonly runner: SqlScriptRunner;
  /** The node-postgres pool under Prisma, on PostgreSQL (for statements that bypass Prisma). */
  readonly pool?: pg.Pool;
  /** Cheap liveness probe used by readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Hides the password of a connection URL, for messages and logs. */
export function maskDatabaseUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]+:)[^@]*@/i, '$1***@');
}

/** Opens the database and checks that it answers; throws DbError DB_UNREACHABLE with a masked URL. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === 'pglite' ? openPglite(target.dir) : openPostgres(target.url, target.pool);
}

async function openPglite(dir: string | 'memory'): Promise<Database> {
  if (dir !== 'memory') mkdirSync(dir, { recursive: true });
  let db: PGlite;
  try {
    db = await PGlite.create(dir === 'memory' ? undefined : dir);
  } catch (error) {
    throw new DbError('DB_UNREACHABLE', `cannot open the embedded database in ${dir}: ${String(error)}`, {
      cause: error,
    });
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  return {
    kind: 'pglite',
    prisma,
    runner: pgliteRunner(db),
    ping: async () => {
      await db.query('SELECT 1');
    },
    close: async () => {
      await prisma.$disconnect();
      await db.close();
    },
  };
}

async function openPostgres(
  url: string,
  limits: PoolLimits = { max: 10, timeoutMs: 5_000 },
): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: limits.max,
    connectionTimeoutMillis: limits.timeoutMs,
  });
  // A broken idle connection must not crash the process; the next query reports the outage.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new DbError('DB_UNREACHABLE', `cannot reach PostgreSQL at ${maskDatabaseUrl(url)}: ${reason}`, {
      cause: error,
    });
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    kind: 'postgres',
    prisma,
    pool,
    runner: pgRunner(pool),
    ping: async () => {
      await pool.query('SELECT 1');
    },
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
