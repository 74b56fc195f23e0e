// PostgreSQL outage for one server only: the real server child process reaches its database
// through a TCP proxy the test controls (the machine's PostgreSQL keeps running). While the link
// is cut, /readyz and the routes that need the database answer 503 fast, /healthz stays up and the
// process does not crash; chat messages, the first of the outage included, get 503 + Retry-After
// and nothing of them is stored; when the link comes back the same process recovers by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../prisma/index.js';
import { createApiKeyStore } from '../../server/security/index.js';
import { prepareServerGround, type ServerGround } from '../support/server-ground.js';
import { ChildServer } from '../support/server-process.js';
import { DirectLineConversation, HttpClient, loopbackAddress } from './directline-client.js';
import { TcpProxy } from './tcp-proxy.js';

// "Fast" is bounded, not quick: far below the client's 40 s timeout, which a request waiting on the
// dead link would reach. At load 20 /readyz took 2.05 s against its 2 s check timeout, so a tight
// figure here failed on scheduling alone; the quick figures are printed below, not asserted.
const FAST_MS = 10_000;
// The server's DATABASE_CHAT_STATEMENT_TIMEOUT_MS: how long a turn waits on a silent database.
const STATEMENT_TIMEOUT_MS = 2_000;
// The server's DATABASE_POOL_TIMEOUT_MS (its default): how long a query waits for a connection.
const POOL_TIMEOUT_MS = 5_000;

let ground: ServerGround;
let proxy: TcpProxy;
let server: ChildServer;
let db: Database;
let adminKey: string;
let http: HttpClient;
const statuses: number[] = [];

beforeAll(async () => {
  ground = await prepareServerGround('pg-outage');
  proxy = await TcpProxy.start();
  const viaProxy = new URL(ground.databaseUrl);
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  server = await ChildServer.start({
    env: {
      DATABASE_URL: viaProxy.toString(),
      DATA_DIR: ground.dataDir,
      DATABASE_CHAT_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    },
  });
  db = await ground.database();
  adminKey = (await createApiKeyStore(db.prisma).create('outage test', 'admin')).key;
  http = new HttpClient(server.url, loopbackAddress(7));
}, 400_000);

afterAll(async () => {
  http?.close();
  await server?.stop();
  await proxy?.close();
  await ground?.close();
});

async function timed(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; ms: number; body: string }> {
  const started = performance.now();
  const res = await http.send(method, path, {
    headers: { 'x-api-key': adminKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    timeoutMs: 40_000,
  });
  statuses.push(res.status);
  return { status: res.status, ms: performance.now() - started, body: res.body };
}

async function chatTurn(text: string): Promise<{ postStatus: number; reply?: string }> {
  const c = new DirectLineConversation(http, `dl_pgout_${Date.now().toString(36)}`);
  await c.open();
  const from = c.botMessages().length;
  let id: string;
  try {
    id = await c.say(text, 40_000);
  } catch (error) {
    const status = Number(/HTTP (\d+)/.exec(String(error))?.[1] ?? 0);
    statuses.push(status);
    return { postStatus: status };
  }
  statuses.push(200);
  const reply = await c.waitForBot((a) => !!a.text && a.replyToId === id, from, 60_000);
  return { postStatus: 200, reply: reply.text };
}

/** A chat turn as the Web Chat client sends it: a 503 is sent again after its Retry-After. */
async function chatTurnRetried(text: string): Promise<{ postStatus: number; reply?: string }> {
  for (let attempt = 1; ; attempt++) {
    const turn = await chatTurn(text);
    if (turn.postStatus !== 503 || attempt >= 10) return turn;
    await new Promise((ok) => setTimeout(ok, 5_000));
  }
}

const refusedConversations: string[] = [];

/** A message in a new conversation that must be refused with 503, Retry-After and "we'll be right back". */
async function refusedMessage(text: string): Promise<{ ms: number }> {
  const c = new DirectLineConversation(http, `dl_pgout_${Date.now().toString(36)}`);
  await c.open();
  refusedConversations.push(c.conversationId);
  const started = performance.now();
  const res = await http.postJson(
    `/v3/directline/conversations/${c.conversationId}/activities`,
    { type: 'message', from: { id: 'x' }, text, channelData: { clientActivityID: 'refused-1' } },
    c.token,
    40_000,
  );
  const ms = performance.now() - started;
  statuses.push(res.status);
  expect(res.status, `${text}: ${res.body}`).toBe(503);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(res.body).toContain("we'll be right back");
  return { ms };
}

async function waitReady(timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const res = await timed('GET', '/readyz');
    if (res.status === 200) return Date.now() - started;
    if (Date.now() - started > timeoutMs)
      throw new Error(`not ready again after ${timeoutMs} ms: ${res.body}`);
    await new Promise((ok) => setTimeout(ok, 500));
  }
}

describe.each(['reset', 'blackhole'] as const)('PostgreSQL unreachable (%s)', (mode) => {
  it('answers 503 fast, stays alive, and recovers by itself', async () => {
    const pid = server.pid;
    expect((await timed('GET', '/readyz')).status).toBe(200);
    expect((await timed('GET', '/api/admin/v1/products?limit=5')).status).toBe(200);
    const before = await chatTurnRetried('I need a warm jacket under 100');
    expect(before.postStatus).toBe(200);
    expect(before.reply).toBeTruthy();

    proxy.cut(mode);
    try {
      await outage();
    } finally {
      proxy.restore();
    }
    const recoveredMs = await waitReady(60_000);
    expect(server.pid).toBe(pid);
    expect((await timed('GET', '/api/admin/v1/products?limit=5')).status).toBe(200);
    // The first queries after the link returns may still fail on stale connections, and the chat
    // then refuses messages for a few seconds more: the client resends after Retry-After.
    // Nothing of the refused messages was written: their conversations have no stored message.
    for (const id of refusedConversations.splice(0)) {
      const stored = await db.prisma.message.count({ where: { conversation: { externalId: id } } });
      expect(stored, `messages stored for refused conversation ${id}`).toBe(0);
    }
    const after = await chatTurnRetried('I need a warm jacket under 100');
    expect(after.postStatus).toBe(200);
    expect(after.reply).not.toMatch(/sorry, something went wrong/i);
    console.log(`[${mode}] ready again ${recoveredMs} ms after the link came back`);
    expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
  }, 300_000);

  async function outage(): Promise<void> {
    const ready = await timed('GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.ms).toBeLessThan(FAST_MS);
    expect(JSON.parse(ready.body).checks.database.ok).toBe(false);
    expect((await timed('GET', '/healthz')).status).toBe(200);

    // With a refused connection the database routes fail fast with 503. (In a silent partition a
    // query already sent on a pooled connection waits for TCP; only readiness is bounded there.)
    if (mode === 'reset') {
      for (const path of [
        '/api/admin/v1/products?limit=5',
        '/api/admin/v1/customers',
        '/api/admin/v1/audit-log',
      ]) {
        const res = await timed('GET', path);
        expect(res.status, `${path}: ${res.body}`).toBe(503);
        expect(res.ms, path).toBeLessThan(FAST_MS);
      }
    }
    // Chat messages during the outage, the first one included: refused with 503 + Retry-After (the
    // client sends them again), never 200 and an apology, never a 500. The first meets the outage
    // inside its turn (a refused connection at once, a silent one after the statement timeout);
    // the ones after it are refused before a turn starts.
    const first = await refusedMessage('show me waterproof boots below $80');
    // In a silent partition the turn waits for connections that never come: the help-centre lookup's
    // and the turn's own, DATABASE_POOL_TIMEOUT_MS each (or the statement timeout on a held one).
    const silentWait = 2 * Math.max(POOL_TIMEOUT_MS, STATEMENT_TIMEOUT_MS);
    expect(first.ms).toBeLessThan(FAST_MS + (mode === 'blackhole' ? silentWait : 0));
    const next = await refusedMessage('hello again');
    expect(next.ms).toBeLessThan(FAST_MS);

    // The outage lasts a while; the process keeps serving liveness and does not exit.
    await new Promise((ok) => setTimeout(ok, 5_000));
    expect(server.alive).toBe(true);
    expect((await timed('GET', '/healthz')).status).toBe(200);

    console.log(`[${mode}] /readyz answered 503 in ${Math.round(ready.ms)} ms during the outage`);
  }
});
