import type { Redis } from 'ioredis';

// Fixed-window counters behind the limits that the per-address limit of @fastify/rate-limit does not
// cover: messages per chat conversation, failed admin logins per address, and "first refusal of this
// address this minute" for the audit log. In Redis when configured, so every server process counts
// together; in process memory otherwise. A Redis error lets the request through (a Redis outage
// must not take the site down) and is counted in `errors`.

/** One window's count and the time until it ends. */
export interface RateHit {
  count: number;
  resetInMs: number;
}

/** Counts hits per key in fixed windows. */
export interface RateCounter {
  /** Adds one hit to `key` and returns the window's count (the first hit starts the window). */
  hit(key: string, windowMs: number): Promise<RateHit>;
  /** The window's count without adding one. */
  peek(key: string): Promise<RateHit>;
  /** Hits that could not be counted (Redis down) and were let through. */
  readonly errors: number;
}

/** Most keys a memory counter holds; expired ones are dropped first, then the oldest. */
const MEMORY_KEYS = 100_000;

/** Counters in this process only. */
export function memoryRateCounter(now: () => number = Date.now): RateCounter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  const current = (key: string) => {
    const entry = windows.get(key);
    if (entry && entry.resetAt <= now()) {
      windows.delete(key);
      return undefined;
    }
    return entry;
  };
  return {
    errors: 0,
    async hit(key, windowMs) {
      let entry = current(key);
      if (!entry) {
        if (windows.size >= MEMORY_KEYS) {
          for (const [k, e] of windows) if (e.resetAt <= now()) windows.delete(k);
          if (windows.size >= MEMORY_KEYS) windows.delete(windows.keys().next().value!);
        }
        entry = { count: 0, resetAt: now() + windowMs };
        windows.set(key, entry);
      }
      entry.count++;
      return { count: entry.count, resetInMs: entry.resetAt - now() };
    },
    async peek(key) {
      const entry = current(key);
      return entry ? { count: entry.count, resetInMs: entry.resetAt - now() } : { count: 0, resetInMs: 0 };
    },
  };
}

// INCR and, on the first hit, PEXPIRE in one step: a crash between the two can never leave a key
// without expiry (which would block its address for good).
const HIT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}`;

/** Counters shared by every process using the same Redis and prefix. */
export function redisRateCounter(redis: Redis, prefix: string): RateCounter {
  let errors = 0;
  return {
    get errors() {
      return errors;
    },
    async hit(key, windowMs) {
      try {
        const [count, ttl] = (await redis.eval(HIT, 1, prefix + key, String(windowMs))) as [number, number];
        return { count, resetInMs: ttl };
      } catch {
        errors++;
        return { count: 0, resetInMs: 0 };
      }
    },
    async peek(key) {
      try {
        const [value, ttl] = await Promise.all([redis.get(prefix + key), redis.pttl(prefix + key)]);
        return { count: Number(value ?? 0), resetInMs: Math.max(0, ttl) };
      } catch {
        errors++;
        return { count: 0, resetInMs: 0 };
      }
    },
  };
}

/** A limit on one kind of key: at most `max` hits per `windowMs`. */
export interface RateLimit {
  max: number;
  windowMs: number;
}

/** Seconds until the window ends, at least 1 (the value of a Retry-After header). */
export function retryAfterSeconds(hit: RateHit): number {
  return Math.max(1, Math.ceil(hit.resetInMs / 1000));
}

/** Counts a hit; null when within the limit, else the Retry-After seconds. */
export async function takeOrRetryAfter(
  counter: RateCounter,
  key: string,
  limit: RateLimit,
): Promise<number | null> {
  const hit = await counter.hit(key, limit.windowMs);
  return hit.count > limit.max ? retryAfterSeconds(hit) : null;
}
