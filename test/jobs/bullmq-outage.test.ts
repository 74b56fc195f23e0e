import { describe, expect, it } from 'vitest';
import { createBullmqQueue, type JobQueue } from '../../jobs/index.js';
import { contractJobs, waitFor, type ContractJobs } from './job-queue-contract.js';
import { suitePrivateRedis, uniquePrefix } from './redis-support.js';

// Redis outage with a private redis-server: the producer keeps accepting jobs (buffered locally),
// and once Redis is back every queued change is applied exactly once, thanks to the job ids.

describe('BullMQ queue through a Redis outage', () => {
  const privateRedis = suitePrivateRedis();

  it('buffers enqueues while Redis is down and applies each change exactly once after it returns', async () => {
    const redis = privateRedis.current;
    const prefix = uniquePrefix('outage');
    // Two queue handles, as in production: the server only enqueues, the worker only processes.
    const producer: JobQueue<ContractJobs> = await createBullmqQueue({
      definitions: contractJobs,
      redisUrl: redis.url,
      prefix,
      enqueueTimeoutMs: 300,
      flushIntervalMs: 100,
    });
    const worker: JobQueue<ContractJobs> = await createBullmqQueue({
      definitions: contractJobs,
      redisUrl: redis.url,
      prefix,
    });
    const applied: number[] = [];
    await worker.process({ 'test.echo': async (payload) => void applied.push(payload.n) });

    for (let n = 0; n < 5; n++)
      expect((await producer.enqueue('test.echo', { n }, { jobId: `change-${n}` })).buffered).toBe(false);
    await waitFor(() => applied.length === 5, 30_000, 'changes before the outage');

    // Redis stays down until every enqueue has returned, so each one returning at all shows it was
    // buffered instead of waiting for Redis (how fast is the benchmarks' business, not a test's).
    await redis.stop();
    const buffered: boolean[] = [];
    for (let n = 5; n < 25; n++)
      buffered.push((await producer.enqueue('test.echo', { n }, { jobId: `change-${n}` })).buffered);
    // the same change announced twice, and a change Redis already had: both must stay single
    await producer.enqueue('test.echo', { n: 7 }, { jobId: 'change-7' });
    await producer.enqueue('test.echo', { n: 3 }, { jobId: 'change-3' });
    expect(buffered.every(Boolean)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(applied).toHaveLength(5);

    await redis.start();
    await waitFor(() => applied.length >= 25, 60_000, 'buffered changes after the outage');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect([...applied].sort((a, b) => a - b)).toEqual([...Array(25).keys()]);

    await producer.close({ timeoutMs: 30_000 });
    await worker.close({ timeoutMs: 30_000 });
  });

  it('starts in buffering mode when Redis is down at start-up', async () => {
    const redis = privateRedis.current;
    await redis.stop();
    const prefix = uniquePrefix('outage-start');
    const producer = await createBullmqQueue({
      definitions: contractJobs,
      redisUrl: redis.url,
      prefix,
      connectTimeoutMs: 200,
      flushIntervalMs: 100,
    });
    const result = await producer.enqueue('test.echo', { n: 1 }, { jobId: 'early' });
    expect(result).toEqual({ id: 'test.echo/early', buffered: true });
    await redis.start();
    const worker = await createBullmqQueue({ definitions: contractJobs, redisUrl: redis.url, prefix });
    const applied: number[] = [];
    await worker.process({ 'test.echo': async (payload) => void applied.push(payload.n) });
    await waitFor(() => applied.length === 1, 60_000, 'the early job');
    expect(applied).toEqual([1]);
    await producer.close({ timeoutMs: 30_000 });
    await worker.close({ timeoutMs: 30_000 });
  });
});
