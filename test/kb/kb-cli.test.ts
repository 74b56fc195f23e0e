import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { suiteTempDir } from '../support/temp-dir.js';

describe('mkt kb import | list | ask | unanswered | remove (PostgreSQL)', () => {
  let db: TestDatabase;
  const tmp = suiteTempDir('kb-cli-');
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
  });
  afterAll(() => db.close());

  it('manages the knowledge base from the command line', async () => {
    const env = { DATABASE_URL: db.url! };
    await writeFile(
      tmp.join('faq.csv'),
      'id,question,answer\nship,How long does delivery take?,"Parcels arrive in 3 to 5 working days."\npay,Which payment methods do you accept?,"Visa, Mastercard and PayPal."\n',
    );
    const imported = await runCli(['kb', 'import', tmp.join('faq.csv'), '--json'], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ added: 2, removed: 0, skipped: [] });

    const listed = await runCli(['kb', 'list'], env);
    expect(listed.stdout).toContain('faq:ship  [faq] How long does delivery take?');

    const asked = await runCli(['kb', 'ask', 'can I pay with paypal', '--json'], env);
    expect(asked.code, asked.stderr).toBe(0);
    expect(JSON.parse(asked.stdout)).toMatchObject({ answered: true, text: 'Visa, Mastercard and PayPal.' });

    const bad = await runCli(['kb', 'import', tmp.join('missing.md')], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/missing\.md: cannot read/);

    const removed = await runCli(['kb', 'remove', tmp.join('faq.csv')], env);
    expect(removed.stdout).toBe('removed 2 document(s)\n');
    expect((await runCli(['kb', 'list'], env)).stdout).toBe('the knowledge base is empty\n');
    const unanswered = await runCli(['kb', 'unanswered', '--json'], env);
    expect(JSON.parse(unanswered.stdout)).toEqual([]);
  }, 300_000); // seven CLI processes, each loading Prisma (and one the encoder)
});
