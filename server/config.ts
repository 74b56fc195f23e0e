import { resolve } from 'node:path';
import { z } from 'zod';
import { ZBusinessHours } from '../bots/handoff/hours.js';
// The policy module alone (zod only): bots/index.js would load botbuilder and Bolt for every CLI command.
import { dialogPolicy, ZDialogPolicyOverrides, type DialogPolicy } from '../bots/dialog/policy.js';
import { maskDatabaseUrl } from '../prisma/index.js';

// The one place environment variables are read. Every variable has a default that works on a
// fresh machine (embedded database, in-process jobs), so `npm start` needs no configuration.

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL');

const redisUrl = z.string().refine((v) => /^rediss?:\/\//.test(v), 'must be a redis:// or rediss:// URL');

/** Training sentences of the chat's start-up warm-up when CHAT_WARM_UP_SENTENCES is unset. */
export const DEFAULT_CHAT_WARM_UP_SENTENCES = 400;

/** Shape of the environment; the source of truth for `.env.example`. */
export const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: optionalString,
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: postgresUrl.optional().or(z.literal('').transform(() => undefined)),
  /** PostgreSQL connections per process (the pool shared by Prisma and the chat's hot statements) */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** how long a query may wait for a free pooled connection before it fails (ms) */
  DATABASE_POOL_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /**
   * queries waiting for a connection above which a new chat message is refused at once with 503
   * and Retry-After, instead of joining a queue it would leave only after its reply is too late
   */
  DATABASE_MAX_WAITING: z.coerce.number().int().min(1).max(100_000).default(200),
  /**
   * how long a chat turn's own statements (the stored message, the saved state) may go unanswered
   * (ms): a database that silently stopped answering is then noticed and the message refused with
   * 503 + Retry-After, instead of the request hanging on a dead connection
   */
  DATABASE_CHAT_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  REDIS_URL: redisUrl.optional().or(z.literal('').transform(() => undefined)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_DEMO: bool.default(true),
  NLU_ENCODER: z
    .string()
    .regex(/^(use-lite|onnx:.+)$/, 'must be "use-lite" or "onnx:<model folder>"')
    .default('use-lite'),
  /** run the sentence encoder on a worker thread, off the event loop (server/nlu-thread) */
  NLU_ENCODER_THREAD: bool.default(true),
  NLU_SENTIMENT_MODEL: optionalString,
  /**
   * training sentences the chat runs through its read paths at start (server/chat-warm-up.ts);
   * 0 skips the warm-up (the first replies after a start are then slower)
   */
  CHAT_WARM_UP_SENTENCES: z.coerce.number().int().min(0).max(10_000).default(DEFAULT_CHAT_WARM_UP_SENTENCES),
  ENCRYPTION_KEY: optionalString.refine(
    (v) => v === undefined || /^([0-9a-f]{64}|[A-Za-z0-9+/]{43}=)$/i.test(v),
    'must be 32 bytes as 64 hex characters or base64',
  ),
  ENCRYPTION_KEY_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/)
    .default('k1'),
  /** Retired keys still needed to read older ciphertexts during a rotation: "id:key,id:key". */
  ENCRYPTION_PREVIOUS_KEYS: optionalString,
  TOKEN_SECRET: optionalString,
  /** HS256 key a shop uses to sign its signed-in users' ids for the web chat (`userToken`) */
  SHOP_USER_TOKEN_SECRET: optionalString,
  /** optional local OpenAI-compatible server that writes help-centre answers (no cloud default) */
  LLM_BASE_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  LLM_MODEL: optionalString,
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(8000),
  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_SOCKET_MODE: bool.default(false),
  SLACK_API_URL: optionalString,
  SLACK_ALLOWED_TEAMS: optionalString,
  SLACK_ADMINS: optionalString,
  /** Channel (id like C0123ABCD, or #name) where live handoffs are announced and answered. */
  /** Channel (id or #name) that gets the daily review digest (learning loop); none: no digest. */
  SLACK_REVIEW_CHANNEL: z
    .string()
    .regex(
      /^(?:#?[a-z0-9][a-z0-9_-]{0,79}|[CG][A-Z0-9]{2,})$/,
      'must be a Slack channel id (C0123ABCD) or #name',
    )
    .optional(),
  SLACK_HANDOFF_CHANNEL: z
    .string()
    .regex(
      /^(?:#?[a-z0-9][a-z0-9_-]{0,79}|[CG][A-Z0-9]{2,})$/,
      'must be a Slack channel id (C0123ABCD) or #name',
    )
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Business hours of the handoff channel, e.g. "Mon-Fri 09:00-17:00 Europe/Berlin" (unset: always). */
  HANDOFF_HOURS: ZBusinessHours.optional().or(z.literal('').transform(() => undefined)),
  /** Minutes an unclaimed handoff waits before the customer is told and may leave a message. */
  HANDOFF_WAIT_MINUTES: z.coerce.number().positive().max(1_440).default(10),
  MICROSOFT_APP_ID: optionalString,
  MICROSOFT_APP_PASSWORD: optionalString,
  MICROSOFT_APP_TENANT_ID: optionalString,
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  CORS_ORIGINS: optionalString,
  /** requests per address per window on every route (health probes excepted) */
  RATE_LIMIT_MAX: z.coerce.number().int().min(1).max(1_000_000).default(300),
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  /** chat messages per conversation per window (a person types far fewer) */
  RATE_LIMIT_CHAT_MAX: z.coerce.number().int().min(1).max(1_000_000).default(120),
  /** failed admin API authentications per address per window; then 429 until the window ends */
  RATE_LIMIT_AUTH_FAILURES: z.coerce.number().int().min(1).max(1_000_000).default(10),
  /** Redis key prefix of the shared counters (several deployments may share one Redis) */
  RATE_LIMIT_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/)
    .default('mkt-rl:'),
  /**
   * behind a reverse proxy: "true" (trust X-Forwarded-For from any hop), a hop count, or the
   * proxies' addresses/CIDRs ("10.0.0.0/8,127.0.0.1"); unset: the socket address is the client
   */
  TRUST_PROXY: optionalString.transform(parseTrustProxy),
  RETENTION_DAYS: z.coerce.number().int().min(1).default(365),
  /** a survey session without an answer for this long counts as abandoned in reports (resumable) */
  SURVEY_ABANDON_HOURS: z.coerce.number().positive().max(8_760).default(24),
  HNSW_M: z.coerce.number().int().min(4).max(128).default(16),
  HNSW_EF_CONSTRUCTION: z.coerce.number().int().min(10).max(2000).default(200),
  HNSW_EF: z.coerce.number().int().min(10).max(2000).default(100),
  BRAND_NAME: z.string().min(1).default('Northwind Outfitters'),
  /** every threshold the dialog uses, as a JSON object of overrides of bots/dialog/policy.ts */
  DIALOG_POLICY: optionalString,
  /** NPS and CSAT may be answered again after this many days */
  SURVEY_REPEAT_DAYS: z.coerce.number().int().min(0).max(3650).default(90),
});

export type Env = z.infer<typeof ZEnv>;

/** Validated configuration with derived absolute paths. */
export interface Config extends Env {
  dataDir: string;
  database: { kind: 'pglite'; dir: string } | { kind: 'postgres'; url: string };
  /** PostgreSQL pool limits (unused with the embedded database) */
  pool: { max: number; timeoutMs: number; maxWaiting: number; chatStatementTimeoutMs: number };
  /** The dialog's thresholds: the defaults with DIALOG_POLICY and SURVEY_REPEAT_DAYS applied. */
  dialogPolicy: DialogPolicy;
}

/** Raised when the environment is invalid; its message is one line naming the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates configuration from an environment object (process.env by default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ZEnv.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? 'environment');
    const shown = env[key] === undefined ? '' : ` (got "${maskValue(key, env[key]!)}")`;
    throw new ConfigError(`invalid configuration: ${key} ${issue.message}${shown}`);
  }
  const value = parsed.data;
  const dataDir = resolve(value.DATA_DIR);
  const policy = parseDialogPolicy(value.DIALOG_POLICY, value.SURVEY_REPEAT_DAYS);
  return {
    ...value,
    dataDir,
    database: value.DATABASE_URL
      ? { kind: 'postgres', url: value.DATABASE_URL }
      : { kind: 'pglite', dir: resolve(dataDir, 'pglite') },
    pool: {
      max: value.DATABASE_POOL_MAX,
      timeoutMs: value.DATABASE_POOL_TIMEOUT_MS,
      maxWaiting: value.DATABASE_MAX_WAITING,
      chatStatementTimeoutMs: value.DATABASE_CHAT_STATEMENT_TIMEOUT_MS,
    },
    dialogPolicy: policy,
  };
}

function parseDialogPolicy(json: string | undefined, surveyRepeatDays: number): DialogPolicy {
  let raw: unknown = {};
  try {
    raw = json ? JSON.parse(json) : {};
  } catch {
    throw new ConfigError('invalid configuration: DIALOG_POLICY must be a JSON object');
  }
  const overrides = ZDialogPolicyOverrides.safeParse(raw);
  if (!overrides.success) {
    const issue = overrides.error.issues[0]!;
    throw new ConfigError(`invalid configuration: DIALOG_POLICY.${issue.path.join('.')} ${issue.message}`);
  }
  return dialogPolicy({ surveyRepeatDays, ...overrides.data });
}

/** TRUST_PROXY as Fastify's `trustProxy` takes it. */
function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  if (value === undefined || /^(false|0|no)$/i.test(value)) return false;
  if (/^(true|yes)$/i.test(value)) return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** Hides secrets and URL passwords when a value is echoed back in an error. */
export function maskValue(key: string, value: string): string {
  if (/SECRET|TOKEN|PASSWORD|KEY/.test(key)) return '***';
  return maskDatabaseUrl(value);
}
