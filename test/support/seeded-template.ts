// One migrated and demo-seeded PostgreSQL database per test run, copied (CREATE DATABASE ...
// TEMPLATE) for each server process under test instead of letting every server migrate and seed an
// empty one: seeding the demo shop and its 400 respondents was about half of a server's start.
// The template is seeded the way a server seeds at start (server/seed.ts, with the field key every
// test process shares), and then given what a server does next on a fresh seed: the demo profiles
// (the profiles.recompute job it queues) and the product index (DATA_DIR/recsys, kept beside the
// template in templateDataDir and copied into each ground's DATA_DIR). So each server finds them and
// skips that work; both are built from exactly the template's data, and a server still rebuilds an
// index whose manifest does not match its encoder, parameters or catalog version. The run's global
// set-up (test/support/global-setup.ts) names the template in TEMPLATE_ENV and drops it at the end;
// the first test that needs it builds it, under an advisory lock so parallel files wait.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseUrl, withAdmin } from './db.js';
import { TEST_ENCRYPTION_KEY, TEST_TOKEN_SECRET } from './server-process.js';

/** Environment variable naming this run's template database (set by the global set-up). */
export const TEMPLATE_ENV = 'MKT_TEST_SEEDED_TEMPLATE';

/** A new template name for one run (PostgreSQL names are at most 63 bytes). */
export function newTemplateName(): string {
  return `mkt_tpl_${Date.now().toString(36)}_${process.pid}`;
}

/** The DATA_DIR of the template's server-side artifacts (its product index under `recsys/`). */
export function templateDataDir(name: string): string {
  return join(tmpdir(), `${name}-data`);
}

/** Builds the template once (other processes wait for the first); returns its name. */
export async function ensureSeededTemplate(name: string): Promise<string> {
  await withAdmin(async (admin) => {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    try {
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount) return;
      const building = `${name}_b`;
      await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${building}"`);
      // Written before the rename below: a template that exists has its data folder complete.
      await seedLikeAServer(databaseUrl(building), templateDataDir(name));
      // Renamed only once complete: a template that exists is a seeded one.
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
        building,
      ]);
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
    }
  });
  return name;
}

/** Drops the template (end of the run). */
export async function dropSeededTemplate(name: string): Promise<void> {
  await withAdmin(async (admin) => {
    for (const db of [name, `${name}_b`]) await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  });
  rmSync(templateDataDir(name), { recursive: true, force: true });
}

/**
 * Migrates and seeds `url` as `server/start.ts` does for a server process of the tests, computes the
 * demo profiles as the job it queues then does, and builds the product index into `dataDir`.
 */
async function seedLikeAServer(url: string, dataDir: string): Promise<void> {
  // Loaded here, by the one process that builds the template, not by every test importing this.
  const [{ default: pino }, { loadConfig }, { openPlatform }, { seedDemoData }, jobs] = await Promise.all([
    import('pino'),
    import('../../server/config.js'),
    import('../../server/platform.js'),
    import('../../server/seed.js'),
    import('../../server/job-processors.js'),
  ]);
  rmSync(dataDir, { recursive: true, force: true });
  const config = loadConfig({
    DATABASE_URL: url,
    DATA_DIR: dataDir,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    TOKEN_SECRET: TEST_TOKEN_SECRET,
  });
  const logger = pino({ level: 'warn' });
  const platform = await openPlatform({ role: 'test template', config, logger });
  try {
    await seedDemoData(platform);
    const encoder = await platform.encoder();
    const cipher = jobs.answerCipher(platform.security().cipher);
    await jobs.profilesRecomputeProcessor(
      platform.db,
      { encoder, cipher },
      logger,
    )({ reason: 'demo data seeded' });
    await platform.recsys();
  } finally {
    await platform.close();
  }
}
