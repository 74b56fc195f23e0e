import { z } from 'zod';

// The background jobs of the product: name, payload schema (zod, the single source of truth for
// what goes through Redis) and retry policy. Processors are plain async functions registered by
// the composition root; this file only says what exists.

/** Retry and concurrency policy of one job name, with its payload schema. */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  readonly description: string;
  readonly payload: S;
  /** total attempts, including the first */
  readonly attempts: number;
  /** base delay of the exponential backoff: attempt n waits backoffMs * 2^(n-1) */
  readonly backoffMs: number;
  /** jobs of this name run at most this many at a time per process */
  readonly concurrency: number;
}

/** A named set of job definitions. */
export type JobDefinitions = Record<string, JobDefinition>;

/** Type helper: keeps literal names and schema types of a definition set. */
export function defineJobs<const D extends JobDefinitions>(definitions: D): D {
  return definitions;
}

/** Payload accepted by `enqueue` (schema input, defaults may be omitted). */
export type PayloadInput<D extends JobDefinitions, N extends keyof D> = z.input<D[N]['payload']>;
/** Payload handed to a processor (schema output, defaults applied). */
export type PayloadOf<D extends JobDefinitions, N extends keyof D> = z.output<D[N]['payload']>;

const reason = z.string().max(200).default('unspecified');

/** Catalog changed: embed changed products and update the vector index. */
export const ZCatalogReindex = z.object({
  reason,
  /** catalog version the index must reach (CatalogState.version) */
  catalogVersion: z.number().int().min(0),
  /** only these products changed; absent = rebuild everything */
  productIds: z.array(z.string().min(1)).max(10_000).optional(),
});

/** Re-mine association rules from orders. */
export const ZRulesMine = z.object({
  reason,
  minSupport: z.number().gt(0).max(1).optional(),
  minConfidence: z.number().gt(0).max(1).optional(),
});

/** Retrain the NLU intent model from training examples and corrections. */
export const ZNluRetrain = z.object({
  reason,
  requestedBy: z.string().max(200).optional(),
  /** only this domain's model; absent = both */
  domain: z.enum(['customer', 'marketer']).optional(),
});

/** The daily review digest: the oldest open review items posted to SLACK_REVIEW_CHANNEL. */
export const ZReviewDigest = z.object({
  reason,
  /** items posted (one message each) */
  limit: z.number().int().min(1).max(20).default(5),
});

/** Recompute customer profiles (all, or the listed customers). */
export const ZProfilesRecompute = z.object({
  reason,
  customerIds: z.array(z.uuid()).max(10_000).optional(),
});

/** Recompute segment memberships (all, or the listed segments). */
export const ZSegmentsRecompute = z.object({
  reason,
  segmentIds: z.array(z.uuid()).max(1_000).optional(),
});

/** Render a report (survey results, NPS, segment summary) to a file under DATA_DIR. */
export const ZReportRender = z.object({
  report: z.string().min(1).max(100),
  format: z.enum(['svg', 'png', 'csv', 'json']),
  params: z.record(z.string(), z.unknown()).default({}),
  requestedBy: z.string().max(200).optional(),
});

/** Post a message to Slack (hand-offs, report ready, alerts). */
/** A Slack message to post (slack.notify). */
export type SlackNotify = z.input<typeof ZSlackNotify>;
export const ZSlackNotify = z.object({
  channel: z.string().min(1).max(100),
  text: z.string().min(1).max(4_000),
  threadTs: z.string().max(50).optional(),
  /** Block Kit blocks (buttons of a report); `text` stays the notification's fallback */
  blocks: z.array(z.record(z.string(), z.unknown())).max(50).optional(),
});

/** GDPR retention: delete conversations older than the retention period. */
export const ZRetentionPurge = z.object({
  /** overrides RETENTION_DAYS (tests, one-off purges) */
  retentionDays: z.number().int().min(1).optional(),
});

/** Survey sessions left without an answer for too long are marked abandoned (completion reports). */
export const ZSurveysSweepAbandoned = z.object({
  /** overrides SURVEY_ABANDON_HOURS (tests, one-off sweeps) */
  idleHours: z.number().positive().max(8_760).optional(),
});

/** Every background job of the product. */
export const jobDefinitions = defineJobs({
  'catalog.reindex': {
    description: 'embed changed products and update the vector index',
    payload: ZCatalogReindex,
    attempts: 5,
    backoffMs: 2_000,
    concurrency: 1,
  },
  'rules.mine': {
    description: 'mine association rules from orders',
    payload: ZRulesMine,
    attempts: 3,
    backoffMs: 10_000,
    concurrency: 1,
  },
  'nlu.retrain': {
    description: 'retrain the NLU intent model',
    payload: ZNluRetrain,
    attempts: 2,
    backoffMs: 30_000,
    concurrency: 1,
  },
  'review.digest': {
    description: 'post the oldest open review items to SLACK_REVIEW_CHANNEL',
    payload: ZReviewDigest,
    attempts: 3,
    backoffMs: 60_000,
    concurrency: 1,
  },
  'profiles.recompute': {
    description: 'recompute customer profiles',
    payload: ZProfilesRecompute,
    attempts: 3,
    backoffMs: 5_000,
    concurrency: 1,
  },
  'segments.recompute': {
    description: 'recompute segment memberships',
    payload: ZSegmentsRecompute,
    attempts: 3,
    backoffMs: 5_000,
    concurrency: 1,
  },
  'report.render': {
    description: 'render a report to a file',
    payload: ZReportRender,
    attempts: 3,
    backoffMs: 2_000,
    concurrency: 2,
  },
  'slack.notify': {
    description: 'post a Slack message',
    payload: ZSlackNotify,
    attempts: 6,
    backoffMs: 1_000,
    concurrency: 4,
  },
  'retention.purge': {
    description: 'delete conversations older than RETENTION_DAYS',
    payload: ZRetentionPurge,
    attempts: 3,
    backoffMs: 60_000,
    concurrency: 1,
  },
  'surveys.sweep-abandoned': {
    description: 'mark survey sessions idle for longer than SURVEY_ABANDON_HOURS as abandoned',
    payload: ZSurveysSweepAbandoned,
    attempts: 3,
    backoffMs: 60_000,
    concurrency: 1,
  },
});

/** The product's job definition set. */
export type ProductJobs = typeof jobDefinitions;
/** Name of a product job. */
export type JobName = keyof ProductJobs & string;
