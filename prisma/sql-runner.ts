import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';

/** Runs SQL scripts on the raw driver, below Prisma: migrations need multi-statement scripts,
 * which Prisma's raw queries (prepared statements) cannot run. */
export interface SqlScriptRunner {
  /** Runs `work` in one transaction; any throw rolls everything back. */
  transaction<T>(work: (tx: SqlTx) => Promise<T>): Promise<T>;
}

/** The statements available inside a runner transaction. */
export interface SqlTx {
  /** Runs a script of one or more statements (simple query protocol, no parameters). */
  exec(script: string): Promise<void>;
  /** Runs one parameterised statement and returns its rows. */
  query<R extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

/** Script runner over an embedded PGlite instance. */
export function pgliteRunner(db: PGlite): SqlScriptRunner {
  return {
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          exec: async (script) => {
            await tx.exec(script);
          },
          query: async <R extends Record<string, unknown>>(sql: string, params?: unknown[]) =>
            (await tx.query<R>(sql, params)).rows,
        }),
      ),
  };
}

/** Script runner over a node-postgres pool (one client per transaction). */
export function pgRunner(pool: pg.Pool): SqlScriptRunner {
  return {
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work({
          exec: async (script) => {
            await client.query(script);
          },
          query: async <R extends Record<string, unknown>>(sql: string, params?: unknown[]) =>
            (await client.query(sql, params)).rows as R[],
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}
