import type { Command } from 'commander';
import { loadConfig } from '../../server/config.js';
import { openMigratedDatabase, wipeDatabase } from '../../server/database.js';
import { createSecureLogger } from '../../server/security/index.js';
import { seedDemoData } from '../../server/seed.js';
import { CliError, printResult } from '../output.js';

/** `mkt db migrate | seed | reset --yes`. */
export function register(program: Command): void {
  const db = program.command('db').description('database: migrate, seed demo data, reset');

  db.command('migrate')
    .description('apply pending migrations from prisma/migrations (idempotent)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { db: database, migrated } = await openMigratedDatabase(loadConfig());
      await database.close();
      printResult(migrated, opts.json, (r) =>
        r.applied.length
          ? `applied ${r.applied.join(', ')}`
          : `up to date (${r.alreadyApplied} migrations applied before)`,
      );
    });

  db.command('seed')
    .description('load the demo catalog, surveys and NLU training data (skips what is already there)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const config = loadConfig();
      const { db: database } = await openMigratedDatabase(config);
      try {
        const steps = await seedDemoData({
          config,
          db: database,
          logger: createSecureLogger({ level: 'warn' }),
        });
        printResult({ seeded: steps }, opts.json, (r) =>
          r.seeded.length ? `seeded: ${r.seeded.join(', ')}` : 'nothing to seed',
        );
      } finally {
        await database.close();
      }
    });

  db.command('reset')
    .description('delete ALL data and recreate the schema (asks for --yes)')
    .option('--yes', 'confirm that every table may be dropped')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { yes?: boolean; json?: boolean }) => {
      if (!opts.yes) throw new CliError('db reset deletes all data: run it again with --yes to confirm');
      const config = loadConfig();
      const { db: first } = await openMigratedDatabase(config);
      await wipeDatabase(first);
      await first.close();
      const { db: database, migrated } = await openMigratedDatabase(config);
      await database.close();
      printResult(
        { reset: true, applied: migrated.applied },
        opts.json,
        (r) => `database reset; applied ${r.applied.join(', ')}`,
      );
    });
}
