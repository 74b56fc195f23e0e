// Rate limits that hold in a real deployment: two server processes sharing the machine's Redis
// count one address and one conversation together (429 + Retry-After on the Direct Line routes,
// never 400); TRUST_PROXY makes X-Forwarded-For the client address; failed admin logins are
// limited per address and audited once per address and minute; hostile JSON and queries get 4xx.
// The same two processes show that a resent activity (same clientActivityID) runs one turn.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatPagePlugin } from '../../bots/channels/webchat/page.js';
import { adminApiPlugin, ADMIN_PREFIX } from '../../server/admin/index.js';
import {
  HARDENED_SERVER_OPTIONS,
  registerHttpHardening,
  trustProxyOption,
} from '../../server/http-hardening.js';
import {
  createApiKeyStore,
  createLookupHasher,
  createPrismaAuditWriter,
} from '../../server/security/index.js';
import { deleteKeys, REDIS_URL, uniquePrefix } from '../jobs/redis-support.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { appsClosedAfterEach } from '../support/fastify-apps.js';
import { REPO_ROOT } from '../support/server-process.js';
import { HttpClient } from './directline-client.js';

const PREFIX = `${uniquePrefix('rl')}:`;
const children: ChildProcess[] = [];

/** Starts test/support/limited-chat-server.ts; resolves with its URL once it listens. */
async function startLimitedServer(env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/limited-chat-server.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((ok, fail) => {
    // tsx compiles the server's imports on a first start: minutes on a loaded machine
    const timer = setTimeout(() => fail(new Error(`no "listening" line:\n${output}`)), 200_000);
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening (\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        ok(`http://127.0.0.1:${m[1]}`);
      }
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    child.once('exit', (code) => fail(new Error(`server exited (${code}):\n${output}`)));
  });
}

describe('two server processes sharing Redis', () => {
  let a: string;
  let b: string;

  beforeAll(async () => {
    const env = {
      REDIS_URL,
      RATE_LIMIT_PREFIX: PREFIX,
      TOKEN_SECRET: randomBytes(24).toString('hex'),
      RATE_LIMIT_MAX: '10',
      RATE_LIMIT_CHAT_MAX: '4',
    };
    [a, b] = await Promise.all([startLimitedServer(env), startLimitedServer(env)]);
  }, 600_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGTERM');
    await deleteKeys(REDIS_URL, PREFIX);
  });

  it('count one address together: the 11th request of 10 per minute gets 429 + Retry-After', async () => {
    const clients = [new HttpClient(a, '127.0.4.1'), new HttpClient(b, '127.0.4.1')];
    const answers = [];
    for (let i = 0; i < 12; i++)
      answers.push(await clients[i % 2]!.postJson('/v3/directline/tokens/generate', {}));
    expect(answers.map((r) => r.status)).toEqual([...Array(10).fill(200), 429, 429]);
    const refused = answers[10]!;
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ error: { code: 'TooManyRequests' } });
    for (const c of clients) c.close();
  });

  it('counts from the first request after start-up: the Redis connection is ready before the app serves', async () => {
    const app = Fastify(HARDENED_SERVER_OPTIONS);
    await registerHttpHardening(app, {
      corsOrigins: [],
      rateLimit: { max: 3, timeWindowMs: 60_000 },
      redisUrl: REDIS_URL,
      redisPrefix: `${PREFIX}startup:`,
    });
    app.get('/page', async () => 'ok');
    const codes = [];
    for (let i = 0; i < 4; i++)
      codes.push((await app.inject({ url: '/page', remoteAddress: '192.0.2.9' })).statusCode);
    await app.close();
    // A request served before the connection was ready would go uncounted (limits fail open).
    expect(codes).toEqual([200, 200, 200, 429]);
  });

  it('count one conversation together: the 5th message of 4 per minute gets 429 + Retry-After', async () => {
    const onA = new HttpClient(a, '127.0.4.2');
    const onB = new HttpClient(b, '127.0.4.2');
    const { token } = (await onA.postJson('/v3/directline/tokens/generate', {})).json<{ token: string }>();
    const conv = await onA.postJson('/v3/directline/conversations', {}, token);
    const { conversationId } = conv.json<{ conversationId: string }>();
    const statuses: number[] = [];
    let refused;
    for (let i = 0; i < 5; i++) {
      const res = await (i % 2 ? onB : onA).postJson(
        `/v3/directline/conversations/${conversationId}/activities`,
        { type: 'message', from: { id: 'x' }, text: `message ${i}` },
        token,
      );
      statuses.push(res.status);
      if (res.status === 429) refused = res;
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    expect(Number(refused!.headers['retry-after'])).toBeGreaterThan(0);
    // Another conversation from the same address is not affected.
    const other = (await onB.postJson('/v3/directline/tokens/generate', {})).json<{ token: string }>();
    const otherConv = (await onB.postJson('/v3/directline/conversations', {}, other.token)).json<{
      conversationId: string;
    }>();
    expect(
      (
        await onB.postJson(
          `/v3/directline/conversations/${otherConv.conversationId}/activities`,
          { type: 'message', from: { id: 'x' }, text: 'hi' },
          other.token,
        )
      ).status,
    ).toBe(200);
    onA.close();
    onB.close();
  });

  it('runs one turn for a resent activity and returns its original id, whichever process gets it', async () => {
    const onA = new HttpClient(a, '127.0.4.3');
    const onB = new HttpClient(b, '127.0.4.3');
    const { token } = (await onA.postJson('/v3/directline/tokens/generate', {})).json<{ token: string }>();
    const { conversationId } = (await onA.postJson('/v3/directline/conversations', {}, token)).json<{
      conversationId: string;
    }>();
    const send = (client: HttpClient, clientActivityID: string) =>
      client.postJson(
        `/v3/directline/conversations/${conversationId}/activities`,
        { type: 'message', from: { id: 'x' }, text: 'answer 4', channelData: { clientActivityID } },
        token,
      );
    const first = await send(onA, 'cid-1');
    const retry = await send(onB, 'cid-1');
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.json<{ id: string }>().id).toBe(first.json<{ id: string }>().id);
    // Both at once, one to each process.
    const [x, y] = await Promise.all([send(onA, 'cid-2'), send(onB, 'cid-2')]);
    expect([x.status, y.status]).toEqual([200, 200]);
    expect(x.json<{ id: string }>().id).toBe(y.json<{ id: string }>().id);
    // A new id is a new message.
    expect((await send(onB, 'cid-3')).status).toBe(200);
    const redis = new Redis(REDIS_URL);
    try {
      let turns = 0;
      for (let i = 0; i < 300 && turns < 3; i++) {
        turns = Number(await redis.get(`${PREFIX}turns:${conversationId}`));
        if (turns < 3) await new Promise((ok) => setTimeout(ok, 100));
      }
      await new Promise((ok) => setTimeout(ok, 300));
      expect(Number(await redis.get(`${PREFIX}turns:${conversationId}`))).toBe(3);
    } finally {
      redis.disconnect();
    }
    onA.close();
    onB.close();
  });
});

describe('one process', () => {
  const apps = appsClosedAfterEach();
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('pglite');
  }, 300_000);

  afterAll(async () => {
    await db?.close();
  });

  it('takes the client address from X-Forwarded-For only with TRUST_PROXY', async () => {
    const build = async (trust: boolean) => {
      const app = Fastify({ ...HARDENED_SERVER_OPTIONS, trustProxy: trustProxyOption(trust) });
      apps.push(app);
      await registerHttpHardening(app, { corsOrigins: [], rateLimit: { max: 2, timeWindowMs: 60_000 } });
      app.get('/page', async () => 'ok');
      return app;
    };
    for (const trust of [true, false]) {
      const app = await build(trust);
      const codes: number[] = [];
      for (let i = 0; i < 3; i++)
        codes.push(
          (await app.inject({ url: '/page', headers: { 'x-forwarded-for': `203.0.113.${i}` } })).statusCode,
        );
      // Behind a trusted proxy every shopper has their own address; untrusted, all share the proxy's.
      expect({ trust, codes }).toEqual({ trust, codes: trust ? [200, 200, 200] : [200, 200, 429] });
    }
  });

  it('limits failed admin logins per address and audits them once per address and minute', async () => {
    const app = Fastify(HARDENED_SERVER_OPTIONS);
    apps.push(app);
    await registerHttpHardening(app, { corsOrigins: [], rateLimit: { max: 1000, timeWindowMs: 60_000 } });
    const apiKeys = createApiKeyStore(db.prisma);
    await app.register(adminApiPlugin, {
      prisma: db.prisma,
      apiKeys,
      audit: createPrismaAuditWriter(db.prisma),
      lookup: createLookupHasher(randomBytes(32)),
      privacy: { exportData: async () => ({}), forget: async () => undefined },
      docs: false,
      authFailures: { counter: app.rateCounter, limit: { max: 5, windowMs: 60_000 } },
    });
    const before = await db.prisma.auditLog.count();
    const statuses: number[] = [];
    let limited;
    for (let i = 0; i < 30; i++) {
      const res = await app.inject({
        url: `${ADMIN_PREFIX}/products`,
        remoteAddress: '198.51.100.7',
        headers: { 'x-api-key': `mkt_AAAAAAAA_${randomBytes(32).toString('base64url')}` },
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) limited = res;
    }
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(25).fill(429)]);
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
    const rows = await db.prisma.auditLog.findMany({ orderBy: { createdAt: 'asc' }, skip: before });
    expect(rows.map((r) => r.action)).toEqual(['auth.failed', 'auth.limited']);
    expect(rows[0]!.detail).toMatchObject({ address: '198.51.100.7' });
    // Another address is neither limited nor folded into the first one's rows.
    const other = await app.inject({
      url: `${ADMIN_PREFIX}/products`,
      remoteAddress: '198.51.100.8',
      headers: { 'x-api-key': 'wrong' },
    });
    expect(other.statusCode).toBe(401);
    expect(await db.prisma.auditLog.count()).toBe(before + 3);
    // A valid key from a fresh address still works.
    const { key } = await apiKeys.create('ok', 'viewer');
    const ok = await app.inject({ url: `${ADMIN_PREFIX}/products`, headers: { 'x-api-key': key } });
    expect(ok.statusCode).toBe(200);
  });

  it('answers hostile JSON and queries with 4xx and no internal message', async () => {
    const app = Fastify(HARDENED_SERVER_OPTIONS);
    apps.push(app);
    await registerHttpHardening(app, { corsOrigins: [] });
    await app.register(chatPagePlugin, { brandName: 'Test shop' });
    app.post('/echo', async (request) => ({ size: JSON.stringify(request.body).length }));
    app.get('/boom', async () => {
      throw new Error('secret internal detail at /srv/app/db.ts:42');
    });
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const res = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: deep,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'JSON_TOO_DEEP' });
    // Brackets inside strings do not count; 64 levels are fine.
    const fine = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ text: '['.repeat(500), nested: JSON.parse('['.repeat(63) + ']'.repeat(63)) }),
    });
    expect(fine.statusCode).toBe(200);
    const twice = await app.inject('/product-image/x.svg?label=a&label=b');
    expect(twice.statusCode).toBe(400);
    expect((await app.inject('/product-image/x.svg?label=Parka')).statusCode).toBe(200);
    const boom = await app.inject('/boom');
    expect(boom.statusCode).toBe(500);
    expect(boom.body).not.toContain('secret internal detail');
    expect(boom.json()).toEqual({ error: 'internal error', code: 'INTERNAL' });
  });
});
