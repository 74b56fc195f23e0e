// The one public entry of server/, the composition root: the CLI (and anything outside server/
// that needs a running platform) imports from here only.
//
// Configuration and the data-folder lock are light and exported as they are. The rest pulls in
// the whole product (NLU, recsys, Prisma, Fastify: seconds to load), so it is loaded on first
// call: `mkt jobs failed` or `mkt nlu eval` must not pay for the server they never start.
import type { Database } from '../prisma/index.js';
import type { Config } from './config.js';
import type { Platform, PlatformOptions } from './platform.js';
import type { SeedContext } from './seed.js';
import type { RunningServer } from './start.js';
import type { RunningWorkerProcess } from './worker-process.js';
import type { ServedIntentRegistry } from './intent-model-admin.js';

export { loadConfig, ConfigError, type Config } from './config.js';
export { DataDirLockedError, dataDirOwner, lockFilePath, type DataDirOwner } from './data-dir-lock.js';
export type { Platform, PlatformOptions } from './platform.js';
export type { RunningServer } from './start.js';
export type { RunningWorkerProcess } from './worker-process.js';
export type { ServedIntentRegistry } from './intent-model-admin.js';
export type { PrismaPrivacy } from '../prisma/repositories/index.js';
export {
  SegmentServiceError,
  sizeRangeDates,
  ZSegmentInput,
  ZSegmentName,
  ZSegmentSizeRange,
  type SegmentInput,
} from './segment-input.js';

/** Opens the platform: configuration → logger → (data-folder lock) → database. */
export async function openPlatform(options: PlatformOptions): Promise<Platform> {
  return (await import('./platform.js')).openPlatform(options);
}

/** Runs `work` on a platform opened for it, then closes it (what a `mkt` command does). */
export async function withPlatform<T>(
  options: PlatformOptions,
  work: (platform: Platform) => Promise<T>,
): Promise<T> {
  return (await import('./platform.js')).withPlatform(options, work);
}

/** What `mkt review` uses: the review service (new answers written to the knowledge base) and the audit log. */
export async function reviewTools(platform: Platform) {
  const [review, security] = await Promise.all([import('./review/index.js'), import('./security/index.js')]);
  return {
    review: review.createReviewServiceForCommands(platform.db.prisma, await platform.kb({ embeds: false })),
    audit: security.createPrismaAuditWriter(platform.db.prisma),
  };
}

/** Starts the HTTP server with its services (tests pass a configuration). */
export async function startServer(config?: Config): Promise<RunningServer> {
  return (await import('./start.js')).startServer(config);
}

/** `npm start` / `mkt serve`: the server until Ctrl-C. */
export async function serve(): Promise<void> {
  return (await import('./serve.js')).serve();
}

/** `mkt worker`: consumes jobs from Redis on its own platform. */
export async function startWorkerProcess(options: {
  prefix: string;
  config: Config;
}): Promise<RunningWorkerProcess> {
  return (await import('./worker-process.js')).startWorkerProcess(options);
}

/** Loads the demo catalog, surveys, respondents and help centre (each step idempotent). */
export async function seedDemoData(platform: SeedContext): Promise<string[]> {
  return (await import('./seed.js')).seedDemoData(platform);
}

/** Drops every table (migrating again recreates the schema). */
export async function wipeDatabase(db: Database): Promise<void> {
  return (await import('./database.js')).wipeDatabase(db);
}

/** The intent models the server serves for `domain` (`mkt nlu train|versions|rollback --domain`). */
export async function servedIntentRegistry(
  config: Config,
  domain: 'customer' | 'marketer',
): Promise<ServedIntentRegistry> {
  return (await import('./intent-model-admin.js')).servedIntentRegistry(config, domain);
}

/** What the admin commands use beside the platform: API keys, the audit log, export and erasure. */
export async function adminTools(platform: Platform) {
  const [security, privacy] = await Promise.all([import('./security/index.js'), import('./privacy.js')]);
  return {
    apiKeys: security.createApiKeyStore(platform.db.prisma),
    audit: security.createPrismaAuditWriter(platform.db.prisma),
    privacy: privacy.createPrivacy(platform.db.prisma, platform.security().cipher),
  };
}

/** The saved-segment operations the admin API uses too (create, preview, show, remove, k-means). */
export async function segmentTools(platform: Platform) {
  const [{ SegmentService }, security] = await Promise.all([
    import('./segment-service.js'),
    import('./security/index.js'),
  ]);
  return {
    // keys are loaded only when an export decrypts (listing and saving never need them)
    segments: new SegmentService(platform.db.prisma, (sealed, context) =>
      platform.security().cipher.decrypt(sealed, context),
    ),
    audit: security.createPrismaAuditWriter(platform.db.prisma),
  };
}

/** Survey free text as the operator reads it in reports: decrypted, e-mails and numbers masked. */
export async function readableAnswerText(platform: Platform) {
  return (await import('./readable-answers.js')).readableAnswers(platform.security().cipher);
}
