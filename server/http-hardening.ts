import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Redis } from 'ioredis';

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
} as const satisfies FastifyServerOptions;

/** Options of the hardening plugin set. */
export interface HardeningOptions {
  /** origins allowed to call the API from a browser and to frame the chat page (CORS_ORIGINS) */
  corsOrigins: string[];
  /** PUBLIC_URL: adds its ws(s) origin to connect-src and turns on upgrade-insecure-requests for https */
  publicUrl?: string;
  /** requests per IP per window (all routes); default 300 per minute */
  rateLimit?: { max: number; timeWindowMs: number };
  /** shared counters across server processes; without it each process counts alone */
  redis?: Redis;
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

/** Registers CORS, secure headers with the CSP, and per-IP rate limits on the app. */
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
  const exempt = new Set(options.rateLimitExempt ?? ['/healthz', '/readyz']);
  await app.register(rateLimit, {
    global: true,
    max: options.rateLimit?.max ?? 300,
    timeWindow: options.rateLimit?.timeWindowMs ?? 60_000,
    redis: options.redis,
    nameSpace: 'mkt-ratelimit-ip-',
    // A Redis outage must not take the site down: fall back to letting requests through.
    skipOnError: true,
    allowList: (request) => exempt.has(request.routeOptions.url ?? ''),
  });
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
