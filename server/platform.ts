// The platform every process stands on, built in one order and once: configuration → logger →
// (lock of the embedded database) → database → shared services on demand. `npm start`, `mkt worker`
// and every `mkt` command that touches data open it; nothing else builds these pieces.
import type { Logger, LevelWithSilent } from 'pino';
import type { KbService } from '../kb/index.js';
import { maskPII, type SentenceEncoder } from '../nlu/index.js';
import type { MigrateResult } from '../prisma/index.js';
import type { RecsysService, RecsysServiceOptions } from '../recsys/index.js';
import { loadConfig, type Config } from './config.js';
import {
  acquireDataDirLock,
  describeOwner,
  serverRefusal,
  type DataDirLock,
  type DataDirOwner,
} from './data-dir-lock.js';
import { openConfiguredDatabase, openMigratedDatabase, type ServerDatabase } from './database.js';
import { createConfiguredEncoder } from './encoder.js';
import { createRecsysService } from './recsys-service.js';
import { createFieldSecurity, createSecureLogger, type FieldSecurity } from './security/index.js';

/** How a process opens the platform. */
export interface PlatformOptions {
  /** `server`, `worker` or the mkt command (`mkt db seed`): named in the lock and in refusals */
  role: string;
  /** configuration already loaded (tests); read from the environment otherwise */
  config?: Config;
  logger?: Logger;
  /** log level of the platform's logger when none is given (commands log warnings only) */
  logLevel?: LevelWithSilent;
  /** extra fields on every log line (the worker marks its lines with role: 'worker') */
  logBase?: Record<string, unknown>;
  /** log to stderr (commands whose stdout is their result) */
  logToStderr?: boolean;
  /** apply pending migrations (default true; the worker leaves that to the server) */
  migrate?: boolean;
  /** what to do instead while a server owns the embedded database (commands that write) */
  instead?: string;
}

/** A process's configuration, logger and database, and its shared services built on first use. */
export interface Platform {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: ServerDatabase;
  readonly migrated: MigrateResult;
  /** the sentence encoder (on its own thread and warmed up in a server) */
  encoder(): Promise<SentenceEncoder>;
  /** the recommendation service (index loaded or built under DATA_DIR/recsys) */
  recsys(progress?: RecsysServiceOptions['progress']): Promise<RecsysService>;
  /**
   * the help-centre knowledge base; `{ embeds: false }` for work that only writes or lists it
   * (import, remove, a reviewer's answer), which then loads no model
   */
  kb(options?: { embeds?: boolean }): Promise<KbService>;
  /** the field cipher and e-mail lookup hasher (keys from the environment or DATA_DIR) */
  security(): FieldSecurity;
  /** Stops what was built, closes the database and releases the data folder. */
  close(): Promise<void>;
}

/** Opens the platform; with the embedded database the data folder is locked for this process first. */
export async function openPlatform(options: PlatformOptions): Promise<Platform> {
  const config = options.config ?? loadConfig();
  const logger =
    options.logger ??
    createSecureLogger({
      level: options.logLevel ?? config.LOG_LEVEL,
      maskPII,
      ...(options.logBase ? { base: { pid: process.pid, ...options.logBase } } : {}),
      ...(options.logToStderr ? { destination: process.stderr } : {}),
    });
  const lock = lockEmbeddedDatabase(config, options);
  let db: ServerDatabase;
  let migrated: MigrateResult = { applied: [], alreadyApplied: 0 };
  try {
    if (options.migrate === false) db = await openConfiguredDatabase(config);
    else ({ db, migrated } = await openMigratedDatabase(config));
  } catch (error) {
    lock?.release();
    throw error;
  }
  const serving = options.role === 'server';
  const stops: Array<() => Promise<void>> = [];
  let encoder: Promise<SentenceEncoder> | undefined;
  let recsys: Promise<RecsysService> | undefined;
  let security: FieldSecurity | undefined;
  const kbs: { embeds?: Promise<KbService>; writes?: Promise<KbService> } = {};
  const platform: Platform = {
    config,
    logger,
    db,
    migrated,
    encoder: () =>
      (encoder ??= createConfiguredEncoder(config, { serving }).then((built) => {
        stops.push(() => built.dispose());
        return built;
      })),
    recsys: (progress) =>
      (recsys ??= platform.encoder().then(async (shared) => {
        const built = await createRecsysService(config, db, logger, shared, progress);
        stops.push(() => built.stop());
        return built;
      })),
    // Loaded on first use: the knowledge base pulls in its importers (HTML, PDF), which a
    // command that never touches it should not pay for.
    kb: (options) =>
      options?.embeds === false
        ? (kbs.writes ??= import('./kb-service.js').then((m) =>
            m.createKbService({ config, prisma: db.prisma, encoder: m.NO_ENCODER, logger }),
          ))
        : (kbs.embeds ??= Promise.all([import('./kb-service.js'), platform.encoder()]).then(([m, shared]) =>
            m.createKbService({ config, prisma: db.prisma, encoder: shared, logger, sql: db.sql }),
          )),
    security: () =>
      (security ??= createFieldSecurity(config, { logger, previousKeys: config.ENCRYPTION_PREVIOUS_KEYS })),
    close: async () => {
      // Later pieces use earlier ones: stopped in reverse order.
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
      await db.close();
      lock?.release();
    },
  };
  return platform;
}

/** Runs `work` on a platform opened for it and closes the platform after (commands). */
export async function withPlatform<T>(
  options: PlatformOptions,
  work: (platform: Platform) => Promise<T>,
): Promise<T> {
  // A command's stdout is its result (often JSON another tool parses); its logs go to stderr.
  const platform = await openPlatform({ logToStderr: true, ...options });
  try {
    return await work(platform);
  } finally {
    await platform.close();
  }
}

function lockEmbeddedDatabase(config: Config, options: PlatformOptions): DataDirLock | undefined {
  // PostgreSQL takes many processes; only the embedded database is single-process.
  if (config.database.kind !== 'pglite') return undefined;
  return acquireDataDirLock(config.dataDir, options.role, (owner, dir) => refusal(owner, dir, options));
}

function refusal(owner: DataDirOwner, dataDir: string, options: PlatformOptions): string {
  if (options.role === 'server' || options.role === 'worker') return serverRefusal(dataDir, owner);
  const instead = options.instead ? ` Instead: ${options.instead}.` : '';
  return (
    `${options.role} cannot open the embedded database in ${dataDir} while ${describeOwner(owner)} ` +
    `owns it.${instead} Or stop ${owner.role === 'server' ? 'the server' : 'that process'} and run the command again.`
  );
}
