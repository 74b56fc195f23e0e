import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { JobDefinitions } from './definitions.js';
import { JobsError, UnrecoverableJobError } from './errors.js';
import { silentLogger, type JobsLogger } from './logger.js';
import { Outbox } from './outbox.js';
import {
  errorMessage,
  jobEvents,
  parsePublicJobId,
  prepareEnqueue,
  processorsOf,
  publicJobId,
  type EnqueueOptions,
  type EnqueueResult,
  type FailedJob,
  type JobCounts,
  type JobProcessor,
  type JobQueue,
  type ProcessorMap,
} from './queue.js';

/** Options of the BullMQ (Redis) queue. */
export interface BullmqQueueOptions<D extends JobDefinitions> {
  definitions: D;
  redisUrl: string;
  /** Redis key prefix; one per deployment (tests use a unique one per run) */
  prefix?: string;
  logger?: JobsLogger;
  /** an enqueue that Redis has not confirmed within this time goes to the local outbox */
  enqueueTimeoutMs?: number;
  /** most jobs buffered locally during a Redis outage */
  outboxLimit?: number;
  /** how often the outbox retries while Redis is away */
  flushIntervalMs?: number;
  /** how long finished job ids are remembered, so a repeated enqueue stays a no-op */
  keepCompletedSeconds?: number;
  /** how long creation waits for Redis before starting in buffering mode */
  connectTimeoutMs?: number;
}

const retryStrategy = (times: number): number => Math.min(100 * times, 2_000);

/** Jobs in Redis through BullMQ: one BullMQ queue per job name, so each has its own concurrency. */
export async function createBullmqQueue<D extends JobDefinitions>(
  options: BullmqQueueOptions<D>,
): Promise<JobQueue<D>> {
  const { definitions, redisUrl } = options;
  const prefix = options.prefix ?? 'mkt';
  const log = options.logger ?? silentLogger;
  const enqueueTimeoutMs = options.enqueueTimeoutMs ?? 1_000;
  const keepCompletedSeconds = options.keepCompletedSeconds ?? 7 * 24 * 3600;
  const outbox = new Outbox(options.outboxLimit ?? 10_000);
  const events = jobEvents();
  const workers: Worker[] = [];
  let workerConnection: Redis | undefined;
  let closing = false;
  let lastConnectionLog = 0;

  const onConnectionError = (error: Error): void => {
    // ioredis emits an error per reconnect attempt; one line every 10 s is enough.
    if (Date.now() - lastConnectionLog < 10_000) return;
    lastConnectionLog = Date.now();
    log.warn(
      { err: error.message, outbox: outbox.size },
      'job queue: Redis unreachable, buffering new jobs locally',
    );
  };

  // Fail fast when disconnected (no ioredis offline queue): the outbox is our offline queue, and
  // unlike ioredis's it survives any number of reconnect attempts.
  const producer = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy });
  producer.on('error', onConnectionError);
  const queues = new Map<string, Queue>();
  for (const name of Object.keys(definitions)) {
    const queue = new Queue(name, { connection: producer, prefix });
    queue.on('error', onConnectionError);
    queues.set(name, queue);
  }
  const queueOf = (name: string): Queue => queues.get(name)!;

  const add = async (name: string, jobId: string, data: unknown, delayMs?: number): Promise<void> => {
    const definition = definitions[name]!;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis did not confirm within ${enqueueTimeoutMs} ms`)),
        enqueueTimeoutMs,
      );
    });
    try {
      await Promise.race([
        queueOf(name).add(name, data, {
          jobId,
          delay: delayMs,
          attempts: definition.attempts,
          backoff: { type: 'exponential', delay: definition.backoffMs },
          // finished ids are the idempotency memory; the count bounds Redis memory on busy queues
          removeOnComplete: { age: keepCompletedSeconds, count: 50_000 },
          removeOnFail: false,
        }),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  };

  const flushOutbox = async (): Promise<void> => {
    try {
      for (const entry of outbox.entries()) {
        if (producer.status !== 'ready') return;
        await add(entry.name, entry.jobId, entry.data, entry.delayMs);
        outbox.remove(entry.id);
      }
    } catch (error) {
      onConnectionError(error instanceof Error ? error : new Error(String(error)));
    }
  };
  // One flush at a time; `finally` runs asynchronously, so the slot is always released.
  let flushing: Promise<void> | undefined;
  const flush = (): Promise<void> => {
    flushing ??= flushOutbox().finally(() => {
      flushing = undefined;
    });
    return flushing;
  };
  producer.on('ready', () => {
    if (outbox.size > 0)
      log.info({ outbox: outbox.size }, 'job queue: Redis is back, flushing buffered jobs');
    void flush();
  });
  const flushTimer = setInterval(() => {
    if (outbox.size > 0) void flush();
  }, options.flushIntervalMs ?? 1_000);
  flushTimer.unref();

  // Start in buffering mode rather than fail when Redis is not there yet. The wait is generous: a
  // loaded machine can take seconds to connect to a Redis that is there, and a queue that gave up
  // early buffered its first jobs and failed its first reads (counts, /readyz) for no outage at all.
  if (producer.status !== 'ready') {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.connectTimeoutMs ?? 10_000);
      producer.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  const failedJob = async (id: string): Promise<Job> => {
    const { name, jobId } = parsePublicJobId(definitions, id);
    const job = await queueOf(name).getJob(jobId);
    if (!job) throw new JobsError('JOB_NOT_FOUND', `no job "${id}"`);
    const state = await job.getState();
    if (state !== 'failed') throw new JobsError('JOB_NOT_FAILED', `job "${id}" is ${state}, not failed`);
    return job;
  };

  const startWorker = (name: string, processor: JobProcessor<unknown>): Worker => {
    const definition = definitions[name]!;
    workerConnection ??= new Redis(redisUrl, { maxRetriesPerRequest: null, retryStrategy }).on(
      'error',
      onConnectionError,
    );
    const worker = new Worker(
      name,
      async (job: Job) => {
        // Data in Redis may predate a schema change: validate again, and never retry bad data.
        const parsed = definition.payload.safeParse(job.data);
        if (!parsed.success)
          throw new UnrecoverableError(`invalid payload: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
        try {
          return await processor(parsed.data, {
            id: publicJobId(name, job.id!),
            name,
            attempt: job.attemptsMade + 1,
          });
        } catch (error) {
          if (error instanceof UnrecoverableJobError) throw new UnrecoverableError(error.message);
          throw error;
        }
      },
      { connection: workerConnection, prefix, concurrency: definition.concurrency },
    );
    worker.on('error', onConnectionError);
    worker.on('completed', (job) => {
      events.emit({
        type: 'completed',
        id: publicJobId(name, job.id!),
        name,
        attempt: job.attemptsMade,
        durationMs: duration(job),
      });
    });
    worker.on('failed', (job, error) => {
      if (!job) return;
      const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      events.emit({
        type: final ? 'failed' : 'retrying',
        id: publicJobId(name, job.id!),
        name,
        attempt: job.attemptsMade,
        error: errorMessage(error),
        durationMs: duration(job),
      });
    });
    return worker;
  };

  return {
    kind: 'bullmq',
    async enqueue(name, payload, enqueueOptions: EnqueueOptions = {}): Promise<EnqueueResult> {
      const { data, jobId, id, delayMs } = prepareEnqueue(
        definitions,
        name,
        payload,
        enqueueOptions,
        closing,
      );
      // Keep order: while older jobs wait in the outbox, newer ones queue behind them.
      if (producer.status === 'ready' && outbox.size === 0) {
        try {
          await add(name, jobId, data, delayMs);
          return { id, buffered: false };
        } catch (error) {
          onConnectionError(error instanceof Error ? error : new Error(String(error)));
        }
      }
      outbox.add({ id, name, jobId, data, delayMs });
      void flush();
      return { id, buffered: true };
    },
    async process(map: ProcessorMap<D>): Promise<void> {
      for (const [name, processor] of processorsOf(definitions, map))
        workers.push(startWorker(name, processor));
    },
    async failed(limit = 100): Promise<FailedJob[]> {
      const lists = await Promise.all(
        [...queues.entries()].map(async ([name, queue]) =>
          (await queue.getFailed(0, limit - 1)).map((job) => ({
            id: publicJobId(name, job.id!),
            name,
            payload: job.data as unknown,
            attemptsMade: job.attemptsMade,
            reason: job.failedReason,
            failedAt: new Date(job.finishedOn ?? job.timestamp),
          })),
        ),
      );
      return lists
        .flat()
        .sort((a, b) => b.failedAt.getTime() - a.failedAt.getTime())
        .slice(0, limit);
    },
    async retry(id: string): Promise<void> {
      const job = await failedJob(id);
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    },
    async discard(id: string): Promise<void> {
      const job = await failedJob(id);
      await job.remove();
    },
    async counts(): Promise<Record<string, JobCounts>> {
      const result: Record<string, JobCounts> = {};
      for (const [name, queue] of queues) {
        const c = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
        result[name] = {
          waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
          active: c.active ?? 0,
          delayed: c.delayed ?? 0,
          failed: c.failed ?? 0,
        };
      }
      return result;
    },
    on: events.on,
    async close({ timeoutMs = 30_000 } = {}): Promise<void> {
      closing = true;
      clearInterval(flushTimer);
      const deadline = Date.now() + timeoutMs;
      if (outbox.size > 0) {
        await withTimeout(flush(), Math.max(0, deadline - Date.now()));
        if (outbox.size > 0) {
          log.error(
            { lost: outbox.entries().map((entry) => entry.id) },
            'job queue: Redis unreachable at shutdown, buffered jobs lost',
          );
        }
      }
      // Worker.close waits for active jobs (the drain); past the deadline they are abandoned to
      // BullMQ's stalled-job check, which hands them to another worker.
      await Promise.all(
        workers.map(async (worker) => {
          const drained = await withTimeout(worker.close(), Math.max(0, deadline - Date.now()));
          if (!drained) await worker.close(true).catch(() => undefined);
        }),
      );
      await Promise.all([...queues.values()].map((queue) => withTimeout(queue.close(), 2_000)));
      producer.disconnect();
      workerConnection?.disconnect();
    },
  };
}

function duration(job: Job): number {
  return job.finishedOn && job.processedOn ? job.finishedOn - job.processedOn : 0;
}

/** Resolves true when the promise settled in time, false otherwise; never rejects. */
async function withTimeout(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = promise.then(
    () => true,
    () => true,
  );
  const expired = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([settled, expired]);
  } finally {
    clearTimeout(timer);
  }
}
