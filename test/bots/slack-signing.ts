// Signed Slack requests for tests and benchmarks: Events API callbacks (JSON), slash commands and
// interactive payloads (form), signed with the app's signing secret the way Slack signs them.
import { createHmac } from 'node:crypto';

/** How one request is signed and sent. */
export interface SendOptions {
  /** Slack's retry headers (the n-th redelivery of an event). */
  retry?: number;
  /** The request timestamp (seconds); now when absent. A stale one must be refused. */
  ts?: number;
  /** More headers, sent after the signature's. */
  headers?: Record<string, string>;
}

/** The signature headers Slack sends with `body`. */
export function slackSignature(
  secret: string,
  body: string,
  ts = Math.floor(Date.now() / 1000),
): Record<string, string> {
  return {
    'x-slack-signature': `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`,
    'x-slack-request-timestamp': String(ts),
  };
}

/** Sends signed requests to one server's /slack/events (as workspace `team`). */
export class SlackSender {
  private seq = 0;

  constructor(
    private readonly secret: string,
    private readonly team = 'T1',
  ) {}

  /** POSTs a signed body. */
  async post(base: string, body: string, type: string, options: SendOptions = {}): Promise<Response> {
    return fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': type,
        ...slackSignature(this.secret, body, options.ts),
        ...(options.retry
          ? { 'x-slack-retry-num': String(options.retry), 'x-slack-retry-reason': 'http_timeout' }
          : {}),
        ...options.headers,
      },
      body,
    });
  }

  /** A JSON body as it is (url_verification, a whole event_callback). */
  json(base: string, payload: unknown, options: SendOptions = {}): Promise<Response> {
    return this.post(base, JSON.stringify(payload), 'application/json', options);
  }

  /** An Events API callback; returns the event id used (pass it back to replay a retry). */
  async event(
    base: string,
    inner: Record<string, unknown>,
    options: { eventId?: string; retry?: number } = {},
  ): Promise<{ eventId: string; response: Response }> {
    const eventId = options.eventId ?? `Ev${Date.now()}${++this.seq}`;
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: this.team,
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      event: { team: this.team, ...inner },
    });
    return { eventId, response: await this.post(base, body, 'application/json', { retry: options.retry }) };
  }

  /** An interactive payload (block_actions, view_submission…) as Slack posts it: a form field. */
  interaction(base: string, payload: Record<string, unknown>): Promise<Response> {
    return this.post(
      base,
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );
  }

  /** A Block Kit button click. */
  async click(
    base: string,
    user: string,
    channel: string,
    actionId: string,
    value: string,
  ): Promise<Response> {
    return this.interaction(base, {
      type: 'block_actions',
      team: { id: this.team },
      user: { id: user, team_id: this.team },
      channel: { id: channel },
      trigger_id: 't',
      actions: [{ type: 'button', action_id: actionId, value, block_id: 'b', action_ts: '1' }],
    });
  }

  /** The form body of a slash command. */
  commandBody(base: string, user: string, channel: string, text: string, responseUrl?: string): string {
    return new URLSearchParams({
      command: '/mkt',
      text,
      team_id: this.team,
      user_id: user,
      channel_id: channel,
      response_url: responseUrl ?? `${base}/none`,
      trigger_id: 't',
    }).toString();
  }

  /** A slash command. */
  async command(
    base: string,
    user: string,
    channel: string,
    text: string,
    responseUrl?: string,
    options: SendOptions = {},
  ): Promise<Response> {
    const body = this.commandBody(base, user, channel, text, responseUrl);
    return this.post(base, body, 'application/x-www-form-urlencoded', options);
  }
}

/** Polls until `fn` returns something truthy. */
export async function until<T>(
  fn: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  ms = 60_000,
  what = 'condition',
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
