import type { Redis } from 'ioredis';
import type { ActivityClaims } from '../../bots/index.js';

/** A claim whose activity id is not known yet (the bots' `PENDING`; a type-only import keeps
 * botbuilder out of processes that only need the hardening). */
const PENDING = '';

// Client activity id claims in Redis: SET NX decides which process runs the turn, whichever
// process the client's retry reaches. When Redis is unreachable the message is processed (a
// duplicate answer is better than a lost one) and the error is counted.

/** Claims shared by every process using the same Redis and prefix. */
export function redisActivityClaims(redis: Redis, prefix: string): ActivityClaims & { errors: number } {
  const claims = {
    errors: 0,
    async claim(key: string, ttlMs: number) {
      try {
        const set = await redis.set(prefix + key, PENDING, 'PX', ttlMs, 'NX');
        if (set === 'OK') return { won: true as const };
        const id = await redis.get(prefix + key);
        return { won: false as const, id: id ? id : undefined };
      } catch {
        claims.errors++;
        return { won: true as const };
      }
    },
    async settle(key: string, id: string, ttlMs: number) {
      await redis.set(prefix + key, id, 'PX', ttlMs).catch(() => claims.errors++);
    },
    async release(key: string) {
      await redis.del(prefix + key).catch(() => claims.errors++);
    },
  };
  return claims;
}
