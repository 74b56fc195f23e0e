import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { messageCipher } from '../../server/privacy.js';
import { createApiKeyStore, createFieldSecurity, createSecureLogger } from '../../server/security/index.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

describe('mkt apikeys and mkt customers (on PostgreSQL)', () => {
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    env = { DATABASE_URL: db.url, ENCRYPTION_KEY: 'a'.repeat(64) };
  });
  afterAll(async () => db?.close());

  it('creates a key shown once, stores only its hash, lists and revokes it, and audits each step', async () => {
    const created = await runCli(['apikeys', 'create', 'ops team', '--role', 'marketer', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    const key = JSON.parse(created.stdout) as { key: string; id: string; role: string };
    expect(key.role).toBe('marketer');
    const principal = await createApiKeyStore(db.prisma).verify(key.key);
    expect(principal).toMatchObject({ id: key.id, role: 'marketer', name: 'ops team' });
    const stored = await db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(stored.hash).not.toContain(key.key);

    const listed = await runCli(['apikeys', 'list', '--json'], env);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id: key.id, role: 'marketer' })]);
    expect(listed.stdout).not.toContain(key.key);

    expect((await runCli(['apikeys', 'revoke', key.id], env)).code).toBe(0);
    expect(await createApiKeyStore(db.prisma).verify(key.key)).toBeUndefined();
    const again = await runCli(['apikeys', 'revoke', key.id], env);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe(`error: no active API key with id ${key.id}`);

    const audit = await db.prisma.auditLog.findMany({
      where: { actor: 'cli' },
      orderBy: { createdAt: 'asc' },
    });
    expect(audit.map((a) => a.action)).toEqual(['apikey.create', 'apikey.revoke']);
  }, 240_000);

  it('rejects a bad role with one line', async () => {
    const run = await runCli(['apikeys', 'create', 'x', '--role', 'root'], env);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('error: --role must be admin, marketer or viewer, got "root"');
  }, 120_000);

  it('exports and deletes a customer with everything hanging off it', async () => {
    const config = loadConfig(env);
    const security = createFieldSecurity(config, { logger: createSecureLogger({ level: 'silent' }) });
    const customer = await db.prisma.customer.create({
      data: {
        externalRef: 'gdpr-1',
        consents: { create: { purpose: 'marketing', granted: true, source: 'test' } },
        conversations: {
          create: {
            channel: 'webchat',
            externalId: 'conv-gdpr-1',
            // stored encrypted, as the chat stores it; the export must show it decrypted
            messages: {
              create: { direction: 'user', text: messageCipher(security.cipher).encrypt('my size is 42') },
            },
          },
        },
      },
    });
    const exported = await runCli(['customers', 'export', customer.id], env);
    expect(exported.code, exported.stderr).toBe(0);
    const data = JSON.parse(exported.stdout) as { customerId: string; consents: Array<{ purpose: string }> };
    expect(data.customerId).toBe(customer.id);
    expect(data.consents.map((c) => c.purpose)).toEqual(['marketing']);
    expect(JSON.stringify(data)).toContain('my size is 42');

    const refused = await runCli(['customers', 'delete', customer.id], env);
    expect(refused.code).toBe(1);
    expect(await db.prisma.customer.count({ where: { id: customer.id } })).toBe(1);

    const deleted = await runCli(['customers', 'delete', customer.id, '--yes', '--json'], env);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(await db.prisma.customer.count({ where: { id: customer.id } })).toBe(0);
    expect(await db.prisma.conversation.count({ where: { externalId: 'conv-gdpr-1' } })).toBe(0);
    expect(await db.prisma.consent.count({ where: { customerId: customer.id } })).toBe(0);

    const unknown = await runCli(['customers', 'export', customer.id], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`no customer with id ${customer.id}`);
  }, 240_000);
});
