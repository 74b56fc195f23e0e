import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import {
  createInProcessVersionBus,
  createRedisVersionBus,
  type VersionAnnouncement,
  type VersionBus,
} from '../../jobs/index.js';
import { waitFor } from './job-queue-contract.js';
import { deleteKeys, REDIS_URL, suitePrivateRedis, uniquePrefix } from './redis-support.js';
import { describeVersionBusContract } from './version-bus-contract.js';

describeVersionBusContract('in-process', async () => {
  const bus = createInProcessVersionBus();
  return { publisher: bus, subscriber: bus };
});

const prefixes: string[] = [];
describeVersionBusContract('Redis pub/sub', async () => {
  const prefix = uniquePrefix('versions');
  prefixes.push(prefix);
  return {
    publisher: await createRedisVersionBus({ redisUrl: REDIS_URL, prefix }),
    subscriber: await createRedisVersionBus({ redisUrl: REDIS_URL, prefix }),
  };
});
afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(REDIS_URL, prefix);
});

describe('Redis version bus specifics', () => {
  const open: VersionBus[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((bus) => bus.close()));
  });

  it('ignores malformed messages on its channel', async () => {
    const prefix = uniquePrefix('versions-bad');
    prefixes.push(prefix);
    const bus = await createRedisVersionBus({ redisUrl: REDIS_URL, prefix });
    open.push(bus);
    const got: string[] = [];
    bus.subscribe('nlu.model', (a) => void got.push(a.version));
    const raw = new Redis(REDIS_URL);
    await raw.publish(`${prefix}:versions`, '{"topic":"nlu.model","version":""}');
    await raw.publish(`${prefix}:versions`, 'not json');
    raw.disconnect();
    const other = await createRedisVersionBus({ redisUrl: REDIS_URL, prefix });
    open.push(other);
    await other.publish('nlu.model', 'good');
    await waitFor(() => got.length === 1, 20_000, 'good announcement');
    expect(got).toEqual(['good']);
  });

  it('delivers a publish made as soon as the bus is created: creation waits for the publisher too', async () => {
    const prefix = uniquePrefix('versions-early');
    prefixes.push(prefix);
    const subscriber = await createRedisVersionBus({ redisUrl: REDIS_URL, prefix });
    open.push(subscriber);
    const got: string[] = [];
    subscriber.subscribe('segments', (a) => void got.push(a.version));
    const publisher = await createRedisVersionBus({ redisUrl: REDIS_URL, prefix });
    open.push(publisher);
    // A publisher still connecting held it as pending ({ delivered: false }) until it connected.
    expect(await publisher.publish('segments', 's1')).toEqual({ delivered: true });
    await waitFor(() => got.length === 1, 30_000, 's1');
    expect(got).toEqual(['s1']);
  });

  describe('through a Redis outage (private redis-server)', () => {
    const privateRedis = suitePrivateRedis();

    it('holds a publish made during the outage and delivers it, once, after reconnecting', async () => {
      const redis = privateRedis.current;
      const a = await createRedisVersionBus({ redisUrl: redis.url, prefix: 'p' });
      const b = await createRedisVersionBus({ redisUrl: redis.url, prefix: 'p' });
      open.push(a, b);
      const got: VersionAnnouncement[] = [];
      b.subscribe('recsys.index', (x) => void got.push(x));
      await new Promise((resolve) => setTimeout(resolve, 50));
      await a.publish('recsys.index', 'i1');
      await waitFor(() => got.length === 1, 20_000, 'i1');
      await redis.stop();
      expect(await a.publish('recsys.index', 'i2')).toEqual({ delivered: false });
      await redis.start();
      await waitFor(() => got.length === 2, 30_000, 'i2 after the outage');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(got.map((x) => x.version)).toEqual(['i1', 'i2']);
      expect((await b.latest('recsys.index'))?.version).toBe('i2');
    });
  });
});
