// A real chat server for end-to-end tests and the benchmark: a fresh database with the demo
// catalog, shipped surveys and help centre, the real NLU (USE-lite), recsys and surveys behind the bots, and
// the Fastify plugins on an ephemeral loopback port.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import pino from 'pino';
import { createBots, type Bots } from '../../server/bots-wiring.js';
import { loadConfig } from '../../server/config.js';
import { poolStatements } from '../../server/database.js';
import { createConfiguredEncoder } from '../../server/encoder.js';
import { createKbService } from '../../server/kb-service.js';
import { createRecsysService } from '../../server/recsys-service.js';
import {
  createFieldCipher,
  createLookupHasher,
  type FieldCipher,
  type LookupHasher,
} from '../../server/security/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { TEST_CHAT_WARM_UP } from '../support/server-process.js';
import { openDatabase, type Database, type PrismaClient } from '../../prisma/index.js';
import { seedDemoHelpCentre } from '../../kb/index.js';
import {
  createPrismaKbStore,
  seedDemoCatalog,
  seedDemoOrderDesk,
  seedDemoSurveys,
  type SqlStatementRunner,
} from '../../prisma/repositories/index.js';

/** A running chat server. */
export interface ChatServer {
  url: string;
  app: FastifyInstance;
  bots: Bots;
  db: TestDatabase;
  /** Opens what the server stored encrypted (e.g. Message.text with context 'Message.text'). */
  cipher: FieldCipher;
  /** Hashes looked-up personal data (the order desk's e-mails). */
  lookup: LookupHasher;
  close(): Promise<void>;
}

/** How a chat server reaches its database (defaults: a fresh seeded one, directly). */
export interface ChatServerOptions {
  /** Serve the database another chat server made, as a second server process would (not closed). */
  shareDatabaseOf?: ChatServer;
  /** The URL the server connects with, from the database's (e.g. through a TCP proxy the test cuts). */
  reach?: (url: string) => string;
  /** Wraps the runner of the turn statements (to cut the database between a turn's statements). */
  wrapStatements?: (run: SqlStatementRunner) => SqlStatementRunner;
  /** Wraps the server's Prisma client (to cut the database after one of its writes). */
  wrapPrisma?: (prisma: PrismaClient) => PrismaClient;
}

// Trained intent models and the product index are cached here between runs (keyed by data hash
// and catalog version inside their manifests), so only the first run pays for training.
const CACHE_DIR = resolve(import.meta.dirname, '../../bench/.cache/bots-data');

/** Starts the server; `kind` picks the database. */
export async function startChatServer(
  kind: 'pglite' | 'postgres' = 'pglite',
  env: Record<string, string> = {},
  options: ChatServerOptions = {},
): Promise<ChatServer> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const shared = options.shareDatabaseOf?.db;
  const db = shared ?? (await createTestDatabase(kind));
  // The data this server reads and writes, through `reach` when given; seeds and checks go direct.
  const served: Database =
    options.reach && db.url ? await openDatabase({ kind: 'postgres', url: options.reach(db.url) }) : db;
  const prisma = options.wrapPrisma ? options.wrapPrisma(served.prisma) : served.prisma;
  const servedUrl = db.url && (options.reach ? options.reach(db.url) : db.url);
  // A second server shares the first one's keys, as processes of one deployment do.
  const lookup = options.shareDatabaseOf?.lookup ?? createLookupHasher(randomBytes(32));
  if (!shared) await seed(db, lookup);
  const config = loadConfig({
    DATA_DIR: CACHE_DIR,
    BRAND_NAME: 'Northwind Outfitters',
    TOKEN_SECRET: randomBytes(24).toString('hex'),
    LOG_LEVEL: 'warn',
    ...TEST_CHAT_WARM_UP,
    ...env,
  });
  const logger = pino({ level: process.env.BOTS_TEST_LOG ?? 'warn' });
  const cipher =
    options.shareDatabaseOf?.cipher ?? createFieldCipher({ current: { id: 'k1', key: randomBytes(32) } });
  // On PostgreSQL the hot statements run on a pool of their own, as the server runs them.
  const pool = servedUrl ? new pg.Pool({ connectionString: servedUrl, max: config.pool.max }) : undefined;
  // Dropping the test database ends its connections; an idle one's error must not crash the run.
  pool?.on('error', () => undefined);
  // The services the platform shares (built as server/platform.ts builds them).
  const direct = pool && poolStatements(pool);
  const sql = direct && options.wrapStatements ? options.wrapStatements(direct) : direct;
  const encoder = await createConfiguredEncoder(config);
  const recsys = await createRecsysService(config, { prisma, sql }, logger, encoder);
  const bots = await createBots({
    config,
    prisma,
    sql,
    logger,
    cipher,
    lookup,
    encoder,
    recsys,
    kb: createKbService({ config, prisma, encoder, logger, sql }),
    slack: env.SLACK_BOT_TOKEN !== undefined,
  });
  const app = Fastify({ bodyLimit: 256 * 1024 });
  await bots.register(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    url,
    app,
    bots,
    db,
    cipher,
    lookup,
    close: async () => {
      await app.close();
      await bots.stop();
      await recsys.stop();
      await encoder.dispose();
      await pool?.end();
      if (served !== db) await served.close();
      if (!shared) await db.close();
    },
  };
}

// The demo catalog, surveys, help centre and order desk.
async function seed(db: TestDatabase, lookup: LookupHasher): Promise<void> {
  // The seed runs in one transaction with Prisma's 5 s limit; on a busy machine it may time out
  // and roll back, so it is retried (it is idempotent).
  for (let attempt = 1; ; attempt++) {
    try {
      await seedDemoCatalog(db.prisma);
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  await seedDemoSurveys(db.prisma);
  await seedDemoHelpCentre(createPrismaKbStore(db.prisma));
  await seedDemoOrderDesk(db.prisma, (email) => lookup.email(email));
}
