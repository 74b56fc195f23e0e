import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { applyMigrations, openDatabase, type Database } from '../../prisma/index.js';

/** Admin connection used to create and drop per-test databases (never the shared `test` database). */
export const POSTGRES_ADMIN_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** A fresh, migrated database for one test file. */
export interface TestDatabase extends Database {
  /** Connection URL (Postgres only), for child processes such as the CLI. */
  readonly url?: string;
}

/** Creates a fresh migrated database: in-memory PGlite, or a new Postgres database dropped on close. */
export async function createTestDatabase(kind: 'pglite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const db = await openDatabase({ kind: 'pglite', dir: 'memory' });
    await applyMigrations(db.runner);
    return db;
  }
  const empty = await createEmptyPostgresDatabase();
  const db = await openDatabase({ kind: 'postgres', url: empty.url });
  await applyMigrations(db.runner);
  return {
    ...db,
    url: empty.url,
    close: async () => {
      await db.close();
      await empty.drop();
    },
  };
}

/** Creates an empty Postgres database (no migrations) and returns its URL and a dropper. */
export async function createEmptyPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  return createPostgresDatabase();
}

/** Creates a Postgres database, empty or a copy of `template`; returns its URL and a dropper. */
export async function createPostgresDatabase(
  template?: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `mkt_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) =>
    client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`),
  );
  return { url: databaseUrl(name), drop: () => dropPostgresDatabase(name) };
}

/** Connection URL of database `name` on the test server. */
export function databaseUrl(name: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropPostgresDatabase(name: string): Promise<void> {
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** Runs `work` on a connection to the server's admin database. */
export async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
