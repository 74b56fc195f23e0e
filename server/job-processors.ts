// Processors of the product's background jobs, shared by the server (embedded queue, or helping a
// Redis queue) and `mkt worker`. Results that other processes hold in memory (the product index,
// the bought-together rules) are announced on the version bus so every process reloads them.
import { join } from 'node:path';
import type { Logger } from 'pino';
import {
  createRetentionProcessor,
  type ProcessorMap,
  type ProductJobs,
  type VersionBus,
} from '../jobs/index.js';
import { createEncoder, type SentenceEncoder } from '../nlu/index.js';
import { createPrismaRecsysStore, recsysJobProcessors, RecsysService } from '../recsys/index.js';
import { PrismaSurveyStore } from '../surveys/index.js';
import type { Config } from './config.js';
import type { ServerDatabase } from './database.js';

/** What the processors need. */
export interface ProcessorDeps {
  config: Config;
  db: ServerDatabase;
  logger: Logger;
  versions: VersionBus;
  /** The process's recommendation service; a worker process without one gets its own. */
  recsys?: RecsysService;
}

/** Builds a recommendation service over the configured database (index under DATA_DIR). */
export async function createRecsysService(
  config: Config,
  db: ServerDatabase,
  logger: Logger,
  encoder?: SentenceEncoder,
): Promise<RecsysService> {
  return new RecsysService({
    store: createPrismaRecsysStore(db.prisma, { sql: db.sql }),
    encoder: encoder ?? (await createEncoder(config.NLU_ENCODER)),
    dataDir: join(config.dataDir, 'recsys'),
    hnsw: { M: config.HNSW_M, efConstruction: config.HNSW_EF_CONSTRUCTION, ef: config.HNSW_EF },
    logger,
  }).start();
}

/** The processors of every job the product defines that has work to do in this version. */
export async function createJobProcessors(deps: ProcessorDeps): Promise<ProcessorMap<ProductJobs>> {
  const { config, db, logger, versions } = deps;
  const recsys = deps.recsys ?? (await createRecsysService(config, db, logger));
  const recsysJobs = recsysJobProcessors(recsys);
  return {
    'catalog.reindex': async (payload) => {
      const result = await recsysJobs['catalog.reindex'](payload);
      await versions.publish('recsys.index', String(payload.catalogVersion));
      return result;
    },
    'rules.mine': async (payload) => {
      const result = await recsysJobs['rules.mine'](payload);
      await versions.publish('recsys.rules', new Date().toISOString());
      return result;
    },
    'retention.purge': createRetentionProcessor(db.prisma, {
      retentionDays: config.RETENTION_DAYS,
      onResult: (result) => logger.info(result, 'retention purge done'),
    }),
    'surveys.sweep-abandoned': surveySweepProcessor(db, config.SURVEY_ABANDON_HOURS, logger),
  };
}

/**
 * Marks survey sessions idle for longer than `defaultHours` (or the payload's `idleHours`) as
 * abandoned, so completion reports count them; a respondent who comes back resumes where they were.
 */
export function surveySweepProcessor(
  db: Pick<ServerDatabase, 'prisma'>,
  defaultHours: number,
  logger: Pick<Logger, 'info'>,
): (payload: { idleHours?: number }) => Promise<{ idleHours: number; marked: number }> {
  // The sweep reads no answer text, so the store needs no cipher.
  const store = new PrismaSurveyStore(db.prisma);
  return async (payload) => {
    const idleHours = payload.idleHours ?? defaultHours;
    const marked = await store.markAbandoned(new Date(Date.now() - idleHours * 3_600_000));
    logger.info({ idleHours, marked }, 'survey sessions marked abandoned');
    return { idleHours, marked };
  };
}

/** Keeps this process's in-memory recommendation state in step with announcements of others. */
export function followRecsysVersions(
  versions: VersionBus,
  recsys: RecsysService,
  logger: Logger,
): () => void {
  const own = (origin: string) => origin === versions.origin;
  const offIndex = versions.subscribe('recsys.index', async (a) => {
    if (own(a.origin)) return;
    const result = await recsys.syncCatalog();
    logger.info({ version: a.version, ...result }, 'product index updated after an announcement');
  });
  const offRules = versions.subscribe('recsys.rules', async (a) => {
    if (own(a.origin)) return;
    await recsys.retrainModels();
    logger.info({ version: a.version }, 'recommendation models reloaded after an announcement');
  });
  return () => {
    offIndex();
    offRules();
  };
}
