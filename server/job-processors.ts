// Processors of the product's background jobs, shared by the server (embedded queue, or helping a
// Redis queue) and `mkt worker`. Results that other processes hold in memory (the product index,
// the bought-together rules) are announced on the version bus so every process reloads them.
import { slackNotifyProcessor } from './handoff/notify-processor.js';
import type { Logger } from 'pino';
import { type JobQueue, type ProcessorMap, type ProductJobs, type VersionBus } from '../jobs/index.js';
import type { SentenceEncoder } from '../nlu/index.js';
import { recsysJobProcessors, type RecsysService } from '../recsys/index.js';
import { recomputeProfiles } from '../surveys/index.js';
import { seedIntentExamples } from './intent-seed.js';
import type { Config } from './config.js';
import { nluRetrainProcessor } from './nlu-retrain.js';
import { reportRenderProcessor } from './report-render.js';
import { reviewDigestProcessor, slackRetrainReport, type ReviewService } from './review/index.js';
import type { ServerDatabase } from './database.js';
import type { FieldCipher } from './security/index.js';
import {
  createRetentionProcessor,
  PrismaProfileRepository,
  PrismaSegmentRepository,
  PrismaSurveyStore,
  type TextCipher,
} from '../prisma/repositories/index.js';

/** What the processors need: the process's shared services (from its platform). */
export interface ProcessorDeps {
  config: Config;
  db: ServerDatabase;
  logger: Logger;
  versions: VersionBus;
  recsys: RecsysService;
  /** the encoder (profile vectors, intent models) */
  encoder: SentenceEncoder;
  /** the field cipher (free-text answers) */
  cipher: FieldCipher;
  /** the process's review service (reviewed examples for retraining, the daily digest) */
  review: ReviewService;
  /** the process's job queue: processors that post to Slack queue slack.notify through it */
  jobs: Pick<JobQueue<ProductJobs>, 'enqueue'>;
}

/** The processors of every job the product defines that has work to do in this version. */
export function createJobProcessors(deps: ProcessorDeps): ProcessorMap<ProductJobs> {
  const { config, db, logger, versions, encoder, recsys, cipher, review, jobs } = deps;
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
    'profiles.recompute': profilesRecomputeProcessor(db, { encoder, cipher: answerCipher(cipher) }, logger),
    'segments.recompute': segmentsRecomputeProcessor(db, logger),
    'report.render': reportRenderProcessor({
      db,
      dataDir: config.dataDir,
      answers: answerCipher(cipher),
      logger,
    }),
    'slack.notify': slackNotifyProcessor(config, logger),
    // Trains in the registry folders every server process serves from; a swap is announced.
    'nlu.retrain': nluRetrainProcessor({
      dataDir: config.dataDir,
      encoder,
      seedExamples: seedIntentExamples,
      reviewedExamples: (domain) => review.reviewedExamples(domain),
      versions,
      logger,
      report: slackRetrainReport(config, (payload) => jobs.enqueue('slack.notify', payload)),
    }),
    'review.digest': reviewDigestProcessor(config, review, logger),
  };
}

/** The cipher of free-text survey answers (Answer.text). */
export function answerCipher(cipher: FieldCipher): TextCipher {
  return {
    encrypt: (s) => cipher.encrypt(s, 'Answer.text'),
    decrypt: (s) => cipher.decrypt(s, 'Answer.text'),
  };
}

/**
 * Rebuilds profiles (traits with percentiles, NPS class, preferences, vector) of the listed
 * customers, or of every respondent; then re-evaluates the rule segments, whose members depend on
 * them. Recommendations read the stored profile on the next request.
 */
export function profilesRecomputeProcessor(
  db: Pick<ServerDatabase, 'prisma'>,
  deps: { encoder?: SentenceEncoder; cipher?: TextCipher },
  logger: Pick<Logger, 'info'>,
): (payload: {
  reason: string;
  customerIds?: string[];
}) => Promise<{ updated: number; removed: number; segments: number }> {
  const profiles = new PrismaProfileRepository(db.prisma, deps.cipher);
  const segments = new PrismaSegmentRepository(db.prisma);
  return async (payload) => {
    const result = await recomputeProfiles(profiles, payload.customerIds, { encoder: deps.encoder });
    const sizes = await segments.recompute();
    logger.info({ reason: payload.reason, ...result, segments: sizes.length }, 'profiles recomputed');
    return { ...result, segments: sizes.length };
  };
}

/** Re-evaluates rule segments (all, or the listed ones) and stores their members. */
export function segmentsRecomputeProcessor(
  db: Pick<ServerDatabase, 'prisma'>,
  logger: Pick<Logger, 'info'>,
): (payload: {
  reason: string;
  segmentIds?: string[];
}) => Promise<{ segments: { name: string; size: number }[] }> {
  const segments = new PrismaSegmentRepository(db.prisma);
  return async (payload) => {
    const sizes = await segments.recompute(payload.segmentIds);
    logger.info({ reason: payload.reason, segments: sizes.length }, 'segments recomputed');
    return { segments: sizes.map(({ name, size }) => ({ name, size })) };
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
