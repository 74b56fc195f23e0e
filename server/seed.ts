import type { Logger } from 'pino';
import type { Database } from '../prisma/index.js';
import type { Config } from './config.js';
import { seedDemoCatalog, seedDemoSurveys } from '../prisma/repositories/index.js';

/** What seeding needs from the composition root. */
export interface SeedContext {
  config: Config;
  db: Database;
  logger: Logger;
}

/** Loads the demo catalog and the shipped surveys once (each step is idempotent); returns what it did. */
export async function seedDemoData(ctx: SeedContext): Promise<string[]> {
  const done: string[] = [];
  const catalog = await seedDemoCatalog(ctx.db.prisma);
  if (!catalog.skipped) {
    done.push(`catalog (${catalog.products} products, ${catalog.orders} orders, ${catalog.rules} rules)`);
  }
  const existing = await ctx.db.prisma.instrument.count();
  const surveys = await seedDemoSurveys(ctx.db.prisma);
  if (existing < surveys.instruments.length) done.push(`surveys (${surveys.instruments.join(', ')})`);
  if (done.length > 0) ctx.logger.info({ seeded: done }, 'demo data loaded');
  return done;
}
