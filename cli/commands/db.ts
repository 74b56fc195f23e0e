import type { Command } from 'commander';
import { seedDemoData, wipeDatabase, withPlatform } from '../../server/index.js';
import { CliError, printResult } from '../output.js';

/** `mkt db migrate | seed | reset --yes`. */
export function register(program: Command): void {
  const db = program.command('db').description('database: migrate, seed demo data, reset');

  db.command('migrate')
    .description('apply pending migrations from prisma/migrations (idempotent)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      // A running server migrates at start; while it owns the embedded database there is nothing to do here.
      const instead = 'nothing: the running server applied the migrations when it started';
      const migrated = await withPlatform(
        { role: 'mkt db migrate', logLevel: 'warn', instead },
        async (p) => p.migrated,
      );
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
      // SEED_DEMO=true (the default) makes the server seed the same data at every start.
      const instead = 'restart the server with SEED_DEMO=true, which seeds at start';
      const steps = await withPlatform({ role: 'mkt db seed', logLevel: 'warn', instead }, seedDemoData);
      printResult({ seeded: steps }, opts.json, (r) =>
        r.seeded.length ? `seeded: ${r.seeded.join(', ')}` : 'nothing to seed',
      );
    });

  db.command('reset')
    .description('delete ALL data and recreate the schema (asks for --yes)')
    .option('--yes', 'confirm that every table may be dropped')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { yes?: boolean; json?: boolean }) => {
      if (!opts.yes) throw new CliError('db reset deletes all data: run it again with --yes to confirm');
      const options = { role: 'mkt db reset', logLevel: 'warn' as const, instead: 'stop the server first' };
      await withPlatform(options, ({ db }) => wipeDatabase(db));
      // Opened again: opening migrates, which recreates the schema.
      const migrated = await withPlatform(options, async (p) => p.migrated);
      printResult(
        { reset: true, applied: migrated.applied },
        opts.json,
        (r) => `database reset; applied ${r.applied.join(', ')}`,
      );
    });
}
