// A Bolt Receiver that takes requests from a Fastify route instead of owning an HTTP server, so
// Slack shares the port with web chat. Signatures and timestamps are checked with Bolt's own
// verifySlackRequest. Events are de-duplicated by event_id so Slack retries never run twice, and
// never lost: the id is claimed, the event processed, and only then is the id marked done and
// Slack answered. A failure releases the claim and answers 500, so Slack's retry runs it again; a
// crash leaves a claim that a retry takes over once its lease has passed (Slack retries after
// about a minute and again after five).
import { parse as parseQuery } from 'node:querystring';
import { verifySlackRequest, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import { z } from 'zod';
import type { BotLogger, EventLog } from '../../ports.js';

/** Options of the Fastify receiver. */
export interface FastifyReceiverOptions {
  signingSecret: string;
  events: EventLog;
  logger: BotLogger;
  /** For tests of stale timestamps; defaults to Date.now. */
  nowMilliseconds?: () => number;
  /** How long to wait for the listener's ack before answering 200 anyway. */
  ackTimeoutMs?: number;
}

/**
 * How long a claimed event is someone's: past it, a retry takes the event over. Longer than any
 * listener runs, shorter than Slack's second retry (about a minute after the first delivery).
 */
export const EVENT_CLAIM_LEASE_MS = 30_000;

/** A transport-neutral HTTP request (what the Fastify route hands over). */
export interface SlackHttpRequest {
  rawBody: string;
  contentType: string;
  headers: Record<string, string | string[] | undefined>;
}

/** The HTTP answer to give Slack. */
export interface SlackHttpResponse {
  status: number;
  body?: string | Record<string, unknown>;
}

// What a Slack payload must at least look like before Bolt sees it.
const ZEventsBody = z.object({ type: z.string().min(1) }).passthrough();
const ZFormBody = z.union([
  z
    .object({ command: z.string().min(1), team_id: z.string().min(1), user_id: z.string().min(1) })
    .passthrough(),
  z.object({ payload: z.string().min(2) }).passthrough(),
  z.object({ ssl_check: z.literal('1') }).passthrough(),
]);
const ZInteractive = z.object({ type: z.string().min(1) }).passthrough();

const header = (h: SlackHttpRequest['headers'], name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Bolt receiver fed by a Fastify route. */
export class FastifySlackReceiver implements Receiver {
  private app?: App;

  constructor(private readonly opts: FastifyReceiverOptions) {}

  init(app: App): void {
    this.app = app;
  }

  // The HTTP server is Fastify's; there is nothing to start or stop here.
  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  /** Verifies, parses, de-duplicates and dispatches one request; returns what to answer. */
  async handle(req: SlackHttpRequest): Promise<SlackHttpResponse> {
    const { logger } = this.opts;
    try {
      verifySlackRequest({
        signingSecret: this.opts.signingSecret,
        body: req.rawBody,
        headers: {
          'x-slack-signature': header(req.headers, 'x-slack-signature') ?? '',
          'x-slack-request-timestamp': Number(header(req.headers, 'x-slack-request-timestamp')),
        },
        nowMilliseconds: this.opts.nowMilliseconds?.(),
      });
    } catch (err) {
      logger.warn(
        { reason: (err as Error).message },
        'Slack request rejected: bad signature or stale timestamp',
      );
      return { status: 401, body: { error: 'invalid signature or timestamp' } };
    }

    const body = this.parse(req);
    if (!body) return { status: 400, body: { error: 'payload failed validation' } };
    if (body.ssl_check === '1') return { status: 200 };
    if (body.type === 'url_verification')
      return { status: 200, body: { challenge: String(body.challenge ?? '') } };

    const eventId = typeof body.event_id === 'string' ? body.event_id : undefined;
    const retryNum = Number(header(req.headers, 'x-slack-retry-num') ?? '') || undefined;
    const key = eventId ? `slack:${eventId}` : undefined;
    if (key && !(await this.opts.events.claim(key, EVENT_CLAIM_LEASE_MS))) {
      logger.info(
        { eventId, retryNum },
        'Slack retry of an event already handled or in hand; acknowledged without processing',
      );
      return { status: 200 };
    }
    return this.dispatch(body, key, retryNum, header(req.headers, 'x-slack-retry-reason'));
  }

  private parse(req: SlackHttpRequest): Record<string, unknown> | null {
    try {
      if (req.contentType.includes('application/x-www-form-urlencoded')) {
        const form = ZFormBody.parse(parseQuery(req.rawBody)) as Record<string, unknown>;
        if (typeof form.payload === 'string') return ZInteractive.parse(JSON.parse(form.payload));
        return form;
      }
      return ZEventsBody.parse(JSON.parse(req.rawBody));
    } catch (err) {
      this.opts.logger.warn(
        { reason: (err as Error).message.slice(0, 200) },
        'Slack payload failed validation',
      );
      return null;
    }
  }

  // Events API callbacks are answered once processed (within the ack timeout), so a listener that
  // fails gets Slack's retry; commands and interactions are answered at their ack, as Bolt does.
  private dispatch(
    body: Record<string, unknown>,
    key: string | undefined,
    retryNum?: number,
    retryReason?: string,
  ): Promise<SlackHttpResponse> {
    const app = this.app;
    const { events, logger } = this.opts;
    if (!app) return Promise.resolve({ status: 503, body: { error: 'Slack app not initialised' } });
    const answersAfterProcessing = body.type === 'event_callback';
    return new Promise<SlackHttpResponse>((resolve) => {
      let acked = false;
      const timer = setTimeout(() => settle({ status: 200 }), this.opts.ackTimeoutMs ?? 2500);
      function settle(r: SlackHttpResponse): void {
        if (acked) return;
        acked = true;
        clearTimeout(timer);
        resolve(r);
      }
      const event: ReceiverEvent = {
        body,
        retryNum,
        retryReason,
        ack: async (response?: unknown) => {
          if (answersAfterProcessing) return;
          if (response === undefined || response === '' || response === null) settle({ status: 200 });
          else
            settle({
              status: 200,
              body: typeof response === 'string' ? response : (response as Record<string, unknown>),
            });
        },
      };
      app.processEvent(event).then(
        async () => {
          if (key)
            await events
              .done(key)
              .catch((err: unknown) => logger.error({ err }, 'Slack event not marked done'));
          settle({ status: 200 });
        },
        async (err: unknown) => {
          logger.error({ err, retryNum }, 'Slack listener failed; Slack retries the event');
          if (key)
            await events
              .release(key)
              .catch((e: unknown) => logger.error({ err: e }, 'Slack event claim not released'));
          settle({ status: 500, body: { error: 'processing failed; retry' } });
        },
      );
    });
  }
}
