// The composition root's service graph: built once per process from the configuration, shared by
// the HTTP app, the job processors and the CLI. Nothing below reads process.env.
import { join } from 'node:path';
import type { Logger } from 'pino';
import {
  createJobQueue,
  createRetentionProcessor,
  type JobQueue,
  type ProcessorMap,
  type ProductJobs,
} from '../jobs/index.js';
import { createEncoder, type SentenceEncoder } from '../nlu/index.js';
import type { Database } from '../prisma/index.js';
import { createPrismaRecsysStore, RecsysService } from '../recsys/index.js';
import { createBots, type Bots } from './bots-wiring.js';
import type { Config } from './config.js';
import { createMetrics, type Metrics } from './observability/index.js';
import { createFieldSecurity, type FieldCipher, type LookupHasher } from './security/index.js';

/** Every long-lived service of one process. */
export interface Services {
  cipher: FieldCipher;
  lookup: LookupHasher;
  encoder: SentenceEncoder;
  recsys: RecsysService;
  jobs: JobQueue<ProductJobs>;
  bots: Bots;
  metrics: Metrics;
  stop(): Promise<void>;
}

/** Builds the services over an open, migrated database. */
export async function createServices(config: Config, db: Database, logger: Logger): Promise<Services> {
  const { cipher, lookup } = createFieldSecurity(config, { logger });
  const encoder = await createEncoder(config.NLU_ENCODER);
  const recsys = await new RecsysService({
    store: createPrismaRecsysStore(db.prisma),
    encoder,
    dataDir: join(config.dataDir, 'recsys'),
    hnsw: { M: config.HNSW_M, efConstruction: config.HNSW_EF_CONSTRUCTION, ef: config.HNSW_EF },
    logger,
  }).start();
  const jobs = await createJobQueue({ redisUrl: config.REDIS_URL, logger });
  // Without REDIS_URL this process is its own worker; with it, `mkt worker` processes may help.
  await jobs.process(jobProcessors(config, db, recsys));
  const bots = await createBots({ config, prisma: db.prisma, logger, cipher, encoder, recsys });
  const metrics = createMetrics({ queueDepth: () => jobs.counts() });
  return {
    cipher,
    lookup,
    encoder,
    recsys,
    jobs,
    bots,
    metrics,
    stop: async () => {
      await jobs.close();
      await bots.stop();
      await recsys.stop();
      await encoder.dispose();
    },
  };
}

/** The processors of the product's background jobs. */
export function jobProcessors(config: Config, db: Database, recsys: RecsysService): ProcessorMap<ProductJobs> {
  return {
    'catalog.reindex': async () => recsys.syncCatalog(),
    'rules.mine': async (payload) =>
      recsys.refreshRules(
        payload.minSupport && payload.minConfidence
          ? { minSupport: payload.minSupport, minConfidence: payload.minConfidence }
          : undefined,
      ),
    'retention.purge': createRetentionProcessor(db.prisma, { retentionDays: config.RETENTION_DAYS }),
  };
}
