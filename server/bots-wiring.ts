// Wires bots/ to the real capabilities: thin adapters from nlu/, recsys/ and surveys/ to the bots'
// ports, then the Fastify plugins (chat page, Direct Line, Slack, optional Azure /api/messages).
// The composition root calls `createBots` once and `register` on the app.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import {
  chatPagePlugin,
  cloudAdapterPlugin,
  DialogEngine,
  directLinePlugin,
  loadTrainingData,
  MarketerDialog,
  MarketingBot,
  renderChartPng,
  slackPlugin,
  TranscriptHub,
  type Catalog,
  type ChannelName,
  type Nlu,
  type NluDomain,
  type NluEntity,
  type ProductCard,
  type SearchAnswer,
  type SurveyStep,
  type Surveys,
} from '../bots/index.js';
import {
  checkLanguage,
  createSentimentAnalyzer,
  extractEntities,
  Gazetteer,
  maskPII,
  type Entities,
  type IntentClassifier,
  type IntentExample,
  type SentenceEncoder,
  type SentimentAnalyzer,
} from '../nlu/index.js';
import type { PrismaClient } from '../prisma/index.js';
import type { CatalogProduct, RecsysService, RecsysStore } from '../recsys/index.js';
import {
  AlreadyCompletedError,
  SurveyError,
  SurveyRunner,
  type SurveyRunnerDeps,
  type Turn,
} from '../surveys/index.js';
import { PrismaMarketerInsights, PrismaMemberRoles } from '../prisma/repositories/index.js';
import type { Config } from './config.js';
import { catalogMentions } from './catalog-mentions.js';
import { startServedIntentModels, type ServedIntentModels } from './intent-models.js';
import { createConfiguredEncoder } from './encoder.js';
import { createRecsysService } from './recsys-service.js';
import {
  createPrismaRecsysStore,
  PrismaConversationStore,
  PrismaEventLog,
  PrismaMarketerAnalytics,
  PrismaPrivacy,
  PrismaSlackMembers,
  PrismaSurveyStore,
  type SqlStatementRunner,
} from '../prisma/repositories/index.js';
import type { VersionBus } from '../jobs/index.js';
import { createHandoff } from './handoff/wiring.js';
import { KbService } from '../kb/index.js';
import { createPrismaKbStore } from '../prisma/repositories/index.js';
import { helpCentreAdapter } from './help-centre-adapter.js';

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
  encoder?: SentenceEncoder;
  sentiment?: SentimentAnalyzer;
  recsys?: RecsysService;
  /** The help-centre knowledge base; one over this database when absent. */
  kb?: KbService;
  /** The served intent models (registry versions); started here, following `versions`, when absent. */
  intentModels?: ServedIntentModels;
  /** Version bus the intent models follow when this function starts them. */
  versions?: VersionBus;
  /** Skip Slack even when tokens are set (tests). */
  slack?: boolean;
  /** Keyed e-mail hashes (customer lookups by e-mail in Slack). */
  lookup?: { email(email: string): string };
  /** Told when a respondent completes or withdraws a survey (queues the profile recomputation). */
  onSurveyFinished?: SurveyRunnerDeps['onFinished'];
}

/** The running bots. */
export interface Bots {
  engine: DialogEngine;
  nlu: Nlu;
  /** Export and erasure of a customer's data (also used by the admin API). */
  privacy: PrismaPrivacy;
  /** Registers "/", Direct Line, and Slack / Azure when configured. */
  register(app: FastifyInstance): Promise<void>;
  stop(): Promise<void>;
}

/** Builds the bots over the real capabilities. */
export async function createBots(deps: BotsWiringDeps): Promise<Bots> {
  const { config, prisma, logger } = deps;
  const ownEncoder = !deps.encoder;
  const encoder = deps.encoder ?? (await createConfiguredEncoder(config));
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
  const nlu = nluAdapter(intentModels.models, sentiment, await catalogGazetteer(prisma));

  const recsysStore = createPrismaRecsysStore(prisma, { sql: deps.sql });
  const ownRecsys = !deps.recsys;
  const recsys =
    deps.recsys ?? (await createRecsysService(config, { prisma, sql: deps.sql }, logger, encoder));

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
  const privacy = new PrismaPrivacy({ prisma, cipher, answerCipher });
  // One Direct Line buffer per process, shared with the live handoff that writes agents' messages.
  const transcript = new TranscriptHub();
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
        });
  const engine = new DialogEngine({
    handoff: handoff?.hooks,
    nlu,
    logger,
    store,
    catalog: catalogAdapter(recsys, recsysStore),
    surveys: surveysAdapter(runner, prisma),
    privacy,
    kb: helpCentreAdapter(deps.kb ?? new KbService(createPrismaKbStore(prisma), encoder)),
    brandName: config.BRAND_NAME,
    policy: config.dialogPolicy,
  });
  const bot = new MarketingBot({ engine, brandName: config.BRAND_NAME, logger });
  await warmUpChat(nlu, catalogAdapter(recsys, recsysStore), logger);

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
        handoffs: store,
        handoff: handoff?.slack,
        marketer: new MarketerDialog({
          analytics,
          insights: new PrismaMarketerInsights(
            prisma,
            {
              decrypt: (sealed, context) => deps.cipher.decrypt(sealed, context),
              emailHash: (email) => deps.lookup?.email(email) ?? '',
            },
            encoder,
          ),
          catalog: catalogAdapter(recsys, recsysStore),
          handoffs: store,
          maskPII: (text) => nlu.maskPII(text),
          renderChart: renderChartPng,
          nlu,
          store,
          logger,
        }),
        roles: new PrismaMemberRoles(prisma),
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
    register,
    stop: async () => {
      await handoff?.stop();
      if (ownRecsys) await recsys.stop();
      if (!deps.intentModels) await intentModels.stop();
      if (!deps.sentiment) await sentiment.dispose();
      if (ownEncoder) await encoder.dispose();
    },
  };
}

/**
 * Runs the chat's read-only paths (intent, sentiment, entities, product search and similar items)
 * over the shipped training sentences once at start: right after a start every shopper otherwise
 * waits for cold code (interpreted, not yet optimised) and empty caches, and the replies of the
 * first seconds under load were the slowest of the load benchmark. Writes nothing.
 */
async function warmUpChat(nlu: Nlu, catalog: Catalog, logger: Logger): Promise<void> {
  const started = Date.now();
  const examples = (await loadTrainingData('customer')).map((e) => e.text);
  // Every intent's sentences, a few rounds: enough calls for the optimising compiler to step in.
  const texts = [...new Set(examples)].slice(0, 400);
  for (const text of texts) await nlu.analyze(text, 'customer');
  for (const text of texts.slice(0, 40)) {
    const found = await catalog.search({ text, filters: {}, k: 4 });
    if (found[0]) await catalog.similar(found[0].sku, { k: 4, cheaper: false });
  }
  logger.info({ sentences: texts.length, ms: Date.now() - started }, 'chat warmed up');
}

/**
 * Without TOKEN_SECRET, the secret is generated once into DATA_DIR/secrets/token.secret (mode 0600),
 * so web-chat tokens survive restarts; several machines must set TOKEN_SECRET to share it.
 */
function tokenSecretFromFile(dataDir: string, logger: Logger): string {
  const dir = join(dataDir, 'secrets');
  const file = join(dir, 'token.secret');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    // 'wx': two processes starting together cannot both write; the loser reads the winner's secret.
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    logger.info({ file }, 'generated the web-chat token secret');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}

function definedOnly<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function splitList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The shipped training examples of a domain (bots/nlu-data): the seed of every model version. */
export async function seedIntentExamples(domain: NluDomain): Promise<IntentExample[]> {
  return (await loadTrainingData(domain)).map((e) => ({ text: e.text, intent: e.intent }));
}

/** nlu/ → Nlu port: intent, sentiment, language and entities (catalog names through the gazetteer). */
export function nluAdapter(
  models: Record<NluDomain, Pick<IntentClassifier, 'process'>>,
  sentiment: SentimentAnalyzer,
  gazetteer?: Gazetteer,
): Nlu {
  return {
    maskPII,
    analyze: async (text, domain) => {
      const [prediction, feeling] = await Promise.all([
        models[domain].process(text),
        sentiment.analyze([text]),
      ]);
      const lang = checkLanguage(text);
      const top = prediction.ranking[0];
      return {
        intent: prediction.intent ?? top?.intent ?? 'out_of_scope',
        confidence: prediction.confidence,
        ranking: prediction.ranking,
        outOfScope: prediction.outOfScope,
        sentiment: feeling[0]?.score ?? 0,
        sentimentLabel: feeling[0]?.label ?? 'neutral',
        entities: toPortEntities(extractEntities(text, { gazetteer })),
        language: lang.flagged ? lang.language : lang.language === 'und' ? 'und' : 'eng',
      };
    },
  };
}

/** Maps nlu/ entities to the bots' flat entity list. Catalog names count only when every word matched. */
export function toPortEntities(found: Entities): NluEntity[] {
  const out: NluEntity[] = [];
  const range = found.priceRange;
  if (range)
    out.push({ type: 'price', text: range.text, min: range.min, max: range.max, currency: range.currency });
  // The words, not the dates: the marketer side names periods the way people say them ("last month").
  for (const d of found.dates) out.push({ type: 'period', text: d.text });
  for (const c of found.colours) out.push({ type: 'color', text: c.text, value: c.value });
  for (const z of found.sizes) out.push({ type: 'size', text: z.text, value: z.value });
  for (const n of found.numbers) out.push({ type: 'number', text: n.text, value: n.value });
  for (const m of found.catalog) {
    if (m.coverage < 1) continue;
    if (m.kind === 'product') out.push({ type: 'product', text: m.name, value: m.id });
    else if (m.kind === 'category') out.push({ type: 'category', text: m.name, value: m.id });
  }
  return out;
}

/** Catalog names for the entity gazetteer: products by SKU, categories by name. */
export async function catalogGazetteer(prisma: PrismaClient): Promise<Gazetteer> {
  const products = await prisma.product.findMany({
    where: { active: true },
    select: { sku: true, name: true, category: true },
  });
  const categories = [...new Set(products.map((p) => p.category))];
  return new Gazetteer([
    ...products.map((p) => ({ id: p.sku, name: p.name, kind: 'product' as const })),
    ...categories.map((c) => ({ id: c, name: c, kind: 'category' as const })),
  ]);
}

function card(
  p: CatalogProduct | undefined,
  fallback: {
    sku: string;
    name: string;
    price: number;
    currency: string;
    reason?: string;
    category?: string;
  },
): ProductCard {
  return {
    sku: fallback.sku,
    name: p?.name ?? fallback.name,
    description: p?.description,
    category: p?.category ?? fallback.category,
    price: p?.price ?? fallback.price,
    currency: p?.currency ?? fallback.currency,
    // The demo catalog has no photos: the chat page draws a placeholder per product.
    imageUrl:
      p?.imageUrl ??
      `/product-image/${encodeURIComponent(fallback.sku)}.svg?label=${encodeURIComponent(p?.category ?? fallback.category ?? '')}`,
    reason: fallback.reason,
    stock: p?.stock,
  };
}

// recsys throws for an empty catalog, unknown SKU or customer; in a chat those mean "nothing".
async function orEmpty<T>(work: () => T | Promise<T>, empty: T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String((error as { code: unknown }).code) : '';
    if (['RECSYS_UNKNOWN_PRODUCT', 'RECSYS_UNKNOWN_CUSTOMER', 'RECSYS_EMPTY_CATALOG'].includes(code))
      return empty;
    throw error;
  }
}

/** recsys/ → Catalog port. */
export function catalogAdapter(recsys: RecsysService, store: RecsysStore): Catalog {
  const cards = (
    items: Array<{
      sku: string;
      name: string;
      price: number;
      currency: string;
      reason: string;
      category: string;
    }>,
  ) => items.map((r) => card(recsys.product(r.sku), r));
  return {
    search: async ({ text, filters, k }) =>
      orEmpty(async () => {
        const result = await recsys.query(text, {
          k,
          // Only set keys: recsys merges these over the filters it parses from the text itself.
          filters: definedOnly({
            priceMin: filters.minPrice,
            priceMax: filters.maxPrice,
            category: filters.category,
            inStock: filters.inStock,
          }),
        });
        return cards(result.items);
      }, []),
    find: async ({ text, filters, k }) =>
      orEmpty(
        async (): Promise<SearchAnswer> => {
          const result = await recsys.search(text, {
            k,
            filters: definedOnly({
              priceMin: filters.minPrice,
              priceMax: filters.maxPrice,
              category: filters.category,
              inStock: filters.inStock,
            }),
          });
          const matched = result.status === 'matched';
          return {
            status: result.status,
            products: cards(matched ? result.items : result.alternatives),
            notice: result.notice,
            notes: result.notes,
          };
        },
        { status: 'matched', products: [], notes: [] },
      ),
    recognise: (text) => {
      try {
        return catalogMentions(recsys.understand(text));
      } catch {
        return []; // an empty catalog names nothing
      }
    },
    get: async (sku) => {
      const p = recsys.product(sku);
      return p ? card(p, p) : null;
    },
    similar: async (sku, { k, cheaper }) => orEmpty(() => cards(recsys.similar(sku, { k, cheaper })), []),
    boughtTogether: async (sku, k) => orEmpty(() => cards(recsys.boughtTogether(sku, { k })), []),
    forCustomer: async (customerId, k) =>
      orEmpty(async () => cards(await recsys.forCustomer(customerId, { k })), []),
    recordInteraction: (customerId, sku, kind) => store.recordInteraction(customerId, sku, kind),
  };
}

/** surveys/ → Surveys port. */
export function surveysAdapter(runner: SurveyRunner, prisma: PrismaClient): Surveys {
  const guard = async (instrumentId: string, work: () => Promise<Turn>): Promise<SurveyStep> => {
    try {
      return toStep(await work());
    } catch (error) {
      if (!(error instanceof SurveyError)) throw error;
      const text =
        error instanceof AlreadyCompletedError
          ? error.againFrom
            ? `You've already answered this survey — thank you! You can answer it again from ${error.againFrom.toISOString().slice(0, 10)}.`
            : "You've already completed this survey. Thank you!"
          : error.code === 'SURVEY_INSTRUMENT_NOT_FOUND'
            ? "Sorry, that survey isn't available right now."
            : error.message;
      return { kind: 'unavailable', instrumentId, text };
    }
  };
  return {
    list: async () => {
      const rows = await prisma.instrument.findMany({
        where: { active: true },
        select: { id: true, title: true, definition: true },
        orderBy: { id: 'asc' },
      });
      // The description lets customers name a survey by what it is about.
      return rows.map((r) => {
        const d = r.definition as { description?: unknown } | null;
        return typeof d?.description === 'string'
          ? { id: r.id, title: r.title, description: d.description }
          : { id: r.id, title: r.title };
      });
    },
    start: (customerId, instrumentId, channel) =>
      guard(instrumentId, () => runner.start(customerId, instrumentId, channel)),
    answer: (customerId, instrumentId, text, channel: ChannelName) =>
      guard(instrumentId, async () => {
        try {
          return await runner.reply(customerId, instrumentId, text, channel);
        } catch (error) {
          // The conversation remembers a survey the runner has no session for (deleted data): restart it.
          if (error instanceof SurveyError && error.code === 'SURVEY_SESSION_NOT_FOUND')
            return runner.start(customerId, instrumentId, channel);
          throw error;
        }
      }),
    stop: async (customerId, instrumentId, channel) => {
      await guard(instrumentId, () => runner.reply(customerId, instrumentId, 'stop', channel));
    },
  };
}

function toStep(turn: Turn): SurveyStep {
  const said = turn.messages.filter(Boolean).join('\n\n');
  if (!turn.prompt) {
    const text = said || (turn.status === 'completed' ? 'That was the last question. Thank you!' : 'OK.');
    return { kind: 'completed', instrumentId: turn.instrumentId, text };
  }
  const p = turn.prompt;
  return {
    kind: 'question',
    instrumentId: turn.instrumentId,
    itemId: p.itemId,
    text: p.text,
    index: p.progress?.current ?? 0,
    total: p.progress?.total ?? 0,
    options: p.quickReplies.map((q) => ({ label: q.label, value: q.value })),
    ...(turn.reasked ? { reask: said } : said ? { preface: said } : {}),
  };
}
