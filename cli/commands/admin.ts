import type { Command } from 'commander';
import { z } from 'zod';
import type { Database } from '../../prisma/index.js';
import { loadConfig, type Config } from '../../server/config.js';
import { openMigratedDatabase } from '../../server/database.js';
import {
  createApiKeyStore,
  createFieldSecurity,
  createPrismaAuditWriter,
  createSecureLogger,
} from '../../server/security/index.js';
import { CliError, printResult } from '../output.js';
import type { PrismaPrivacy } from '../../prisma/repositories/index.js';

const ZRole = z.enum(['admin', 'marketer', 'viewer']);

async function withDatabase<T>(work: (db: Database, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const { db } = await openMigratedDatabase(config);
  try {
    return await work(db, config);
  } finally {
    await db.close();
  }
}

/** Runs a privacy action on an existing customer and audits it; unknown ids are a one-line error. */
async function withCustomer<T>(
  id: string,
  action: string,
  work: (privacy: PrismaPrivacy) => Promise<T>,
): Promise<T> {
  return withDatabase(async (db, config) => {
    const { createPrivacy } = await import('../../server/privacy.js');
    const security = createFieldSecurity(config, {
      logger: createSecureLogger({ level: 'warn' }),
      previousKeys: config.ENCRYPTION_PREVIOUS_KEYS,
    });
    const found = await db.prisma.customer.findUnique({ where: { id }, select: { id: true } });
    if (!found) throw new CliError(`no customer with id ${id}`);
    const result = await work(createPrivacy(db.prisma, security.cipher));
    await createPrismaAuditWriter(db.prisma).write({ actor: 'cli', action, target: id });
    return result;
  });
}

/** `mkt apikeys create | list | revoke` and `mkt customers export | delete` (GDPR). */
export function register(program: Command): void {
  const keys = program
    .command('apikeys')
    .description('API keys of the admin REST API (/api/admin/v1, documented at /docs)');

  keys
    .command('create <name>')
    .description('create a key; it is shown once, only its hash is stored')
    .requiredOption('--role <role>', 'admin, marketer or viewer')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, opts: { role: string; json?: boolean }) => {
      const role = ZRole.safeParse(opts.role);
      if (!role.success) throw new CliError(`--role must be admin, marketer or viewer, got "${opts.role}"`);
      if (!/^[\w .@-]{1,100}$/.test(name))
        throw new CliError('the key name may use letters, digits, spaces and . @ _ - (1-100 characters)');
      const created = await withDatabase(async (db) => {
        const result = await createApiKeyStore(db.prisma).create(name, role.data);
        await createPrismaAuditWriter(db.prisma).write({
          actor: 'cli',
          action: 'apikey.create',
          target: result.summary.id,
          detail: { name, role: role.data },
        });
        return result;
      });
      printResult({ key: created.key, ...created.summary }, opts.json, (r) =>
        [
          `created ${r.role} key "${r.name}" (${r.id})`,
          `key: ${r.key}`,
          'store it now: it cannot be shown again',
        ].join('\n'),
      );
    });

  keys
    .command('list')
    .description('list keys (never the keys themselves)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await withDatabase((db) => createApiKeyStore(db.prisma).list());
      printResult(list, opts.json, (rows) =>
        rows.length === 0
          ? 'no API keys; create one with: npx mkt apikeys create NAME --role admin'
          : rows
              .map(
                (k) =>
                  `${k.id}  ${k.prefix}…  ${k.role.padEnd(8)} ${k.name}${k.revokedAt ? '  (revoked)' : ''}`,
              )
              .join('\n'),
      );
    });

  keys
    .command('revoke <id>')
    .description('revoke a key by id')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const revoked = await withDatabase(async (db) => {
        const done = await createApiKeyStore(db.prisma).revoke(id);
        if (done)
          await createPrismaAuditWriter(db.prisma).write({
            actor: 'cli',
            action: 'apikey.revoke',
            target: id,
          });
        return done;
      });
      if (!revoked) throw new CliError(`no active API key with id ${id}`);
      printResult({ id, revoked: true }, opts.json, () => `revoked ${id}`);
    });

  const customers = program
    .command('customers')
    .description("customers' personal data: export and erasure (GDPR)");

  customers
    .command('export <id>')
    .description('print everything stored about a customer as JSON (decrypted)')
    .action(async (id: string) => {
      const data = await withCustomer(id, 'customer.export', (privacy) => privacy.exportData(id));
      printResult(data, true, () => '');
    });

  customers
    .command('delete <id>')
    .description('delete a customer and everything hanging off it (asks for --yes)')
    .option('--yes', 'confirm the erasure')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, opts: { yes?: boolean; json?: boolean }) => {
      if (!opts.yes)
        throw new CliError(
          'customers delete erases all data of the customer: run it again with --yes to confirm',
        );
      await withCustomer(id, 'customer.delete', (privacy) => privacy.forget(id));
      printResult({ id, deleted: true }, opts.json, () => `deleted customer ${id} and all their data`);
    });
}
