import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  defineJobs,
  JobsError,
  UnrecoverableJobError,
  type JobEvent,
  type JobQueue,
} from '../../jobs/index.js';

// One contract for every JobQueue implementation (in-process, BullMQ): same inputs, same outcomes.

/** Job definitions used by the contract: small backoffs so retries happen within a test. */
export const contractJobs = defineJobs({
  'test.echo': {
    description: 'records its payload',
    payload: z.object({ n: z.number().int(), tag: z.string().default('none') }),
    attempts: 1,
    backoffMs: 10,
    concurrency: 4,
  },
  'test.flaky': {
    description: 'fails a given number of times, then succeeds',
    payload: z.object({ key: z.string(), failTimes: z.number().int().min(0) }),
    attempts: 3,
    backoffMs: 60,
    concurrency: 1,
  },
  'test.slow': {
    description: 'sleeps',
    payload: z.object({ ms: z.number().int().min(0) }),
    attempts: 1,
    backoffMs: 10,
    concurrency: 2,
  },
  'test.idle': {
    description: 'never given a processor in the contract',
    payload: z.object({}),
    attempts: 1,
    backoffMs: 10,
    concurrency: 1,
  },
});

/** The contract's definition set. */
export type ContractJobs = typeof contractJobs;

/**
 * Polls until the predicate holds (or fails the test after `timeoutMs`: generous, since a loaded CI
 * machine running files in parallel is far slower than a quiet one; a passing wait ends at once).
 */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the JobQueue contract against one implementation. */
export function describeJobQueueContract(label: string, create: () => Promise<JobQueue<ContractJobs>>): void {
  describe(`JobQueue contract: ${label}`, () => {
    const open: Array<JobQueue<ContractJobs>> = [];
    const make = async () => {
      const queue = await create();
      open.push(queue);
      return queue;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((queue) => queue.close({ timeoutMs: 30_000 })));
    });

    it('runs an enqueued job with the validated payload and its context', async () => {
      const queue = await make();
      const seen: Array<{ payload: unknown; id: string; attempt: number }> = [];
      const events: JobEvent[] = [];
      queue.on((event) => events.push(event));
      await queue.process({
        'test.echo': async (payload, context) =>
          void seen.push({ payload, id: context.id, attempt: context.attempt }),
      });
      const result = await queue.enqueue('test.echo', { n: 7 }, { jobId: 'echo-7' });
      expect(result).toEqual({ id: 'test.echo/echo-7', buffered: false });
      await waitFor(() => events.some((e) => e.type === 'completed'), 30_000, 'completion');
      expect(seen).toEqual([{ payload: { n: 7, tag: 'none' }, id: 'test.echo/echo-7', attempt: 1 }]);
      expect(events.map((e) => [e.type, e.id])).toEqual([['completed', 'test.echo/echo-7']]);
    });

    it('rejects unknown names, invalid payloads and invalid ids with stable codes', async () => {
      const queue = await make();
      const code = (promise: Promise<unknown>) =>
        promise.then(
          () => 'resolved',
          (e: unknown) => (e instanceof JobsError ? e.code : String(e)),
        );
      expect(await code(queue.enqueue('nope' as 'test.echo', { n: 1 }))).toBe('JOB_UNKNOWN_NAME');
      expect(await code(queue.enqueue('test.echo', { n: 1.5 }))).toBe('JOB_INVALID_PAYLOAD');
      expect(await code(queue.enqueue('test.echo', { n: 1 }, { jobId: 'a:b' }))).toBe('JOB_INVALID_ID');
      expect(await code(queue.enqueue('test.echo', { n: 1 }, { jobId: '42' }))).toBe('JOB_INVALID_ID');
      expect(await code(queue.retry('test.echo/missing'))).toBe('JOB_NOT_FOUND');
      expect(await code(queue.discard('no-slash'))).toBe('JOB_NOT_FOUND');
    });

    it('runs a job id once however often it is enqueued, before and after completion', async () => {
      const queue = await make();
      let runs = 0;
      const first = await queue.enqueue('test.echo', { n: 1 }, { jobId: 'once' });
      const second = await queue.enqueue('test.echo', { n: 2 }, { jobId: 'once' });
      expect(second.id).toBe(first.id);
      await queue.process({ 'test.echo': async () => void (runs += 1) });
      await waitFor(() => runs === 1, 30_000, 'first run');
      await queue.enqueue('test.echo', { n: 3 }, { jobId: 'once' });
      await sleep(300);
      expect(runs).toBe(1);
    });

    it('retries with exponential backoff and completes', async () => {
      const queue = await make();
      const attempts: number[] = [];
      const events: JobEvent[] = [];
      queue.on((event) => events.push(event));
      await queue.process({
        'test.flaky': async (payload, context) => {
          attempts.push(Date.now());
          if (context.attempt <= payload.failTimes) throw new Error(`planned failure ${context.attempt}`);
        },
      });
      await queue.enqueue('test.flaky', { key: 'a', failTimes: 2 });
      await waitFor(() => events.some((e) => e.type === 'completed'), 30_000, 'completion');
      expect(attempts).toHaveLength(3);
      // backoff 60 ms, then 120 ms (a little slack for timer granularity)
      expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(50);
      expect(attempts[2]! - attempts[1]!).toBeGreaterThanOrEqual(110);
      expect(events.map((e) => `${e.type}:${e.attempt}`)).toEqual([
        'retrying:1',
        'retrying:2',
        'completed:3',
      ]);
      expect(await queue.failed()).toEqual([]);
    });

    it('lists a job that exhausted its attempts, retries it on demand and discards another', async () => {
      const queue = await make();
      const healed = new Set<string>();
      const events: JobEvent[] = [];
      queue.on((event) => events.push(event));
      await queue.process({
        'test.flaky': async (payload) => {
          if (!healed.has(payload.key)) throw new Error(`broken ${payload.key}`);
        },
      });
      const a = await queue.enqueue('test.flaky', { key: 'a', failTimes: 9 }, { jobId: 'job-a' });
      const b = await queue.enqueue('test.flaky', { key: 'b', failTimes: 9 }, { jobId: 'job-b' });
      await waitFor(async () => (await queue.failed()).length === 2, 30_000, 'two failed jobs');
      const failed = await queue.failed();
      expect(failed.map((job) => job.id).sort()).toEqual([a.id, b.id]);
      const jobA = failed.find((job) => job.id === a.id)!;
      expect(jobA).toMatchObject({
        name: 'test.flaky',
        attemptsMade: 3,
        reason: 'broken a',
        payload: { key: 'a', failTimes: 9 },
      });
      expect(jobA.failedAt).toBeInstanceOf(Date);
      expect(
        events
          .filter((e) => e.type === 'failed')
          .map((e) => e.id)
          .sort(),
      ).toEqual([a.id, b.id]);

      healed.add('a');
      await queue.retry(a.id);
      await waitFor(
        () => events.some((e) => e.type === 'completed' && e.id === a.id),
        10_000,
        'retried job to complete',
      );
      await queue.discard(b.id);
      expect(await queue.failed()).toEqual([]);
      await expect(queue.retry(a.id)).rejects.toMatchObject({ code: 'JOB_NOT_FAILED' });
      await expect(queue.discard(b.id)).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
    });

    it('fails an unrecoverable job without retrying', async () => {
      const queue = await make();
      let runs = 0;
      await queue.process({
        'test.flaky': async () => {
          runs += 1;
          throw new UnrecoverableJobError('record is gone');
        },
      });
      const { id } = await queue.enqueue('test.flaky', { key: 'x', failTimes: 0 });
      await waitFor(async () => (await queue.failed()).length === 1, 30_000, 'failed job');
      await sleep(200);
      expect(runs).toBe(1);
      expect((await queue.failed())[0]).toMatchObject({ id, attemptsMade: 1, reason: 'record is gone' });
    });

    it('keeps each job name within its concurrency', async () => {
      const queue = await make();
      let running = 0;
      let peak = 0;
      let done = 0;
      await queue.process({
        'test.slow': async (payload) => {
          running += 1;
          peak = Math.max(peak, running);
          await sleep(payload.ms);
          running -= 1;
          done += 1;
        },
      });
      for (let i = 0; i < 6; i++) await queue.enqueue('test.slow', { ms: 250 });
      await waitFor(() => done === 6, 30_000, 'six jobs');
      expect(peak).toBe(2);
    });

    it('counts waiting jobs of a name nobody processes', async () => {
      const queue = await make();
      for (let i = 0; i < 3; i++) await queue.enqueue('test.idle', {});
      await waitFor(async () => (await queue.counts())['test.idle']?.waiting === 3, 20_000, 'three waiting');
      const counts = await queue.counts();
      expect(counts['test.idle']).toEqual({ waiting: 3, active: 0, delayed: 0, failed: 0 });
      expect(Object.keys(counts).sort()).toEqual(Object.keys(contractJobs).sort());
    });

    it('drains running jobs on close and refuses new ones afterwards', async () => {
      const queue = await make();
      let finished = 0;
      let started = 0;
      await queue.process({
        'test.slow': async (payload) => {
          started += 1;
          await sleep(payload.ms);
          finished += 1;
        },
      });
      await queue.enqueue('test.slow', { ms: 400 });
      await waitFor(() => started === 1, 30_000, 'job start');
      await queue.close({ timeoutMs: 30_000 });
      expect(finished).toBe(1);
      await expect(queue.enqueue('test.slow', { ms: 1 })).rejects.toMatchObject({ code: 'JOB_QUEUE_CLOSED' });
    });
  });
}
