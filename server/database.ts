import { applyMigrations, openDatabase, type Database, type MigrateResult } from '../prisma/index.js';
import type { Config } from './config.js';

/** Opens the configured database (embedded PGlite or PostgreSQL). */
export function openConfiguredDatabase(config: Config): Promise<Database> {
  return openDatabase(config.database);
}

/** Opens the configured database and applies pending migrations. */
export async function openMigratedDatabase(
  config: Config,
): Promise<{ db: Database; migrated: MigrateResult }> {
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
