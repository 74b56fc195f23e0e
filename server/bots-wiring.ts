// Composes the bots over the real capabilities: the port adapters (nlu-adapter, catalog-adapter,
// surveys-adapter, help-centre-adapter), the served intent models, the dialog engine, then the
// Fastify plugins (chat page, Direct Line, Slack, optional Azure /api/messages). The composition
// root calls `createBots` once and `register` on the app.
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import {
  chatPagePlugin,
  cloudAdapterPlugin,
  DialogEngine,
  directLinePlugin,
  MarketerDialog,
  MarketingBot,
  renderChartPng,
  slackPlugin,
  TranscriptHub,
  type Nlu,
  type IntentVersions,
  type ReviewDesk,
  type ReviewQueue,
} from '../bots/index.js';
import type { KbService } from '../kb/index.js';
import { createSentimentAnalyzer, type SentenceEncoder, type SentimentAnalyzer } from '../nlu/index.js';
import { isDatabaseUnavailable, type PrismaClient } from '../prisma/index.js';
import {
  PrismaOrderStatus,
  createPrismaRecsysStore,
  PrismaConversationStore,
  PrismaEventLog,
  PrismaSlackHomeViewers,
  PrismaMarketerAnalytics,
  PrismaMarketerInsights,
  PrismaMemberRoles,
  PrismaPrivacy,
  PrismaSlackMembers,
  PrismaSurveyStore,
  type SqlStatementRunner,
} from '../prisma/repositories/index.js';
import type { RecsysService } from '../recsys/index.js';
import { SurveyRunner, type SurveyRunnerDeps } from '../surveys/index.js';
import type { VersionBus } from '../jobs/index.js';
import { catalogAdapter } from './catalog-adapter.js';
import { catalogGazetteer } from './catalog-gazetteer.js';
import { warmUpChat } from './chat-warm-up.js';
import type { Config } from './config.js';
import type { AdminHandoffs } from './admin/index.js';
import { createHandoff } from './handoff/wiring.js';
import { helpCentreAdapter } from './help-centre-adapter.js';
import { seedIntentExamples } from './intent-seed.js';
import { withReviewedAnswers, type ReviewedQuestions } from './review/reviewed-answers.js';
import {
  modelVersionTag,
  registerModelVersionGauge,
  startServedIntentModels,
  type ServedIntentModels,
} from './intent-models.js';
import { nluAdapter } from './nlu-adapter.js';
import { surveysAdapter } from './surveys-adapter.js';
import { tokenSecretFromFile } from './token-secret.js';
import { createDatabaseHealth } from './database-health.js';
import { takeOrRetryAfter } from './security/rate-counter.js';
import { registerTranscriptGauges } from './observability/index.js';

/** What the bots need from the composition root; shared services may be passed in. */
export interface BotsWiringDeps {
  config: Config;
  prisma: PrismaClient;
  /** The pool's direct path for the chat's hot statements (PostgreSQL); Prisma without it. */
  sql?: SqlStatementRunner;
  /** True when the database is too busy to take another chat message now (answered 503). */
  overloaded?: () => boolean;
  logger: Logger;
  /** Field cipher from server/security (AES-256-GCM). */
  cipher: {
    encrypt(plain: string, context?: string): string;
    decrypt(sealed: string, context?: string): string;
  };
  /** The platform's shared services (built once, in server/platform.ts). */
  encoder: SentenceEncoder;
  sentiment?: SentimentAnalyzer;
  recsys: RecsysService;
  /** The help-centre knowledge base. */
  kb: KbService;
  /** The served intent models (registry versions); started here, following `versions`, when absent. */
  intentModels?: ServedIntentModels;
  /** Version bus the intent models follow when this function starts them. */
  versions?: VersionBus;
  /** Skip Slack even when tokens are set (tests). */
  slack?: boolean;
  /** Keyed e-mail hashes (customer lookups by e-mail in Slack). */
  lookup?: { email(email: string): string };
  /** The process's Prometheus registry: the live handoff's metrics join it. */
  metricsRegistry?: Registry;
  /** Told when a respondent completes or withdraws a survey (queues the profile recomputation). */
  onSurveyFinished?: SurveyRunnerDeps['onFinished'];
  /** The review queue badly handled customer and marketer messages go to (learning loop). */
  review?: ReviewQueue;
  /** Review actions for Slack (`/mkt review`, its buttons and modal). */
  reviewDesk?: ReviewDesk;
  /** Questions reviewers answered with a help-centre entry: answered from it when asked again. */
  reviewedQuestions?: ReviewedQuestions;
}

/** The running bots. */
export interface Bots {
  engine: DialogEngine;
  nlu: Nlu;
  /** Export and erasure of a customer's data (also used by the admin API). */
  privacy: PrismaPrivacy;
  /** Live handoffs for the admin API, when SLACK_HANDOFF_CHANNEL is set. */
  handoffAdmin?: AdminHandoffs;
  /** Registers "/", Direct Line, and Slack / Azure when configured. */
  register(app: FastifyInstance): Promise<void>;
  stop(): Promise<void>;
}

/** Builds the bots over the real capabilities. */
export async function createBots(deps: BotsWiringDeps): Promise<Bots> {
  const { config, prisma, logger } = deps;
  const { encoder, recsys, kb } = deps;
  const sentiment =
    deps.sentiment ??
    (await createSentimentAnalyzer({
      onnxModel: config.NLU_SENTIMENT_MODEL,
      encoder,
      cacheDir: join(config.dataDir, 'nlu', 'sentiment'),
    }));
  // The intent models are ModelRegistry versions (learning issue): retrains and rollbacks reach
  // the bots without a restart.
  const intentModels =
    deps.intentModels ??
    (await startServedIntentModels({
      dataDir: config.dataDir,
      encoder,
      logger,
      versions: deps.versions,
      seedExamples: seedIntentExamples,
    }));
  if (deps.metricsRegistry) registerModelVersionGauge(deps.metricsRegistry, intentModels);
  const nlu = nluAdapter(intentModels.models, sentiment, await catalogGazetteer(prisma));

  const recsysStore = createPrismaRecsysStore(prisma, { sql: deps.sql });

  const cipher = {
    encrypt: (s: string) => deps.cipher.encrypt(s, 'Message.text'),
    decrypt: (s: string) => deps.cipher.decrypt(s, 'Message.text'),
  };
  const runner = new SurveyRunner({
    store: new PrismaSurveyStore(prisma, {
      encrypt: (s) => deps.cipher.encrypt(s, 'Answer.text'),
      decrypt: (s) => deps.cipher.decrypt(s, 'Answer.text'),
    }),
    sentiment: async (text) => (await sentiment.analyze([text]))[0]?.score ?? 0,
    onFinished: deps.onSurveyFinished,
    repeatAfterDays: config.dialogPolicy.surveyRepeatDays,
  });
  const store = new PrismaConversationStore({ prisma, cipher, sql: deps.sql });
  const answerCipher = {
    encrypt: (s: string) => deps.cipher.encrypt(s, 'Answer.text'),
    decrypt: (s: string) => deps.cipher.decrypt(s, 'Answer.text'),
  };
  const privacy = new PrismaPrivacy({
    prisma,
    cipher,
    answerCipher,
    openField: (sealed, context) => deps.cipher.decrypt(sealed, context),
  });
  // One Direct Line buffer per process, shared with the live handoff that writes agents' messages.
  const transcript = new TranscriptHub();
  if (deps.metricsRegistry) registerTranscriptGauges(deps.metricsRegistry, () => transcript.stats());
  const handoff =
    deps.slack === false
      ? null
      : await createHandoff({
          config,
          prisma,
          cipher: deps.cipher,
          transcript,
          maskPII: nlu.maskPII,
          logger,
          metricsRegistry: deps.metricsRegistry,
        });
  const engine = new DialogEngine({
    handoff: handoff?.hooks,
    nlu,
    logger,
    store,
    catalog: catalogAdapter(recsys, recsysStore),
    surveys: surveysAdapter(runner, prisma),
    privacy,
    kb: helpCentreAdapter(deps.reviewedQuestions ? withReviewedAnswers(kb, deps.reviewedQuestions) : kb),
    orders: new PrismaOrderStatus(prisma, deps.lookup && ((email) => deps.lookup!.email(email))),
    brandName: config.BRAND_NAME,
    policy: config.dialogPolicy,
    review: deps.review,
  });
  const bot = new MarketingBot({ engine, brandName: config.BRAND_NAME, logger });
  await warmUpChat(nlu, catalogAdapter(recsys, recsysStore), logger, config.CHAT_WARM_UP_SENTENCES);

  const register = async (app: FastifyInstance) => {
    await app.register(chatPagePlugin, { brandName: config.BRAND_NAME });
    const tokenSecret = config.TOKEN_SECRET ?? tokenSecretFromFile(config.dataDir, logger);
    await app.register(directLinePlugin, {
      bot,
      tokenSecret,
      shopUserTokenSecret: config.SHOP_USER_TOKEN_SECRET,
      publicUrl: config.PUBLIC_URL,
      logger,
      overloaded: deps.overloaded,
      transcript,
      resume: handoff?.resume,
      messageLimit: app.hasDecorator('rateCounter')
        ? (conversationId) =>
            takeOrRetryAfter(app.rateCounter, `chat:${conversationId}`, {
              max: config.RATE_LIMIT_CHAT_MAX,
              windowMs: config.RATE_LIMIT_WINDOW_MS,
            })
        : undefined,
      claims: app.hasDecorator('activityClaims') ? app.activityClaims : undefined,
      database: {
        isUnavailable: isDatabaseUnavailable,
        ...createDatabaseHealth(() => prisma.$queryRaw`SELECT 1`, logger),
      },
    });
    if (config.MICROSOFT_APP_ID) {
      await app.register(cloudAdapterPlugin, {
        bot,
        appId: config.MICROSOFT_APP_ID,
        appPassword: config.MICROSOFT_APP_PASSWORD,
        appTenantId: config.MICROSOFT_APP_TENANT_ID,
        appType: config.MICROSOFT_APP_TYPE,
        logger,
      });
    }
    if (
      deps.slack !== false &&
      config.SLACK_BOT_TOKEN &&
      (config.SLACK_SIGNING_SECRET || config.SLACK_SOCKET_MODE)
    ) {
      const analytics = new PrismaMarketerAnalytics({ prisma });
      await app.register(slackPlugin, {
        botToken: config.SLACK_BOT_TOKEN,
        signingSecret: config.SLACK_SIGNING_SECRET,
        appToken: config.SLACK_APP_TOKEN,
        socketMode: config.SLACK_SOCKET_MODE,
        apiUrl: config.SLACK_API_URL,
        allowedTeams: splitList(config.SLACK_ALLOWED_TEAMS),
        members: new PrismaSlackMembers(prisma, splitList(config.SLACK_ADMINS)),
        events: new PrismaEventLog(prisma),
        analytics,
        handoffs: handoff?.queue ?? store,
        homeViewers: new PrismaSlackHomeViewers(prisma),
        handoff: handoff?.slack,
        review: deps.reviewDesk
          ? { desk: deps.reviewDesk, versions: servedVersions(intentModels, deps.versions) }
          : undefined,
        marketer: new MarketerDialog({
          analytics,
          insights: new PrismaMarketerInsights(
            prisma,
            {
              decrypt: (sealed, context) => deps.cipher.decrypt(sealed, context),
              emailHash: (email) => deps.lookup?.email(email) ?? '',
              maskPII: (text) => nlu.maskPII(text),
            },
            encoder,
          ),
          catalog: catalogAdapter(recsys, recsysStore),
          handoffs: handoff?.queue ?? store,
          maskPII: (text) => nlu.maskPII(text),
          renderChart: renderChartPng,
          nlu,
          store,
          logger,
          review: deps.review,
          reviewBelow: engine.reviewBelowConfidence,
        }),
        roles: new PrismaMemberRoles(prisma),
        kb,
        nlu,
        engine,
        logger,
      });
    }
  };

  return {
    engine,
    nlu,
    privacy,
    ...(handoff ? { handoffAdmin: handoff.admin } : {}),
    register,
    stop: async () => {
      await handoff?.stop();
      if (!deps.intentModels) await intentModels.stop();
      if (!deps.sentiment) await sentiment.dispose();
    },
  };
}

function splitList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

// The retrain report's rollback button: the served registry rolls back, and the other processes
// follow the announcement (or their poll of current.json).
function servedVersions(models: ServedIntentModels, bus: VersionBus | undefined): IntentVersions {
  return {
    rollback: async (domain) => {
      const rolled = await models.registries[domain].rollback();
      await bus?.publish('nlu.model', modelVersionTag(domain, rolled.to));
      return rolled;
    },
  };
}
