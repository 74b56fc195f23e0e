// The one place a process builds its recommendation service (server, worker and `mkt recommend`).
import { join } from 'node:path';
import type { Logger } from 'pino';
import { everydayEnglishWords, type SentenceEncoder } from '../nlu/index.js';
import { createPrismaRecsysStore } from '../prisma/repositories/index.js';
import { RecsysService, type RecsysServiceOptions } from '../recsys/index.js';
import type { Config } from './config.js';
import type { ServerDatabase } from './database.js';

/** A started recommendation service over the configured database (index under DATA_DIR/recsys). */
export async function createRecsysService(
  config: Config,
  db: Pick<ServerDatabase, 'prisma' | 'sql'>,
  logger: Logger,
  encoder: SentenceEncoder,
  progress?: RecsysServiceOptions['progress'],
): Promise<RecsysService> {
  return new RecsysService({
    store: createPrismaRecsysStore(db.prisma, { sql: db.sql }),
    encoder,
    dataDir: join(config.dataDir, 'recsys'),
    hnsw: { M: config.HNSW_M, efConstruction: config.HNSW_EF_CONSTRUCTION, ef: config.HNSW_EF },
    logger,
    progress,
    commonWords: await everydayEnglishWords(),
  }).start();
}
