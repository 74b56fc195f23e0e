// A small Direct Line 3.0 client over node:http for the platform tests and the load benchmark,
// speaking the same routes as test/bots/directline.test.ts (token → conversation → activities with
// a watermark, or the WebSocket stream). Each simulated shopper may use its own loopback source
// address (127.0.0.x), so the per-IP rate limit treats them as the distinct people they stand for.
import { Agent, request } from 'node:http';
import WebSocket from 'ws';
import { mulberry32 } from '../../random/index.js';

/** One HTTP answer. */
export interface HttpResult {
  status: number;
  body: string;
  headers: import('node:http').IncomingHttpHeaders;
  json<T = Record<string, unknown>>(): T;
}

/** A bot or user activity as Direct Line returns it. */
export interface DlActivity {
  id?: string;
  type: string;
  text?: string;
  replyToId?: string;
  from: { id: string };
  suggestedActions?: { actions: Array<{ title?: string; value?: unknown }> };
}

/** Plain HTTP over a keep-alive agent bound to one source address. */
export class HttpClient {
  readonly agent: Agent;

  constructor(
    readonly base: string,
    readonly localAddress?: string,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: 4, localAddress });
  }

  /** Sends a request; rejects only on network errors or the timeout. */
  send(
    method: string,
    path: string,
    options: { body?: string | Buffer; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<HttpResult> {
    const url = new URL(path, this.base);
    return new Promise((ok, fail) => {
      const req = request(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            ...(options.body !== undefined
              ? { 'content-length': String(Buffer.byteLength(options.body)) }
              : {}),
            ...options.headers,
          },
          timeout: options.timeoutMs ?? 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString();
            ok({
              status: res.statusCode ?? 0,
              body,
              headers: res.headers,
              json: <T>() => JSON.parse(body) as T,
            });
          });
          res.on('error', fail);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname} timed out`)));
      req.on('error', fail);
      if (options.body !== undefined) req.write(options.body);
      req.end();
    });
  }

  /** JSON POST helper. */
  postJson(path: string, body: unknown, token?: string, timeoutMs?: number): Promise<HttpResult> {
    return this.send('POST', path, {
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      timeoutMs,
    });
  }

  /** Closes idle sockets. */
  close(): void {
    this.agent.destroy();
  }
}

/** One shopper's Direct Line conversation. */
export class DirectLineConversation {
  conversationId = '';
  token = '';
  streamUrl = '';
  /** every activity seen, in watermark order */
  readonly activities: DlActivity[] = [];
  watermark = '';
  #ws?: WebSocket;
  #wake?: () => void;
  /** The signed visitor cookie the server set, sent back like a browser would. */
  #identityCookie?: string;

  /**
   * `userId` names the shopper until `open()`; the server then issues the real id (kept for later
   * opens through its identity cookie, so a reconnect is the same customer).
   */
  constructor(
    readonly http: HttpClient,
    public userId: string,
  ) {}

  /** POST /tokens/generate then /conversations. */
  async open(): Promise<void> {
    const gen = await this.http.send('POST', '/v3/directline/tokens/generate', {
      body: '{}',
      headers: {
        'content-type': 'application/json',
        ...(this.#identityCookie ? { cookie: this.#identityCookie } : {}),
      },
    });
    if (gen.status !== 200) throw new Error(`tokens/generate: HTTP ${gen.status} ${gen.body}`);
    const setCookie = gen.headers['set-cookie']?.[0];
    if (setCookie) this.#identityCookie = setCookie.split(';')[0];
    const issued = gen.json<{ token: string; userId: string }>();
    this.token = issued.token;
    this.userId = issued.userId;
    const conv = await this.http.postJson('/v3/directline/conversations', {}, this.token);
    if (conv.status !== 201 && conv.status !== 200)
      throw new Error(`conversations: HTTP ${conv.status} ${conv.body}`);
    const body = conv.json<{ conversationId: string; token: string; streamUrl: string }>();
    this.conversationId = body.conversationId;
    this.token = body.token;
    this.streamUrl = body.streamUrl;
  }

  /** Opens the WebSocket stream (activities then arrive without polling). */
  async connectStream(): Promise<void> {
    const ws = new WebSocket(this.streamUrl, { localAddress: this.http.localAddress });
    ws.on('message', (data) => {
      const text = data.toString();
      if (!text) return;
      const set = JSON.parse(text) as { activities: DlActivity[]; watermark: string };
      this.#take(set.activities, set.watermark);
    });
    await new Promise<void>((ok, fail) => {
      ws.once('open', () => ok());
      ws.once('error', fail);
    });
    ws.on('error', () => undefined);
    this.#ws = ws;
  }

  /** Closes the stream. */
  closeStream(): void {
    this.#ws?.close();
    this.#ws = undefined;
  }

  /** Posts a message; returns the server's activity id. */
  async say(text: string, timeoutMs?: number): Promise<string> {
    const res = await this.http.postJson(
      `/v3/directline/conversations/${this.conversationId}/activities`,
      { type: 'message', from: { id: this.userId }, text },
      this.token,
      timeoutMs,
    );
    if (res.status !== 200) throw new Error(`post activity: HTTP ${res.status} ${res.body}`);
    return res.json<{ id: string }>().id;
  }

  /** GET activities since the watermark. */
  async poll(): Promise<void> {
    const res = await this.http.send(
      'GET',
      `/v3/directline/conversations/${this.conversationId}/activities?watermark=${this.watermark}`,
      { headers: { authorization: `Bearer ${this.token}` } },
    );
    if (res.status !== 200) throw new Error(`get activities: HTTP ${res.status} ${res.body}`);
    const set = res.json<{ activities: DlActivity[]; watermark: string }>();
    this.#take(set.activities, set.watermark);
  }

  /** After a server restart the delivery buffer starts again (from an empty history). */
  resetWatermark(): void {
    this.watermark = '';
  }

  // Kept as they arrive: filtering every activity on each wake-up made the client's CPU grow with
  // the length of the conversation, and in the chat benchmark the client shares the server's process.
  readonly #botMessages: DlActivity[] = [];

  /** Bot messages seen so far (a live view; do not modify). */
  botMessages(): readonly DlActivity[] {
    return this.#botMessages;
  }

  /** Waits for a bot message that satisfies `match`, looking only at messages after index `from`. */
  async waitForBot(
    match: (a: DlActivity) => boolean,
    from: number,
    timeoutMs = 60_000,
    pollMs = 400,
  ): Promise<DlActivity> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.botMessages().slice(from).find(match);
      if (found) return found;
      if (Date.now() > deadline) {
        const seen = this.botMessages().map((a) => a.text?.slice(0, 60));
        throw new Error(
          `${this.userId}: no matching bot message within ${timeoutMs} ms; seen ${JSON.stringify(seen)}`,
        );
      }
      if (this.#ws) {
        await new Promise<void>((ok) => {
          const timer = setTimeout(ok, pollMs);
          this.#wake = () => {
            clearTimeout(timer);
            ok();
          };
        });
      } else {
        await this.poll();
        await new Promise((ok) => setTimeout(ok, pollMs));
      }
    }
  }

  #take(activities: DlActivity[], watermark: string): void {
    this.activities.push(...activities);
    for (const a of activities) if (a.type === 'message' && a.from.id === 'bot') this.#botMessages.push(a);
    this.watermark = watermark;
    this.#wake?.();
  }
}

/** "(3 of 20) ..." → 3; undefined for any other text. */
export function itemNumber(text: string | undefined): number | undefined {
  const m = /\((\d+) of (\d+)\)/.exec(text ?? '');
  return m ? Number(m[1]) : undefined;
}

/**
 * Opens a conversation as `user` and takes it to the personality survey's first item (consent
 * given), as a respondent does.
 */
export async function openAtFirstSurveyItem(http: HttpClient, user: string): Promise<DirectLineConversation> {
  const c = new DirectLineConversation(http, user);
  await c.open();
  await c.connectStream();
  await c.waitForBot(() => true, 0, 20_000, 50);
  let from = c.botMessages().length;
  await c.say('I want to take the personality survey');
  await c.waitForBot(() => true, from, 30_000, 50);
  from = c.botMessages().length;
  await c.say('I consent');
  await c.waitForBot((m) => itemNumber(m.text) === 1, from, 30_000, 50);
  return c;
}

/** A loopback source address for simulated shopper `i` (127.0.1.0 – 127.0.255.255). */
export function loopbackAddress(i: number): string {
  return `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;
}

/** Seeded PRNG, so failures reproduce from the printed seed. */
export const prng = mulberry32;
