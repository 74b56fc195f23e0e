import { createBullmqQueue } from './bullmq-queue.js';
import { jobDefinitions, type ProductJobs } from './definitions.js';
import { createInProcessQueue } from './in-process-queue.js';
import type { JobsLogger } from './logger.js';
import type { JobQueue } from './queue.js';
import { createRedisVersionBus } from './redis-version-bus.js';
import { createInProcessVersionBus, type VersionBus } from './version-bus.js';

/** Where jobs and announcements go: Redis when REDIS_URL is set, this process otherwise. */
export interface JobsConfig {
  redisUrl?: string;
  /** Redis key prefix (one per deployment) */
  prefix?: string;
  logger?: JobsLogger;
}

/** The product's job queue: BullMQ with REDIS_URL, the embedded in-process queue without. */
export async function createJobQueue(config: JobsConfig): Promise<JobQueue<ProductJobs>> {
  if (!config.redisUrl) return createInProcessQueue({ definitions: jobDefinitions });
  return createBullmqQueue({
    definitions: jobDefinitions,
    redisUrl: config.redisUrl,
    prefix: config.prefix,
    logger: config.logger,
  });
}

/** The version bus: Redis pub/sub with REDIS_URL, in-process without. */
export async function createVersionBus(config: JobsConfig): Promise<VersionBus> {
  if (!config.redisUrl) {
    return createInProcessVersionBus({
      onHandlerError: (error, value) =>
        config.logger?.error({ err: String(error), topic: value.topic }, 'version bus: handler failed'),
    });
  }
  return createRedisVersionBus({ redisUrl: config.redisUrl, prefix: config.prefix, logger: config.logger });
}
