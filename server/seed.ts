import type { Logger } from 'pino';
import { seedDemoRespondents } from '../prisma/repositories/index.js';
import type { Database } from '../prisma/index.js';
import type { Config } from './config.js';
import {
  createPrismaKbStore,
  seedDemoCatalog,
  seedDemoOrderDesk,
  seedDemoSurveys,
} from '../prisma/repositories/index.js';
import type { FieldSecurity } from './security/index.js';
import { seedDemoHelpCentre } from '../kb/index.js';

/** What seeding needs from the platform. */
export interface SeedContext {
  config: Config;
  db: Database;
  logger: Logger;
  /** the process's field cipher and lookup hasher (demo respondents' e-mails and answers) */
  security(): FieldSecurity;
}

/** Loads the demo catalog, the shipped surveys and the demo help centre once (each step is idempotent); returns what it did. */
export async function seedDemoData(ctx: SeedContext): Promise<string[]> {
  const done: string[] = [];
  const catalog = await seedDemoCatalog(ctx.db.prisma);
  if (!catalog.skipped) {
    done.push(`catalog (${catalog.products} products, ${catalog.orders} orders, ${catalog.rules} rules)`);
  }
  const existing = await ctx.db.prisma.instrument.count();
  const surveys = await seedDemoSurveys(ctx.db.prisma);
  if (existing < surveys.instruments.length) done.push(`surveys (${surveys.instruments.join(', ')})`);
  // Simulated respondents (marked demo; `mkt demo remove` deletes them for good). Their profiles
  // are built by the profiles.recompute job the server queues at start (queueDemoProfiles).
  const { cipher, lookup } = ctx.security();
  const respondents = await seedDemoRespondents(ctx.db.prisma, {
    encrypt: (plain, context) => cipher.encrypt(plain, context),
    emailHash: (email) => lookup.email(email),
  });
  if (!respondents.skipped)
    done.push(
      `demo respondents (${respondents.customers} customers, ${respondents.sessions} survey sessions, ${respondents.conversations} conversations, ${respondents.segments} segments)`,
    );
  const orderDesk = await seedDemoOrderDesk(ctx.db.prisma, (email) => lookup.email(email));
  if (orderDesk > 0) done.push(`order-status orders (${orderDesk})`);
  const helpPages = await seedDemoHelpCentre(createPrismaKbStore(ctx.db.prisma));
  if (helpPages > 0) done.push(`help centre (${helpPages} pages)`);
  if (done.length > 0) ctx.logger.info({ seeded: done }, 'demo data loaded');
  return done;
}

/**
 * Queues the profiles of demo customers that have none yet (after a seed, or an interrupted one),
 * naming them: a respondent whose answers make an empty profile never gets one, so a server with
 * demo data finds a few such customers at every start, and recomputing all 400 profiles for them
 * was a start-up's largest background job.
 */
export async function queueDemoProfiles(
  db: Database,
  jobs: {
    enqueue(
      name: 'profiles.recompute',
      payload: { reason: string; customerIds?: string[] },
      options?: { jobId?: string },
    ): Promise<unknown>;
  },
): Promise<boolean> {
  const missing = await db.prisma.customer.findMany({
    where: { demo: true, profile: null, sessions: { some: { status: 'completed' } } },
    select: { id: true },
  });
  if (missing.length === 0) return false;
  await jobs.enqueue(
    'profiles.recompute',
    { reason: 'demo data seeded', customerIds: missing.map((c) => c.id) },
    { jobId: 'demo-profiles' },
  );
  return true;
}
