// The composition root's service graph: built once per process from the configuration, shared by
// the HTTP app, the job processors and the CLI. Nothing below reads process.env.
import {
  createJobQueue,
  createVersionBus,
  scheduleDaily,
  type JobQueue,
  type ProductJobs,
} from '../jobs/index.js';
import type { KbService } from '../kb/index.js';
import type { SentenceEncoder } from '../nlu/index.js';
import type { RecsysService } from '../recsys/index.js';
import { createBots, type Bots } from './bots-wiring.js';
import { createJobProcessors, followRecsysVersions } from './job-processors.js';
import { scheduleNightlyJobs } from './nightly-jobs.js';
import { createMetrics, type Metrics } from './observability/index.js';
import type { Platform } from './platform.js';
import { createReviewService, type ReviewService } from './review/index.js';
import type { FieldCipher, LookupHasher } from './security/index.js';

/** Every long-lived service of one process. */
export interface Services {
  cipher: FieldCipher;
  lookup: LookupHasher;
  encoder: SentenceEncoder;
  recsys: RecsysService;
  /** The help-centre knowledge base (rebuilt from the database when its version moves). */
  kb: KbService;
  /** The learning loop's review queue (admin API, `mkt review`, Slack). */
  review: ReviewService;
  jobs: JobQueue<ProductJobs>;
  bots: Bots;
  metrics: Metrics;
  stop(): Promise<void>;
}

/** Builds the server's services on the platform (whose encoder, recsys and keys they share). */
export async function createServices(platform: Platform): Promise<Services> {
  const { config, db, logger } = platform;
  const { cipher, lookup } = platform.security();
  const encoder = await platform.encoder();
  const recsys = await platform.recsys();
  const kb = await platform.kb();
  const review = createReviewService({ prisma: db.prisma, cipher, kb });
  const versions = await createVersionBus({ redisUrl: config.REDIS_URL, logger });
  const unfollow = followRecsysVersions(versions, recsys, logger);
  const jobs = await createJobQueue({ redisUrl: config.REDIS_URL, logger });
  const metrics = createMetrics({ queueDepth: () => jobs.counts(), pool: db.poolStats });
  const untrack = metrics.trackJobs(jobs);
  // Without REDIS_URL this process is its own worker; with it, `mkt worker` processes help.
  await jobs.process(
    createJobProcessors({
      config,
      db,
      logger,
      versions,
      recsys,
      encoder,
      cipher,
      review: review.service,
      jobs,
    }),
  );
  const nightly = scheduleNightlyJobs(jobs, logger);
  const bots = await createBots({
    config,
    versions,
    metricsRegistry: metrics.registry,
    prisma: db.prisma,
    sql: db.sql,
    overloaded: db.overloaded,
    logger,
    cipher,
    lookup,
    encoder,
    recsys,
    kb,
    review: review.queue,
    reviewDesk: review.service,
    reviewedQuestions: review.queue,
    // A finished or withdrawn survey changes the respondent's profile: rebuilt in the background.
    onSurveyFinished: async ({ respondentId, instrumentId, status }) => {
      await jobs.enqueue('profiles.recompute', {
        reason: `survey ${instrumentId} ${status}`,
        customerIds: [respondentId],
      });
    },
  });
  // The intent models are retrained every night (and on demand: admin API, `mkt nlu retrain`).
  // Scheduled only once the bots have loaded or trained their served versions: queued earlier, the
  // retrain ran beside the first training in a fresh DATA_DIR and both wrote the same version folder.
  const nluNightly = scheduleDaily(
    jobs,
    'nlu.retrain',
    { reason: 'nightly' },
    { onError: (err) => logger.warn({ err }, 'nlu retrain schedule') },
  );
  // The review queue reaches marketers once a day when a review channel is configured.
  const reviewDigest =
    config.SLACK_BOT_TOKEN && config.SLACK_REVIEW_CHANNEL
      ? scheduleDaily(
          jobs,
          'review.digest',
          { reason: 'daily', limit: 5 },
          { onError: (err) => logger.warn({ err }, 'review digest schedule') },
        )
      : undefined;
  return {
    cipher,
    lookup,
    encoder,
    recsys,
    kb,
    review: review.service,
    jobs,
    bots,
    metrics,
    stop: async () => {
      nightly.stop();
      nluNightly.stop();
      reviewDigest?.stop();
      untrack();
      unfollow();
      await jobs.close();
      await versions.close();
      await bots.stop();
      // the encoder and recsys belong to the platform, which stops them when it closes
    },
  };
}
