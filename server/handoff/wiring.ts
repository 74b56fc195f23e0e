// Wires the live handoff (bots/handoff) when SLACK_HANDOFF_CHANNEL and the Slack bot token are
// set: the Prisma repository, the Slack Web API, the relay bus (Redis with REDIS_URL) and this
// process's web-chat streams. The dialog gets hooks that never throw: a failure is logged and the
// desk's sweep retries from the database.
import type { Activity } from 'botbuilder';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import {
  createHandoffSlack,
  HandoffDesk,
  relayActivity,
  slackDmStreams,
  Responses,
  webchatStreams,
  type HandoffRecord,
  type Handoffs,
  type CustomerStreams,
  type HandoffView,
  type RelayBus,
  type TranscriptHub,
} from '../../bots/index.js';
import type { HandoffHooks } from '../../bots/dialog/handlers/context.js';
import type { PrismaClient } from '../../prisma/index.js';
import { PrismaHandoffRepository } from '../../prisma/repositories/index.js';
import type { AdminHandoffs } from '../admin/index.js';
import type { Config } from '../config.js';
import { createPrismaAuditWriter } from '../security/index.js';
import { registerHandoffMetrics } from './metrics.js';
import { personalDataView } from './personal-data.js';
import { createInProcessRelayBus, createRedisRelayBus } from './relay-bus.js';

// Web chat streams live in one process; Slack DMs can be posted from any.
function eitherStream(...streams: CustomerStreams[]): CustomerStreams {
  return { deliver: (message) => streams.some((s) => s.deliver(message)) };
}

function toView(r: HandoffRecord): HandoffView {
  return {
    id: r.id,
    conversationId: r.conversationId,
    channel: r.channel,
    status: r.status,
    reason: r.reason,
    claimedBy: r.claimedBy,
    createdAt: r.createdAt,
  };
}

/** How often unposted customer messages and unannounced handoffs are retried. */
const SWEEP_INTERVAL_MS = 5_000;

/** The running handoff. */
export interface HandoffWiring {
  desk: HandoffDesk;
  /** For the dialog engine. */
  hooks: HandoffHooks;
  /** For the Direct Line plugin: what a conversation new to this process is owed. */
  resume(conversationId: string): Promise<Array<Partial<Activity>>>;
  /** For the Slack app. */
  slack: { desk: HandoffDesk; channel: string; queue: () => Promise<HandoffRecord[]> };
  /** The marketers' queue (App Home, `/mkt handoffs`, Claim / Release buttons) over the desk. */
  queue: Handoffs;
  /** For the admin API (another inbox: list, reply, close). */
  admin: AdminHandoffs;
  stop(): Promise<void>;
}

/** What the handoff needs from the composition root. */
export interface HandoffWiringDeps {
  config: Config;
  prisma: PrismaClient;
  cipher: {
    encrypt(plain: string, context?: string): string;
    decrypt(sealed: string, context?: string): string;
  };
  /** This process's Direct Line buffer. */
  transcript: TranscriptHub;
  maskPII(text: string): string;
  logger: Logger;
  /** A bus to share (tests, benchmarks); Redis with REDIS_URL, in-process otherwise. */
  bus?: RelayBus;
  /** The process's Prometheus registry (server/observability). */
  metricsRegistry?: Registry;
}

/** Builds the handoff, or null when it is not configured. */
export async function createHandoff(deps: HandoffWiringDeps): Promise<HandoffWiring | null> {
  const { config, logger } = deps;
  if (!config.SLACK_HANDOFF_CHANNEL || !config.SLACK_BOT_TOKEN) return null;
  const repo = new PrismaHandoffRepository(
    deps.prisma,
    {
      encrypt: (s) => deps.cipher.encrypt(s, 'Message.text'),
      decrypt: (s) => deps.cipher.decrypt(s, 'Message.text'),
    },
    { decrypt: (s) => deps.cipher.decrypt(s, 'Customer.name') },
  );
  const ownBus = !deps.bus;
  const bus =
    deps.bus ??
    (config.REDIS_URL
      ? await createRedisRelayBus({ redisUrl: config.REDIS_URL, logger })
      : createInProcessRelayBus());
  const responses = Responses.load(config.BRAND_NAME);
  const audit = createPrismaAuditWriter(deps.prisma);
  const desk = new HandoffDesk({
    repo,
    slack: createHandoffSlack({ botToken: config.SLACK_BOT_TOKEN, apiUrl: config.SLACK_API_URL }),
    bus,
    streams: eitherStream(
      webchatStreams(deps.transcript),
      slackDmStreams({ botToken: config.SLACK_BOT_TOKEN, apiUrl: config.SLACK_API_URL }, (err) =>
        logger.error({ err }, 'handoff: posting to a Slack customer failed'),
      ),
    ),
    slackChannel: config.SLACK_HANDOFF_CHANNEL,
    maskPII: deps.maskPII,
    personalData: personalDataView,
    // Reading a customer's conversation is audited like the admin API's reads of personal data.
    onTranscriptRead: (read) =>
      audit.write({
        actor: read.reader,
        action: 'handoff.transcript',
        target: `handoff:${read.handoffId}`,
        detail: { view: read.view },
      }),
    notice: (name, vars) => responses.render(name, vars),
    logger,
    hours: config.HANDOFF_HOURS,
    waitMinutes: config.HANDOFF_WAIT_MINUTES,
    onFirstReply: (seconds) => metrics?.observeFirstReply(seconds),
  });
  const metrics = deps.metricsRegistry
    ? registerHandoffMetrics(deps.metricsRegistry, (since) => repo.stats(since))
    : undefined;
  const view = async (record: HandoffRecord | null): Promise<HandoffView | null> =>
    record ? ((await repo.listViews(100)).find((v) => v.id === record.id) ?? toView(record)) : null;
  const queue: Handoffs = {
    listActive: (limit) => repo.listViews(limit),
    claim: async (id, by) => view(await desk.claim(id, by)),
    release: async (id, by) => view(await desk.close(id, by ?? 'a team member')),
    stats: (since) => repo.stats(since),
    reading: (role) => desk.reading(role),
  };
  const safely = (what: string, work: () => Promise<void>) => async (): Promise<void> => {
    try {
      await work();
    } catch (err) {
      logger.error({ err }, `handoff: ${what} failed; the sweep retries`);
    }
  };
  const hooks: HandoffHooks = {
    // Announced or not (Slack down: the sweep retries), the customer hears whether someone is in.
    opened: async (id) => {
      try {
        return await desk.opened(id);
      } catch (err) {
        logger.error({ err }, 'handoff: announcement failed; the sweep retries');
        return { open: desk.staffed(), hours: config.HANDOFF_HOURS?.text ?? '' };
      }
    },
    contactConsent: async (conversationId, channel) => {
      try {
        return await desk.contactConsent(conversationId, channel);
      } catch (err) {
        logger.error({ err }, 'handoff: recording contact consent failed');
        return false;
      }
    },
    customerMessage: (conversationId, text, key) =>
      safely('relay to Slack', () => desk.customerMessage(conversationId, text, key))(),
    customerLeft: (conversationId, how) => safely('closing', () => desk.customerLeft(conversationId, how))(),
  };
  const sweep = setInterval(
    () => void safely('sweep', async () => void (await desk.sweep()))(),
    SWEEP_INTERVAL_MS,
  );
  sweep.unref();
  return {
    desk,
    hooks,
    resume: async (conversationId) => {
      try {
        return (await desk.resume('webchat', conversationId)).map(relayActivity);
      } catch (err) {
        logger.error({ err }, 'handoff: resume failed');
        return [];
      }
    },
    slack: { desk, channel: config.SLACK_HANDOFF_CHANNEL, queue: () => repo.listActive(50) },
    queue,
    admin: {
      list: (limit) => repo.listViews(limit),
      reply: (id, message) => desk.replyAs(id, message),
      close: async (id, by) => {
        if (await desk.close(id, by)) return 'closed';
        return (await repo.get(id)) ? 'already_closed' : 'not_found';
      },
    },
    stop: async () => {
      clearInterval(sweep);
      desk.stop();
      if (ownBus) await bus.close();
    },
  };
}
