import type { Redis } from 'ioredis';

/**
 * Resolves once `client` is connected, or rejects after `ms`. For clients without an offline queue
 * (the version bus's publisher, the rate-limit counters), whose commands issued before the first
 * connection fail at once ("Stream isn't writeable") instead of waiting for it.
 */
export function whenReady(client: Redis, ms: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`Redis not ready after ${ms} ms`));
    }, ms);
    // a wait for Redis must not be what keeps a process alive
    timer.unref();
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}
