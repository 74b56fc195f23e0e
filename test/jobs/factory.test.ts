import { afterAll, describe, expect, it } from 'vitest';
import { createJobQueue, createVersionBus } from '../../jobs/index.js';
import { deleteKeys, REDIS_URL, uniquePrefix } from './redis-support.js';

const prefix = uniquePrefix('factory');
afterAll(async () => {
  await deleteKeys(REDIS_URL, prefix);
});

describe('jobs factory', () => {
  it('runs jobs and announcements in-process without REDIS_URL and in Redis with it', async () => {
    const embedded = await createJobQueue({});
    const shared = await createJobQueue({ redisUrl: REDIS_URL, prefix });
    expect([embedded.kind, shared.kind]).toEqual(['in-process', 'bullmq']);
    expect(Object.keys(await shared.counts())).toContain('catalog.reindex');
    await Promise.all([embedded.close(), shared.close()]);

    const local = await createVersionBus({});
    const redis = await createVersionBus({ redisUrl: REDIS_URL, prefix });
    await redis.publish('nlu.model', 'v3');
    expect((await redis.latest('nlu.model'))?.version).toBe('v3');
    expect(await local.latest('nlu.model')).toBeUndefined();
    await Promise.all([local.close(), redis.close()]);
  });
});
