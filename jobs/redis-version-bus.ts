import { Redis } from 'ioredis';
import { silentLogger, type JobsLogger } from './logger.js';
import {
  announcement,
  makeOrigin,
  VersionHandlers,
  ZVersionAnnouncement,
  type VersionAnnouncement,
  type VersionBus,
  type VersionTopic,
} from './version-bus.js';
import { whenReady } from './redis-ready.js';

/** Options of the Redis version bus. */
export interface RedisVersionBusOptions {
  redisUrl: string;
  /** key and channel prefix (one per deployment) */
  prefix?: string;
  logger?: JobsLogger;
  /** how long creation waits for the publisher's first connection before going on without it */
  connectTimeoutMs?: number;
}

const retryStrategy = (times: number): number => Math.min(100 * times, 2_000);

/**
 * Redis pub/sub plus one key per topic holding the latest announcement. Pub/sub alone loses
 * messages sent while a subscriber is disconnected, so after every reconnect the subscriber reads
 * the keys and delivers what it missed; a publish made during an outage is retried on reconnect.
 */
export async function createRedisVersionBus(options: RedisVersionBusOptions): Promise<VersionBus> {
  const prefix = options.prefix ?? 'mkt';
  const log = options.logger ?? silentLogger;
  const channel = `${prefix}:versions`;
  const keyOf = (topic: VersionTopic): string => `${prefix}:version:${topic}`;
  const origin = makeOrigin();
  const handlers = new VersionHandlers((error, value) => {
    log.error(
      { err: String(error), topic: value.topic, version: value.version },
      'version bus: handler failed',
    );
  });
  // last version delivered per topic, so reconciliation after a reconnect delivers only news
  const seen = new Map<VersionTopic, string>();
  const pending = new Map<VersionTopic, VersionAnnouncement>();
  let lastErrorLog = 0;
  const onError = (error: Error): void => {
    if (Date.now() - lastErrorLog < 10_000) return;
    lastErrorLog = Date.now();
    log.warn({ err: error.message }, 'version bus: Redis unreachable');
  };

  const deliver = (value: VersionAnnouncement): void => {
    if (seen.get(value.topic) === `${value.version}@${value.at}`) return;
    seen.set(value.topic, `${value.version}@${value.at}`);
    handlers.dispatch(value);
  };
  const parse = (raw: string | null): VersionAnnouncement | undefined => {
    if (raw === null) return undefined;
    try {
      const parsed = ZVersionAnnouncement.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  };

  const publisher = new Redis(options.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy,
  });
  const subscriber = new Redis(options.redisUrl, { retryStrategy, maxRetriesPerRequest: null });
  publisher.on('error', onError);
  subscriber.on('error', onError);

  const send = async (value: VersionAnnouncement): Promise<void> => {
    const body = JSON.stringify(value);
    await publisher.multi().set(keyOf(value.topic), body).publish(channel, body).exec();
  };
  const flushPending = async (): Promise<void> => {
    for (const [topic, value] of pending) {
      try {
        await send(value);
        if (pending.get(topic) === value) pending.delete(topic);
      } catch (error) {
        onError(error instanceof Error ? error : new Error(String(error)));
        return;
      }
    }
  };
  publisher.on('ready', () => void flushPending());

  // The subscriber connection is in subscribe mode (no GET there): reads use the publisher's.
  const reconcile = async (attemptsLeft = 10): Promise<void> => {
    try {
      for (const topic of handlers.topics()) {
        const value = parse(await publisher.get(keyOf(topic)));
        if (value) deliver(value);
      }
    } catch {
      if (attemptsLeft > 0) setTimeout(() => void reconcile(attemptsLeft - 1), 300).unref();
    }
  };
  let connectedOnce = false;
  subscriber.on('message', (from: string, raw: string) => {
    if (from !== channel) return;
    const value = parse(raw);
    if (value) deliver(value);
    else log.warn({ channel }, 'version bus: ignored a malformed announcement');
  });
  subscriber.on('ready', () => {
    // ioredis re-subscribes by itself after a reconnect; we only catch up on what was missed.
    if (connectedOnce) void reconcile();
    connectedOnce = true;
  });
  await subscriber.subscribe(channel).catch((error: Error) => onError(error));
  // The subscriber being subscribed says nothing of the publisher, which connects on its own. A
  // publish before its first connection would be held as pending (delivered: false) and a
  // subscription's baseline read would fail, so the next reconnect delivered the version current
  // at start-up as news: creation waits for it too (bounded: an outage at start-up is not fatal).
  await whenReady(publisher, options.connectTimeoutMs ?? 10_000).catch((error: Error) => onError(error));

  return {
    origin,
    async publish(topic, version) {
      const value = announcement(topic, version, origin);
      try {
        if (publisher.status !== 'ready') throw new Error('Redis not connected');
        await send(value);
        return { delivered: true };
      } catch (error) {
        onError(error instanceof Error ? error : new Error(String(error)));
        pending.set(topic, value);
        return { delivered: false };
      }
    },
    subscribe(topic, handler) {
      // Baseline: the version current at subscription time is not news for this handler.
      const since = Date.now();
      // Read once connected (no offline queue: a read before then fails at once).
      void whenReady(publisher, 60_000)
        .then(() => publisher.get(keyOf(topic)))
        .then((raw) => {
          const value = parse(raw);
          if (value && !seen.has(topic) && Date.parse(value.at) < since)
            seen.set(topic, `${value.version}@${value.at}`);
        })
        .catch(() => undefined);
      return handlers.add(topic, handler);
    },
    async latest(topic) {
      await whenReady(publisher, 5_000);
      return parse(await publisher.get(keyOf(topic)));
    },
    async close() {
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
