// A Bolt Receiver that takes requests from a Fastify route instead of owning an HTTP server, so
// Slack shares the port with web chat. Signatures and timestamps are checked with Bolt's own
// verifySlackRequest; events are de-duplicated by event_id so Slack retries never run twice.
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
    if (eventId && !(await this.opts.events.claim(`slack:${eventId}`))) {
      logger.info(
        { eventId, retryNum },
        'Slack retry of an event already handled; acknowledged without processing',
      );
      return { status: 200 };
    }
    return this.dispatch(body, retryNum, header(req.headers, 'x-slack-retry-reason'));
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

  private dispatch(
    body: Record<string, unknown>,
    retryNum?: number,
    retryReason?: string,
  ): Promise<SlackHttpResponse> {
    const app = this.app;
    if (!app) return Promise.resolve({ status: 503, body: { error: 'Slack app not initialised' } });
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
          if (response === undefined || response === '' || response === null) settle({ status: 200 });
          else
            settle({
              status: 200,
              body: typeof response === 'string' ? response : (response as Record<string, unknown>),
            });
        },
      };
      app.processEvent(event).then(
        () => settle({ status: 200 }),
        (err: unknown) => {
          this.opts.logger.error({ err }, 'Slack listener failed');
          settle({ status: 500 });
        },
      );
    });
  }
}
