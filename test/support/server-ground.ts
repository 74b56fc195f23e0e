// What a platform test's server process stands on: a fresh PostgreSQL database and a DATA_DIR with
// the warm NLU artifacts. One `close()` takes both down, so each test file does not repeat the same
// teardown. Under `vitest run` the database is a copy of the run's migrated, demo-seeded template
// with its profiles, and DATA_DIR gets the template's product index (seeded-template.ts), so the
// server skips that part of its start; elsewhere (benchmarks) it is empty and the server migrates
// and seeds it.
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Database } from '../../prisma/index.js';
import { createPostgresDatabase } from './db.js';
import { ensureSeededTemplate, TEMPLATE_ENV, templateDataDir } from './seeded-template.js';
import { newDataDir, removeDataDir } from './server-process.js';

/** A database and DATA_DIR for one server under test. */
export interface ServerGround {
  readonly databaseUrl: string;
  readonly dataDir: string;
  /** The test's own client on the database; opened on first use, i.e. after the server migrated it. */
  database(): Promise<Database>;
  /** Closes the client, drops the database and removes DATA_DIR. */
  close(): Promise<void>;
}

/**
 * Creates the database and DATA_DIR (`label` names the folder); `seeded: false` for a server started
 * with SEED_DEMO=false, which gets an empty database as before.
 */
export async function prepareServerGround(
  label: string,
  options: { seeded?: boolean } = {},
): Promise<ServerGround> {
  const template = options.seeded === false ? undefined : process.env[TEMPLATE_ENV];
  const postgres = await createPostgresDatabase(template && (await ensureSeededTemplate(template)));
  const dataDir = newDataDir(label);
  const templateRecsys = template && join(templateDataDir(template), 'recsys');
  if (templateRecsys && existsSync(templateRecsys))
    cpSync(templateRecsys, join(dataDir, 'recsys'), { recursive: true });
  let db: Promise<Database> | undefined;
  return {
    databaseUrl: postgres.url,
    dataDir,
    database: () => (db ??= openDatabase({ kind: 'postgres', url: postgres.url })),
    async close() {
      await (await db)?.close();
      await postgres.drop();
      removeDataDir(dataDir);
    },
  };
}
