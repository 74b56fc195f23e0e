import type { Command } from 'commander';
import { z } from 'zod';
import { adminTools, withPlatform, type Platform, type PrismaPrivacy } from '../../server/index.js';
import { CliError, printResult } from '../output.js';

const ZRole = z.enum(['admin', 'marketer', 'viewer']);

// The admin REST API of a running server (documented at /docs): what to use while it owns the data.
const ADMIN_API = '/api/admin/v1';

type AdminTools = Awaited<ReturnType<typeof adminTools>>;

/** Runs an admin action on the platform; while a server owns the embedded database, `instead` is suggested. */
async function withAdmin<T>(
  command: string,
  instead: string,
  work: (tools: AdminTools, platform: Platform) => Promise<T>,
): Promise<T> {
  return withPlatform({ role: `mkt ${command}`, logLevel: 'warn', instead }, async (platform) =>
    work(await adminTools(platform), platform),
  );
}

/** Runs a privacy action on an existing customer and audits it; unknown ids are a one-line error. */
async function withCustomer<T>(
  id: string,
  action: 'customer.export' | 'customer.delete',
  work: (privacy: PrismaPrivacy) => Promise<T>,
): Promise<T> {
  const [command, instead] =
    action === 'customer.export'
      ? ['customers export', `GET ${ADMIN_API}/customers/${id}/export on the running server`]
      : ['customers delete', `DELETE ${ADMIN_API}/customers/${id} on the running server`];
  return withAdmin(command, instead, async ({ privacy, audit }, { db }) => {
    const found = await db.prisma.customer.findUnique({ where: { id }, select: { id: true } });
    if (!found) throw new CliError(`no customer with id ${id}`);
    const result = await work(privacy);
    await audit.write({ actor: 'cli', action, target: id });
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
      const instead = `POST ${ADMIN_API}/api-keys on the running server (with an admin key)`;
      const created = await withAdmin('apikeys create', instead, async ({ apiKeys, audit }) => {
        const result = await apiKeys.create(name, role.data);
        await audit.write({
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
      const instead = `GET ${ADMIN_API}/api-keys on the running server`;
      const list = await withAdmin('apikeys list', instead, ({ apiKeys }) => apiKeys.list());
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
      const instead = `DELETE ${ADMIN_API}/api-keys/${id} on the running server (with an admin key)`;
      const revoked = await withAdmin('apikeys revoke', instead, async ({ apiKeys, audit }) => {
        const done = await apiKeys.revoke(id);
        if (done)
          await audit.write({
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
