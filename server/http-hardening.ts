import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
import { Redis } from 'ioredis';
import { whenReady } from '../jobs/index.js';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from './security/json-depth.js';
import type { ActivityClaims } from '../bots/index.js';
import { redisActivityClaims } from './security/activity-claims.js';
import { memoryRateCounter, redisRateCounter, type RateCounter } from './security/rate-counter.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** the shared fixed-window counters (Redis or memory) set up by registerHttpHardening */
    rateCounter: RateCounter;
    /** claims on chat clientActivityIDs in Redis (absent without Redis: the chat keeps its own) */
    activityClaims?: ActivityClaims;
  }
}

// HTTP hardening shared by every server process: limits, CORS allow-list, secure headers and a
// Content-Security-Policy that lets the locally bundled Web Chat client run and nothing else.

/** Server-level limits, passed to Fastify() by the composition root (Fastify takes them only there). */
export const HARDENED_SERVER_OPTIONS = {
  /** JSON bodies: chat messages and admin upserts are small; Fastify answers 413 above this */
  bodyLimit: 256 * 1024,
  routerOptions: { maxParamLength: 200 },
  /** a slow client cannot hold a connection open forever */
  requestTimeout: 30_000,
  connectionTimeout: 30_000,
  /** reject "__proto__" and "constructor.prototype" keys in JSON bodies instead of stripping them silently */
  onProtoPoisoning: 'error',
  onConstructorPoisoning: 'error',
  /**
   * Plugins register while the first start trains models and runs the start-up jobs on the same
   * event loop; on a busy 2-core machine Fastify's 10 s default timed out on '@fastify/swagger-ui'
   * and `npm start` died. Registration does no I/O that can hang, so a long limit costs nothing.
   */
  pluginTimeout: 120_000,
} as const satisfies FastifyServerOptions;

/**
 * TRUST_PROXY as Fastify takes it: a hop count becomes "trust the nearest n hops" (X-Forwarded-For
 * entries added by the shopper's own client beyond them are ignored).
 */
export function trustProxyOption(
  value: boolean | number | string[],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof value === 'number' ? (_address, hop) => hop < value : value;
}

/** Options of the hardening plugin set. */
export interface HardeningOptions {
  /** origins allowed to call the API from a browser and to frame the chat page (CORS_ORIGINS) */
  corsOrigins: string[];
  /** PUBLIC_URL: adds its ws(s) origin to connect-src and turns on upgrade-insecure-requests for https */
  publicUrl?: string;
  /** requests per IP per window (all routes); default 300 per minute */
  rateLimit?: { max: number; timeWindowMs: number };
  /** shared counters across server processes (REDIS_URL); without it each process counts alone */
  redisUrl?: string;
  /** or a connection the caller owns (tests) */
  redis?: Redis;
  /** prefix of the counters' Redis keys */
  redisPrefix?: string;
  /** routes that skip the per-IP limit (health probes of the load balancer) */
  rateLimitExempt?: string[];
}

/** Parses CORS_ORIGINS ("https://shop.example, https://www.shop.example"). */
export function parseCorsOrigins(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(',')
    .map((origin) => origin.trim().replace(/\/$/, ''))
    .filter((origin) => origin !== '');
}

/** CSP directives for pages that load the bundled Web Chat (served from this origin). */
export function contentSecurityPolicy(
  options: Pick<HardeningOptions, 'corsOrigins' | 'publicUrl'>,
): Record<string, string[] | null> {
  const connect = ["'self'"];
  let https = false;
  if (options.publicUrl) {
    const url = new URL(options.publicUrl);
    https = url.protocol === 'https:';
    // Older Safari does not count ws(s) to the same host as 'self'.
    connect.push(`${https ? 'wss' : 'ws'}://${url.host}`);
  }
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    // Web Chat injects its own <style> elements at run time (emotion); no inline scripts are allowed.
    'style-src': ["'self'", "'unsafe-inline'"],
    // Product images may live on the shop's CDN; Web Chat turns inline attachments into blob: URLs.
    'img-src': ["'self'", 'data:', 'blob:', 'https:'],
    'media-src': ["'self'", 'blob:', 'data:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': connect,
    // Web Chat probes Web Worker support with a blob: worker.
    'worker-src': ["'self'", 'blob:'],
    'frame-ancestors': ["'self'", ...options.corsOrigins],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'upgrade-insecure-requests': https ? [] : null,
  };
}

/**
 * Registers CORS, secure headers with the CSP, per-IP rate limits (429 + Retry-After), a JSON
 * parser that refuses deep nesting before parsing, and an error handler that never sends internal
 * messages. Decorates the app with `rateCounter` for the other limits (chat, admin logins).
 */
export async function registerHttpHardening(app: FastifyInstance, options: HardeningOptions): Promise<void> {
  const allowed = new Set(options.corsOrigins);
  await app.register(cors, {
    // No Origin header: same-origin or non-browser client, CORS does not apply.
    origin: (origin, callback) => callback(null, origin === undefined || allowed.has(origin)),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['content-type', 'authorization', 'x-api-key'],
    maxAge: 600,
  });
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(options) },
    // The widget's page may be framed by the allowed shop origins: frame-ancestors above decides.
    frameguard: false,
    crossOriginEmbedderPolicy: false,
    // Product images from the shop CDN must load inside the chat.
    crossOriginResourcePolicy: { policy: 'same-site' },
    hsts: options.publicUrl?.startsWith('https:') ? { maxAge: 15_552_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
  const prefix = options.redisPrefix ?? 'mkt-rl:';
  const redis = options.redis ?? (options.redisUrl ? await rateLimitRedis(options.redisUrl, app) : undefined);
  app.decorate('rateCounter', redis ? redisRateCounter(redis, prefix) : memoryRateCounter());
  // The same connection keeps the chat's idempotency claims, shared like the counters.
  app.decorate('activityClaims', redis ? redisActivityClaims(redis, `${prefix}claim:`) : undefined);
  const exempt = new Set(options.rateLimitExempt ?? ['/healthz', '/readyz']);
  await app.register(rateLimit, {
    global: true,
    max: options.rateLimit?.max ?? 300,
    timeWindow: options.rateLimit?.timeWindowMs ?? 60_000,
    redis,
    nameSpace: `${prefix}ip:`,
    // A Redis outage must not take the site down: fall back to letting requests through.
    skipOnError: true,
    allowList: (request) => exempt.has(request.routeOptions.url ?? ''),
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error(`rate limit exceeded, retry in ${context.after}`), {
        statusCode: 429,
        code: 'RATE_LIMITED',
      }),
  });
  registerDepthLimitedJson(app);
  app.setErrorHandler(safeErrorHandler);
}

// Without an offline queue a command fails at once while Redis is down, so the limits fail open
// instead of holding requests until Redis is back. For the same reason a request that arrives before
// the first connection is ready would go uncounted (and a resent chat activity unclaimed): start-up
// waits for that connection, for a bounded time, so limits and claims hold from the first request.
async function rateLimitRedis(url: string, app: FastifyInstance): Promise<Redis> {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', (err) => app.log.debug({ err }, 'rate-limit Redis unavailable (limits fail open)'));
  app.addHook('onClose', async () => {
    redis.disconnect();
  });
  const ready = await whenReady(redis, REDIS_READY_WAIT_MS).then(
    () => true,
    () => false,
  );
  if (!ready)
    app.log.warn(`rate-limit Redis not ready after ${REDIS_READY_WAIT_MS} ms: limits fail open until it is`);
  return redis;
}

const REDIS_READY_WAIT_MS = 10_000;

// JSON nested thousands deep is parsed fine but overflows the stack of whatever walks it later
// (JSON.stringify, validators): refused with 400 before parsing.
function registerDepthLimitedJson(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (jsonDepthExceeds(body as string, MAX_JSON_DEPTH)) {
      const error = Object.assign(new Error(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`), {
        statusCode: 400,
        code: 'JSON_TOO_DEEP',
      });
      done(error, undefined);
      return;
    }
    parse(request, body as string, done);
  });
}

/** Client errors keep their (Fastify-written) message; server errors say "internal error" only. */
function safeErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: import('fastify').FastifyReply,
): void {
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  if (status >= 500) {
    request.log.error({ err: error }, 'request failed');
    void reply.code(status).send({ error: 'internal error', code: 'INTERNAL' });
    return;
  }
  void reply.code(status).send({ error: error.message, code: error.code ?? 'BAD_REQUEST' });
}

/** Route config for a second, per-conversation limit (chat routes): `{ config: { rateLimit: perConversationLimit(...) } }`. */
export function perConversationLimit(
  conversationOf: (request: FastifyRequest) => string | undefined,
  options: { max?: number; timeWindowMs?: number } = {},
): { max: number; timeWindow: number; keyGenerator: (request: FastifyRequest) => string } {
  return {
    max: options.max ?? 30,
    timeWindow: options.timeWindowMs ?? 60_000,
    keyGenerator: (request) => {
      const conversation = conversationOf(request);
      return conversation ? `conversation:${conversation}` : `ip:${request.ip}`;
    },
  };
}
