// Public entry of the jobs capability: job definitions, the JobQueue and VersionBus ports and
// their implementations. Other folders import only from here.
export * from './definitions.js';
export { JobsError, UnrecoverableJobError, type JobsErrorCode } from './errors.js';
export { silentLogger, type JobsLogger } from './logger.js';
export type {
  EnqueueOptions,
  EnqueueResult,
  FailedJob,
  JobContext,
  JobCounts,
  JobEvent,
  JobProcessor,
  JobQueue,
  ProcessorMap,
} from './queue.js';
export { createInProcessQueue, type InProcessQueueOptions } from './in-process-queue.js';
export { createBullmqQueue, type BullmqQueueOptions } from './bullmq-queue.js';
export {
  createInProcessVersionBus,
  ZVersionAnnouncement,
  ZVersionTopic,
  type VersionAnnouncement,
  type VersionBus,
  type VersionHandler,
  type VersionTopic,
} from './version-bus.js';
export { createRedisVersionBus, type RedisVersionBusOptions } from './redis-version-bus.js';
export { whenReady } from './redis-ready.js';
export { scheduleDaily, type Schedule } from './schedule.js';
export { startWorker, type RunningWorker, type WorkerOptions } from './worker.js';
export { createJobQueue, createVersionBus, type JobsConfig } from './factory.js';
