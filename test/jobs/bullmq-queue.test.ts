import { afterAll } from 'vitest';
import { createBullmqQueue } from '../../jobs/index.js';
import { contractJobs, describeJobQueueContract } from './job-queue-contract.js';
import { deleteKeys, REDIS_URL, uniquePrefix } from './redis-support.js';

const prefixes: string[] = [];

describeJobQueueContract('BullMQ on Redis', async () => {
  // A prefix per test: every test starts from an empty queue, as the in-process one does.
  const prefix = uniquePrefix('bullmq');
  prefixes.push(prefix);
  return createBullmqQueue({ definitions: contractJobs, redisUrl: REDIS_URL, prefix });
});

afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(REDIS_URL, prefix);
});
