import type { Command } from 'commander';
import { z } from 'zod';
import type { Database } from '../../prisma/index.js';
import { withPlatform } from '../../server/index.js';
import { CliError, printResult } from '../output.js';

const ZRole = z.enum(['admin', 'marketer', 'viewer']);

/** Runs `command` on the platform; while a server owns the embedded database, `instead` is suggested. */
async function withDatabase<T>(
  command: string,
  instead: string,
  work: (db: Database) => Promise<T>,
): Promise<T> {
  return withPlatform({ role: `mkt ${command}`, logLevel: 'warn', instead }, ({ db }) => work(db));
}

const STOP_FIRST = 'stop the server first (the demo data and roles live in its embedded database)';

/** `mkt demo remove` and `mkt roles list | add | remove` (Slack members' roles, audited). */
export function register(program: Command): void {
  const demo = program.command('demo').description('the simulated demo respondents and segments');
  demo
    .command('remove')
    .description(
      'delete every demo customer (sessions, orders, chats) and demo segment; the start-up seed then stays away',
    )
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { removeDemoRespondents } = await import('../../prisma/repositories/index.js');
      const result = await withDatabase('demo remove', STOP_FIRST, (db) =>
        removeDemoRespondents(db.prisma, 'cli'),
      );
      printResult(
        result,
        opts.json,
        (r) => `removed ${r.customers} demo customers and ${r.segments} demo segments`,
      );
    });

  const roles = program.command('roles').description('roles of Slack members (admin, marketer, viewer)');
  roles
    .command('list')
    .option('--team <team>', 'one workspace only')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { team?: string; json?: boolean }) => {
      const { PrismaMemberRoles } = await import('../../prisma/repositories/index.js');
      const list = await withDatabase('roles list', STOP_FIRST, (db) =>
        new PrismaMemberRoles(db.prisma).list(opts.team),
      );
      printResult(list, opts.json, (r) =>
        r.length ? r.map((m) => `${m.teamId}:${m.userId} ${m.role}`).join('\n') : 'no members with a role',
      );
    });
  roles
    .command('add <team> <user> <role>')
    .description('give a Slack member (team id, user id) a role')
    .option('--json', 'print the result as JSON')
    .action(async (team: string, user: string, role: string, opts: { json?: boolean }) => {
      const parsed = ZRole.safeParse(role);
      if (!parsed.success) throw new CliError(`role must be admin, marketer or viewer, got "${role}"`);
      if (!/^[A-Z0-9]+$/.test(team) || !/^[A-Z0-9]+$/.test(user))
        throw new CliError('team and user are Slack ids such as T0123 and U0456');
      const { PrismaMemberRoles } = await import('../../prisma/repositories/index.js');
      const r = await withDatabase('roles add', STOP_FIRST, (db) =>
        new PrismaMemberRoles(db.prisma).set(team, user, parsed.data, 'cli'),
      );
      printResult(r, opts.json, (x) => `${x.teamId}:${x.userId} is now ${x.role}`);
    });
  roles
    .command('remove <team> <user>')
    .option('--json', 'print the result as JSON')
    .action(async (team: string, user: string, opts: { json?: boolean }) => {
      const { PrismaMemberRoles } = await import('../../prisma/repositories/index.js');
      const removed = await withDatabase('roles remove', STOP_FIRST, (db) =>
        new PrismaMemberRoles(db.prisma).remove(team, user, 'cli'),
      );
      printResult({ removed }, opts.json, (r) =>
        r.removed ? `${team}:${user} no longer has a role` : `${team}:${user} had no role`,
      );
    });
}
