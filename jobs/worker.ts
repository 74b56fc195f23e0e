import { createBullmqQueue } from './bullmq-queue.js';
import { jobDefinitions, type ProductJobs } from './definitions.js';
import { JobsError } from './errors.js';
import type { JobsLogger } from './logger.js';
import type { JobQueue, ProcessorMap } from './queue.js';

/** Options of a worker process. */
export interface WorkerOptions {
  redisUrl: string | undefined;
  prefix?: string;
  /** the processors, built by the composition root */
  processors: ProcessorMap<ProductJobs>;
  logger: JobsLogger;
}

/** A running worker. */
export interface RunningWorker {
  readonly queue: JobQueue<ProductJobs>;
  /** job names this worker consumes */
  readonly names: string[];
  /** Stops taking jobs and waits for running ones (at most `timeoutMs`). */
  stop(timeoutMs?: number): Promise<void>;
}

/** Starts consuming the product's jobs from Redis in this process (`mkt worker`). */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  if (!options.redisUrl) {
    throw new JobsError(
      'JOB_REDIS_REQUIRED',
      'a separate worker needs REDIS_URL; without it the server runs jobs in its own process',
    );
  }
  const { logger } = options;
  const queue = await createBullmqQueue({
    definitions: jobDefinitions,
    redisUrl: options.redisUrl,
    prefix: options.prefix,
    logger,
  });
  queue.on((event) => {
    if (event.type === 'completed') logger.info({ job: event.id, ms: event.durationMs }, 'job completed');
    else if (event.type === 'retrying')
      logger.warn(
        { job: event.id, attempt: event.attempt, err: event.error },
        'job attempt failed, will retry',
      );
    else
      logger.error(
        { job: event.id, attempt: event.attempt, err: event.error },
        'job failed (see mkt jobs failed)',
      );
  });
  const names = Object.keys(options.processors).filter(
    (name) => options.processors[name as keyof ProductJobs],
  );
  await queue.process(options.processors);
  let stopping: Promise<void> | undefined;
  return {
    queue,
    names,
    stop: (timeoutMs = 30_000) => (stopping ??= queue.close({ timeoutMs })),
  };
}
