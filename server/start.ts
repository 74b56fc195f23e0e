import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { maskPII } from '../nlu/index.js';
import type { Database } from '../prisma/index.js';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { openMigratedDatabase } from './database.js';
import { createSecureLogger } from './security/index.js';
import { queueDemoProfiles, seedDemoData } from './seed.js';
import { createServices, type Services } from './services.js';

/** A running server and how to stop it. */
export interface RunningServer {
  url: string;
  app: FastifyInstance;
  db: Database;
  services: Services;
  logger: Logger;
  close(): Promise<void>;
}

/** Opens and migrates the database, seeds demo data once, builds the services and starts listening. */
export async function startServer(
  config: Config,
  logger = createSecureLogger({ level: config.LOG_LEVEL, maskPII }),
): Promise<RunningServer> {
  const { db, migrated } = await openMigratedDatabase(config);
  let services: Services | undefined;
  try {
    if (migrated.applied.length > 0) logger.info({ applied: migrated.applied }, 'database migrated');
    if (config.SEED_DEMO) await seedDemoData({ config, db, logger });
    services = await createServices(config, db, logger);
    if (config.SEED_DEMO && (await queueDemoProfiles(db, services.jobs)))
      logger.info({}, 'demo profiles queued (profiles.recompute)');
    const app = await buildApp({ config, db, logger, services });
    await app.listen({ host: config.HOST, port: config.PORT });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const local = ['0.0.0.0', '127.0.0.1', '::', '::1'].includes(config.HOST);
    const url = `http://${local ? 'localhost' : config.HOST}:${port}`;
    const running = services;
    let closing: Promise<void> | undefined;
    return {
      url,
      app,
      db,
      services: running,
      logger,
      close: () =>
        (closing ??= (async () => {
          await app.close();
          await running.stop();
          await db.close();
        })()),
    };
  } catch (error) {
    await services?.stop().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw error;
  }
}
