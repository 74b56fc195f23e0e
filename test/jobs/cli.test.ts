import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { CliError } from '../../cli/output.js';
import { register } from '../../cli/commands/jobs.js';
import {
  createBullmqQueue,
  jobDefinitions,
  UnrecoverableJobError,
  type FailedJob,
} from '../../jobs/index.js';
import { createTestDatabase } from '../support/db.js';
import { waitFor } from './job-queue-contract.js';
import { deleteKeys, REDIS_URL, uniquePrefix } from './redis-support.js';

const repo = resolve(import.meta.dirname, '../..');
const tsx = resolve(repo, 'node_modules/.bin/tsx');

const prefixes: string[] = [];
afterAll(async () => {
  // BullMQ writes queue metadata asynchronously after construction; let those writes land first.
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const prefix of prefixes) await deleteKeys(REDIS_URL, prefix);
});

describe('mkt jobs', () => {
  // In-process through commander (spawning the CLI costs seconds per call on a busy machine);
  // the worker below runs as a real separate process.
  async function run(args: string[]): Promise<{ stdout: string; error?: Error }> {
    const program = new Command('mkt').exitOverride();
    register(program);
    let stdout = '';
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
    try {
      await program.parseAsync(['node', 'mkt', ...args]);
      return { stdout };
    } catch (error) {
      return { stdout, error: error as Error };
    } finally {
      process.stdout.write = write;
    }
  }

  it('lists failed jobs as JSON, retries one and discards another; bad input is a one-line CliError', async () => {
    const prefix = uniquePrefix('cli');
    prefixes.push(prefix);
    process.env.REDIS_URL = REDIS_URL;
    const queue = await createBullmqQueue({ definitions: jobDefinitions, redisUrl: REDIS_URL, prefix });
    let healthy = false;
    const delivered: string[] = [];
    await queue.process({
      'slack.notify': async (payload) => {
        if (!healthy) throw new UnrecoverableJobError('Slack token revoked');
        delivered.push(payload.text);
      },
    });
    const a = await queue.enqueue('slack.notify', { channel: 'C1', text: 'first' }, { jobId: 'notify-a' });
    const b = await queue.enqueue('slack.notify', { channel: 'C1', text: 'second' }, { jobId: 'notify-b' });
    await waitFor(async () => (await queue.failed()).length === 2, 30_000, 'two failed jobs');

    const listed = await run(['jobs', 'failed', '--json', '--prefix', prefix]);
    expect(listed.error).toBeUndefined();
    const jobs = JSON.parse(listed.stdout) as FailedJob[];
    expect(jobs.map((job) => job.id).sort()).toEqual([a.id, b.id]);
    expect(jobs[0]).toMatchObject({ name: 'slack.notify', reason: 'Slack token revoked', attemptsMade: 1 });

    healthy = true;
    expect(await run(['jobs', 'retry', a.id, '--prefix', prefix])).toEqual({ stdout: `retried ${a.id}\n` });
    await waitFor(() => delivered.length === 1, 30_000, 'retried job');
    expect(delivered).toEqual(['first']);
    expect(await run(['jobs', 'discard', b.id, '--json', '--prefix', prefix])).toEqual({
      stdout: `${JSON.stringify({ id: b.id, discarded: true }, null, 2)}\n`,
    });
    expect(await queue.failed()).toEqual([]);
    expect((await run(['jobs', 'failed', '--prefix', prefix])).stdout).toBe('no failed jobs\n');

    const missing = await run(['jobs', 'retry', 'slack.notify/nope', '--prefix', prefix]);
    expect(missing.error).toBeInstanceOf(CliError);
    expect(missing.error?.message).toBe('no job "slack.notify/nope"');
    const done = await run(['jobs', 'retry', a.id, '--prefix', prefix]);
    expect(done.error?.message).toBe(`job "${a.id}" is completed, not failed`);
    process.env.REDIS_URL = '';
    const noRedis = await run(['jobs', 'failed']);
    expect(noRedis.error).toBeInstanceOf(CliError);
    expect(noRedis.error?.message).toMatch(/^no REDIS_URL/);
    await queue.close();
  });

  it('runs a worker process that processes jobs and drains on SIGTERM', { timeout: 240_000 }, async () => {
    const prefix = uniquePrefix('worker');
    prefixes.push(prefix);
    const db = await createTestDatabase('postgres');
    try {
      const old = await db.prisma.conversation.create({ data: { channel: 'webchat', externalId: 'stale' } });
      await db.prisma
        .$executeRaw`UPDATE "Conversation" SET "updatedAt" = now() - interval '90 days' WHERE id = ${old.id}`;

      const child = spawn(tsx, ['cli/main.ts', 'worker', '--prefix', prefix], {
        cwd: repo,
        env: { ...process.env, REDIS_URL, DATABASE_URL: db.url, LOG_LEVEL: 'info' },
      });
      let stdout = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      const exited = new Promise<number | null>((done) => child.on('exit', done));
      await waitFor(() => stdout.includes('worker started'), 150_000, 'worker start');

      const producer = await createBullmqQueue({ definitions: jobDefinitions, redisUrl: REDIS_URL, prefix });
      await producer.enqueue('retention.purge', { retentionDays: 30 }, { jobId: 'purge-test' });
      await waitFor(
        async () => (await db.prisma.conversation.count({ where: { id: old.id } })) === 0,
        20_000,
        'purge by the worker',
      );
      await producer.close();

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const lines = stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { msg: string; role?: string });
      expect(lines.map((line) => line.msg)).toEqual(
        expect.arrayContaining(['worker started', 'retention purge done', 'job completed', 'worker stopped']),
      );
      expect(lines.every((line) => line.role === 'worker')).toBe(true);
    } finally {
      await db.close();
    }
  });
});
