// `mkt worker`: a process that only consumes jobs from Redis, on the same platform as the server
// (configuration, logger, database, shared services) and with the same processors.
import { createJobQueue, createVersionBus, startWorker } from '../jobs/index.js';
import { JobsError } from '../jobs/index.js';
import type { Config } from './config.js';
import { createJobProcessors } from './job-processors.js';
import { createReviewService } from './review/index.js';
import { openPlatform, type Platform } from './platform.js';

/** A running worker process. */
export interface RunningWorkerProcess {
  readonly platform: Platform;
  /** job names it consumes */
  readonly names: string[];
  /** Stops taking jobs, waits for running ones (at most `drainTimeoutMs`) and closes the platform. */
  stop(drainTimeoutMs: number): Promise<void>;
}

/** Starts consuming the product's jobs under the Redis key `prefix`. */
export async function startWorkerProcess(options: {
  prefix: string;
  config: Config;
}): Promise<RunningWorkerProcess> {
  const { config, prefix } = options;
  if (!config.REDIS_URL)
    throw new JobsError(
      'JOB_REDIS_REQUIRED',
      'a worker needs REDIS_URL (without it the server runs jobs itself)',
    );
  // Migrations are the server's to apply; a worker started first would race it.
  const platform = await openPlatform({
    role: 'worker',
    config,
    migrate: false,
    logBase: { role: 'worker' },
  });
  try {
    const { db, logger } = platform;
    const versions = await createVersionBus({ redisUrl: config.REDIS_URL, prefix, logger });
    // Only for queueing (slack.notify after a retrain): this process consumes through startWorker.
    const jobs = await createJobQueue({ redisUrl: config.REDIS_URL, prefix, logger });
    const processors = createJobProcessors({
      config,
      db,
      logger,
      versions,
      recsys: await platform.recsys(),
      encoder: await platform.encoder(),
      cipher: platform.security().cipher,
      // The worker queues nothing for review: it reads reviewed examples and posts the digest.
      review: createReviewService({ prisma: db.prisma, cipher: platform.security().cipher }).service,
      jobs,
    });
    const worker = await startWorker({ redisUrl: config.REDIS_URL, prefix, processors, logger });
    return {
      platform,
      names: worker.names,
      stop: async (drainTimeoutMs) => {
        await worker.stop(drainTimeoutMs);
        await jobs.close();
        await versions.close();
        await platform.close();
      },
    };
  } catch (error) {
    await platform.close().catch(() => undefined);
    throw error;
  }
}
