import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Database } from '../prisma/index.js';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { openPlatform } from './platform.js';
import { queueDemoProfiles, seedDemoData } from './seed.js';
import { createServices, type Services } from './services.js';

/** A running server and how to stop it. */
export interface RunningServer {
  url: string;
  config: Config;
  app: FastifyInstance;
  db: Database;
  services: Services;
  logger: Logger;
  close(): Promise<void>;
}

/**
 * Opens the platform (the data folder is this process's from now on, the database migrated),
 * seeds demo data once, builds the services and starts listening.
 */
export async function startServer(config?: Config, logger?: Logger): Promise<RunningServer> {
  const platform = await openPlatform({ role: 'server', config, logger });
  const { db } = platform;
  const log = platform.logger;
  let services: Services | undefined;
  try {
    if (platform.migrated.applied.length > 0)
      log.info({ applied: platform.migrated.applied }, 'database migrated');
    if (platform.config.SEED_DEMO) await seedDemoData(platform);
    services = await createServices(platform);
    if (platform.config.SEED_DEMO && (await queueDemoProfiles(db, services.jobs)))
      log.info({}, 'demo profiles queued (profiles.recompute)');
    const app = await buildApp({ config: platform.config, db, logger: log, services });
    const { HOST, PORT } = platform.config;
    await app.listen({ host: HOST, port: PORT });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : PORT;
    const local = ['0.0.0.0', '127.0.0.1', '::', '::1'].includes(HOST);
    const url = `http://${local ? 'localhost' : HOST}:${port}`;
    const running = services;
    let closing: Promise<void> | undefined;
    return {
      url,
      config: platform.config,
      app,
      db,
      services: running,
      logger: log,
      close: () =>
        (closing ??= (async () => {
          await app.close();
          await running.stop();
          await platform.close();
        })()),
    };
  } catch (error) {
    await services?.stop().catch(() => undefined);
    await platform.close().catch(() => undefined);
    throw error;
  }
}
