// Direct Line 3.0 over real HTTP and WebSocket on an ephemeral port. The bot is a small real
// ActivityHandler so this file tests the transport; the dialog has its own tests.
import { ActivityHandler } from 'botbuilder';
import Fastify, { type FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { directLinePlugin } from '../../bots/channels/webchat/plugin.js';
import { isDatabaseUnavailable } from '../../prisma/index.js';
import { createDatabaseHealth } from '../../server/database-health.js';

const SECRET = 'test-secret-that-is-long-enough-1234567890';

// The database as the bot and the health probe see it: while "down", a turn fails the way the pg
// driver fails on a refused connection.
let databaseDown = false;
const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (ctx, next) => {
      await ctx.sendActivity({ type: 'typing' });
      if (databaseDown) throw refused();
      await ctx.sendActivity(`echo: ${ctx.activity.text}`);
      await next();
    });
    this.onMembersAdded(async (ctx, next) => {
      await ctx.sendActivity('welcome');
      await next();
    });
  }
}

let app: FastifyInstance;
let base: string;
// What the database's pool says; the overload test turns it on for a moment.
let overloaded = false;

beforeAll(async () => {
  app = Fastify();
  await app.register(directLinePlugin, {
    bot: new EchoBot(),
    tokenSecret: SECRET,
    tokenTtlSeconds: 60,
    overloaded: () => overloaded,
    database: {
      isUnavailable: isDatabaseUnavailable,
      ...createDatabaseHealth(async () => {
        if (databaseDown) throw refused();
      }),
    },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/v3/directline`;
});

afterAll(async () => {
  await app.close();
});

async function post(path: string, body: unknown, token?: string): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

async function startConversation(): Promise<{
  conversationId: string;
  token: string;
  streamUrl: string;
  userId: string;
}> {
  // The client's user id is ignored: the server issues one (webchat-identity.test.ts).
  const gen = (await (await post('/tokens/generate', { user: { id: 'dl_testuser1' } })).json()) as {
    token: string;
    conversationId: string;
    userId: string;
  };
  expect(gen.userId).toMatch(/^dl_[0-9a-f]{32}$/);
  const res = await post('/conversations', {}, gen.token);
  expect(res.status).toBe(201);
  const conv = (await res.json()) as { conversationId: string; token: string; streamUrl: string };
  expect(conv.conversationId).toBe(gen.conversationId);
  return { ...conv, userId: gen.userId };
}

function collect(
  ws: WebSocket,
): Array<{ activities: Array<{ type: string; text?: string; from: { id: string } }>; watermark: string }> {
  const sets: Array<{
    activities: Array<{ type: string; text?: string; from: { id: string } }>;
    watermark: string;
  }> = [];
  ws.on('message', (data) => {
    const text = data.toString();
    if (text) sets.push(JSON.parse(text));
  });
  return sets;
}

async function until<T>(fn: () => T | undefined, ms = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Direct Line 3.0 endpoint', () => {
  it('generates a token, starts a conversation, streams the reply and serves GET with watermark', async () => {
    const conv = await startConversation();
    expect(conv.streamUrl).toMatch(
      /^ws:\/\/127\.0\.0\.1:\d+\/v3\/directline\/conversations\/\w+\/stream\?t=/,
    );
    const ws = new WebSocket(conv.streamUrl);
    const sets = collect(ws);
    await new Promise((r) => ws.once('open', r));

    const res = await post(
      `/conversations/${conv.conversationId}/activities`,
      {
        type: 'message',
        from: { id: 'someone-else' },
        text: 'hello',
        channelData: { clientActivityID: 'c1' },
      },
      conv.token,
    );
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: string };
    expect(id).toContain(conv.conversationId);

    const all = () => sets.flatMap((s) => s.activities);
    const echo = await until(() => all().find((a) => a.text === 'echo: hello'));
    expect(echo.from.id).toBe('bot');
    // The user's own activity comes back with its server id and the user id from the token.
    const mine = all().find((a) => a.text === 'hello')!;
    expect(mine.from.id).toBe(conv.userId);
    expect(all().some((a) => a.type === 'typing')).toBe(true);
    expect(all().some((a) => a.text === 'welcome')).toBe(true);
    ws.close();

    const get = await fetch(`${base}/conversations/${conv.conversationId}/activities`, {
      headers: { authorization: `Bearer ${conv.token}` },
    });
    const page = (await get.json()) as { activities: Array<{ text?: string }>; watermark: string };
    expect(page.activities.map((a) => a.text)).toContain('echo: hello');
    const later = await fetch(
      `${base}/conversations/${conv.conversationId}/activities?watermark=${page.watermark}`,
      { headers: { authorization: `Bearer ${conv.token}` } },
    );
    expect(((await later.json()) as { activities: unknown[] }).activities).toHaveLength(0);
    const partial = await fetch(
      `${base}/conversations/${conv.conversationId}/activities?watermark=${Number(page.watermark) - 1}`,
      { headers: { authorization: `Bearer ${conv.token}` } },
    );
    expect(((await partial.json()) as { activities: unknown[] }).activities).toHaveLength(1);
  });

  it('reconnects with GET /conversations/:id and refreshes tokens', async () => {
    const conv = await startConversation();
    const again = await fetch(`${base}/conversations/${conv.conversationId}?watermark=`, {
      headers: { authorization: `Bearer ${conv.token}` },
    });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { streamUrl: string }).streamUrl).toContain(conv.conversationId);
    const refreshed = await post('/tokens/refresh', {}, conv.token);
    expect(refreshed.status).toBe(200);
    expect(((await refreshed.json()) as { conversationId: string }).conversationId).toBe(conv.conversationId);
  });

  it("rejects another conversation's token with 403 and a forged one with 403", async () => {
    const a = await startConversation();
    const b = await startConversation();
    const res = await fetch(`${base}/conversations/${a.conversationId}/activities`, {
      headers: { authorization: `Bearer ${b.token}` },
    });
    expect(res.status).toBe(403);
    const forged = await new SignJWT({ conv: a.conversationId, user: 'dl_x' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('mkt-directline')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-another-secret-another'));
    expect(
      (
        await post(
          `/conversations/${a.conversationId}/activities`,
          { type: 'message', from: { id: 'x' }, text: 'hi' },
          forged,
        )
      ).status,
    ).toBe(403);
    const ws = new WebSocket(`${a.streamUrl.split('?')[0]}?t=${encodeURIComponent(b.token)}`);
    const status = await new Promise<number>((resolve) =>
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(403);
  });

  it('rejects a missing or expired token with 401', async () => {
    const a = await startConversation();
    expect((await fetch(`${base}/conversations/${a.conversationId}/activities`)).status).toBe(401);
    const expired = await new SignJWT({ conv: a.conversationId, user: 'dl_x' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('mkt-directline')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(new TextEncoder().encode(SECRET));
    const res = await fetch(`${base}/conversations/${a.conversationId}/activities`, {
      headers: { authorization: `Bearer ${expired}` },
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('expired');
  });

  it('rejects oversized and malformed activities with 400 and a reason', async () => {
    const a = await startConversation();
    const huge = await post(
      `/conversations/${a.conversationId}/activities`,
      { type: 'message', from: { id: 'x' }, text: 'x'.repeat(40_000) },
      a.token,
    );
    expect(huge.status).toBe(400);
    expect(((await huge.json()) as { error: { message: string } }).error.message).toMatch(
      /larger than|longer than/,
    );
    const bigger = await post(
      `/conversations/${a.conversationId}/activities`,
      { type: 'message', from: { id: 'x' }, text: 'x'.repeat(400_000) },
      a.token,
    );
    expect(bigger.status).toBe(400);
    const long = await post(
      `/conversations/${a.conversationId}/activities`,
      { type: 'message', from: { id: 'x' }, text: 'x'.repeat(5000) },
      a.token,
    );
    expect(long.status).toBe(400);
    expect(((await long.json()) as { error: { message: string } }).error.message).toContain('text');
    const noType = await post(
      `/conversations/${a.conversationId}/activities`,
      { from: { id: 'x' }, text: 'hi' },
      a.token,
    );
    expect(noType.status).toBe(400);
    expect(((await noType.json()) as { error: { message: string } }).error.message).toMatch(/^type:/);
    const badJson = await fetch(`${base}/conversations/${a.conversationId}/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${a.token}` },
      body: '{"type":',
    });
    expect(badJson.status).toBe(400);
  });

  it('refuses a message at once with 503 and Retry-After while the database is overloaded, then takes it', async () => {
    const conv = await startConversation();
    overloaded = true;
    let refused: Response;
    try {
      refused = await post(
        `/conversations/${conv.conversationId}/activities`,
        { type: 'message', from: { id: 'x' }, text: 'busy?' },
        conv.token,
      );
    } finally {
      overloaded = false;
    }
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('ServiceUnavailable');
    const history = async () =>
      (
        (await (
          await fetch(`${base}/conversations/${conv.conversationId}/activities`, {
            headers: { authorization: `Bearer ${conv.token}` },
          })
        ).json()) as { activities: Array<{ text?: string }> }
      ).activities.map((a) => a.text);
    // Nothing of the refused message was kept or answered.
    expect(await history()).not.toContain('busy?');
    const again = await post(
      `/conversations/${conv.conversationId}/activities`,
      { type: 'message', from: { id: 'x' }, text: 'busy?' },
      conv.token,
    );
    expect(again.status).toBe(200);
    const deadline = Date.now() + 30_000;
    while (!(await history()).includes('echo: busy?')) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it('refuses a message whose turn cannot reach the database with 503 and Retry-After, keeping nothing of it', async () => {
    const conv = await startConversation();
    const ws = new WebSocket(conv.streamUrl);
    const sets = collect(ws);
    await new Promise((r) => ws.once('open', r));
    const message = {
      type: 'message',
      from: { id: 'x' },
      text: 'down?',
      channelData: { clientActivityID: 'd1' },
    };
    const send = () => post(`/conversations/${conv.conversationId}/activities`, message, conv.token);
    databaseDown = true;
    let first: Response;
    let next: Response;
    try {
      // The first message meets the outage inside its turn; the next one is refused before it.
      first = await send();
      next = await send();
    } finally {
      databaseDown = false;
    }
    for (const refusal of [first, next]) {
      expect(refusal.status).toBe(503);
      expect(Number(refusal.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refusal.text()).toContain("we'll be right back");
    }
    const texts = async () =>
      (
        (await (
          await fetch(`${base}/conversations/${conv.conversationId}/activities`, {
            headers: { authorization: `Bearer ${conv.token}` },
          })
        ).json()) as { activities: Array<{ text?: string }> }
      ).activities.map((a) => a.text);
    // Neither the message nor an apology was shown, in the history or on the stream.
    expect(await texts()).toEqual(['welcome']);
    expect(
      sets
        .flatMap((s) => s.activities)
        .filter((a) => a.type === 'message')
        .map((a) => a.text),
    ).toEqual(['welcome']);
    // Once the probe reaches the database (every second), the client's resend is taken and answered once.
    const deadline = Date.now() + 30_000;
    let resent = await send();
    while (resent.status === 503 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      resent = await send();
    }
    expect(resent.status).toBe(200);
    expect(await texts()).toEqual(['welcome', 'down?', 'echo: down?']);
    // A resend after success gets the same activity, not a second turn.
    const again = await send();
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(((await resent.json()) as { id: string }).id);
    expect(await texts()).toEqual(['welcome', 'down?', 'echo: down?']);
    ws.close();
  });
});
