import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Database } from '../prisma/index.js';
import type { Config } from './config.js';
import { adminApiPlugin } from './admin/index.js';
import {
  HARDENED_SERVER_OPTIONS,
  parseCorsOrigins,
  registerHttpHardening,
  trustProxyOption,
} from './http-hardening.js';
import { observabilityPlugin } from './observability/index.js';
import { requireQuerySchemas } from './query-schemas.js';
import { createApiKeyStore, createPrismaAuditWriter } from './security/index.js';
import type { Services } from './services.js';

/** Everything the HTTP layer needs, built once by the composition root. */
export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
  services: Services;
}

/** Builds the Fastify application: hardening, health and metrics, admin API, web chat and Slack. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, db, services } = deps;
  const app = Fastify({
    ...HARDENED_SERVER_OPTIONS,
    trustProxy: trustProxyOption(config.TRUST_PROXY),
    loggerInstance: deps.logger as FastifyBaseLogger,
  });
  // Static files and the API docs (plugins of others) read no query; every other GET route declares one.
  requireQuerySchemas(app, ['/static/', '/docs']);
  await registerHttpHardening(app, {
    corsOrigins: parseCorsOrigins(config.CORS_ORIGINS),
    publicUrl: config.PUBLIC_URL,
    rateLimit: { max: config.RATE_LIMIT_MAX, timeWindowMs: config.RATE_LIMIT_WINDOW_MS },
    redisUrl: config.REDIS_URL,
    redisPrefix: config.RATE_LIMIT_REDIS_PREFIX,
  });
  await app.register(observabilityPlugin, {
    metrics: services.metrics,
    checks: {
      database: () => db.ping(),
      jobs: () => services.jobs.counts(),
    },
  });
  await app.register(adminApiPlugin, {
    prisma: db.prisma,
    apiKeys: createApiKeyStore(db.prisma),
    audit: createPrismaAuditWriter(db.prisma),
    lookup: services.lookup,
    cipher: services.cipher,
    privacy: services.bots.privacy,
    handoffs: services.bots.handoffAdmin,
    jobs: services.jobs,
    kb: services.kb,
    authFailures: {
      counter: app.rateCounter,
      limit: { max: config.RATE_LIMIT_AUTH_FAILURES, windowMs: config.RATE_LIMIT_WINDOW_MS },
    },
    review: services.review,
  });
  await services.bots.register(app);
  return app;
}
