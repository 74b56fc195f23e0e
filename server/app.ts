import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Database } from '../prisma/index.js';

/** Everything the HTTP layer needs, built once by the composition root. */
export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
}

/** Builds the Fastify application: health, web chat, Slack and the admin API. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: 256 * 1024,
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await deps.db.ping();
      return { status: 'ready', database: deps.db.kind };
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: 'unreachable' });
    }
  });
  return app;
}
