// Signed Slack requests for tests: Events API callbacks (JSON) and interactive payloads (form),
// signed with the app's signing secret the way Slack signs them.
import { createHmac } from 'node:crypto';

/** Sends signed requests to one server's /slack/events. */
export class SlackSender {
  private seq = 0;

  constructor(
    private readonly secret: string,
    private readonly team = 'T1',
  ) {}

  /** POSTs a signed body; `retry` adds Slack's retry headers. */
  async post(base: string, body: string, type: string, retry?: number): Promise<Response> {
    const ts = Math.floor(Date.now() / 1000);
    const sig = `v0=${createHmac('sha256', this.secret).update(`v0:${ts}:${body}`).digest('hex')}`;
    return fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': type,
        'x-slack-signature': sig,
        'x-slack-request-timestamp': String(ts),
        ...(retry ? { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' } : {}),
      },
      body,
    });
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
    return { eventId, response: await this.post(base, body, 'application/json', options.retry) };
  }

  /** A Block Kit button click. */
  async click(
    base: string,
    user: string,
    channel: string,
    actionId: string,
    value: string,
  ): Promise<Response> {
    const payload = JSON.stringify({
      type: 'block_actions',
      team: { id: this.team },
      user: { id: user, team_id: this.team },
      channel: { id: channel },
      trigger_id: 't',
      actions: [{ type: 'button', action_id: actionId, value, block_id: 'b', action_ts: '1' }],
    });
    return this.post(base, new URLSearchParams({ payload }).toString(), 'application/x-www-form-urlencoded');
  }

  /** A slash command. */
  async command(
    base: string,
    user: string,
    channel: string,
    text: string,
    responseUrl?: string,
  ): Promise<Response> {
    const body = new URLSearchParams({
      command: '/mkt',
      text,
      team_id: this.team,
      user_id: user,
      channel_id: channel,
      response_url: responseUrl ?? `${base}/none`,
      trigger_id: 't',
    }).toString();
    return this.post(base, body, 'application/x-www-form-urlencoded');
  }
}

/** Polls until `fn` returns something truthy. */
export async function until<T>(
  fn: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  ms = 20_000,
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
