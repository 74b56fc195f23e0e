import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandModules, modulesFor } from '../../cli/commands/index.js';
import { CLI_TEST_TIMEOUT_MS, runCli } from '../support/cli.js';

describe('mkt CLI', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('lists its commands with --help', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['db', 'serve']) expect(run.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  it('each command module registers exactly the top-level names the lazy loader routes to it', async () => {
    for (const entry of commandModules) {
      const program = new Command('mkt');
      (await entry.load()).register(program);
      expect(program.commands.map((c) => c.name()).sort()).toEqual([...entry.names].sort());
      for (const name of entry.names) expect(modulesFor([name, '--json'])).toEqual([entry]);
    }
    expect(modulesFor(['--help'])).toBe(commandModules);
    expect(modulesFor(['no-such-command'])).toBe(commandModules);
  }, 120_000);

  it('an unknown command is reported with the help hint and exit code 1', async () => {
    const run = await runCli(['no-such-command']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("unknown command 'no-such-command'");
  });

  it('db migrate and db seed are idempotent and print JSON', async () => {
    const env = { DATA_DIR: mkdtempSync(join(tmpdir(), 'mkt-cli-')) };
    const first = await runCli(['db', 'migrate', '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).applied.length).toBeGreaterThan(0);
    const second = await runCli(['db', 'migrate', '--json'], env);
    expect(JSON.parse(second.stdout)).toMatchObject({ applied: [] });

    const seeded = await runCli(['db', 'seed', '--json'], env);
    expect(seeded.code, seeded.stderr).toBe(0);
    const steps = JSON.parse(seeded.stdout).seeded as string[];
    expect(steps.some((s) => /^catalog \(\d{3,} products/.test(s))).toBe(true);
    expect(steps.some((s) => s.startsWith('surveys ('))).toBe(true);
    const again = await runCli(['db', 'seed', '--json'], env);
    expect(JSON.parse(again.stdout)).toEqual({ seeded: [] });
  }, 300_000);

  it('db reset refuses without --yes, with one line and exit code 1', async () => {
    const run = await runCli(['db', 'reset'], { DATA_DIR: mkdtempSync(join(tmpdir(), 'mkt-cli-')) });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('error: db reset deletes all data: run it again with --yes to confirm');
  });

  it('an unreachable database gives a clear message with the password masked', async () => {
    const run = await runCli(['db', 'migrate'], {
      DATABASE_URL: 'postgresql://shop:hunter2@127.0.0.1:1/shop',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot reach PostgreSQL at postgresql://shop:***@127.0.0.1:1/shop');
    expect(run.stderr).not.toContain('hunter2');
  });

  it('bad configuration stops with one line naming the variable', async () => {
    const run = await runCli(['db', 'migrate'], { PORT: 'abc' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('PORT');
  });
});
