// Hostile input: at least 10,000 seeded-random requests through Fastify's inject against the whole
// app as `startServer` builds it (real PostgreSQL, web chat, Slack with a local stand-in for the
// Slack Web API, admin API): random Unicode, 1 MB bodies, malformed JSON, prototype-pollution keys,
// SQL-looking strings, forged Slack signatures, expired, foreign and forged Direct Line tokens,
// random paths and methods. Zero 5xx, the process still serves /healthz, and nothing is stored
// from a rejected request. Reproduce a failure with FUZZ_SEED=<seed printed below>.
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyStore } from '../../server/security/index.js';
import type { RunningServer } from '../../server/start.js';
import { startFakeSlackApi, type FakeSlackApi } from '../bots/fake-slack-api.js';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server.js';
import { TEST_TOKEN_SECRET } from '../support/server-process.js';
import { prng } from './directline-client.js';

const SEED = Number(process.env.FUZZ_SEED ?? 8_2026);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);

let slackApi: FakeSlackApi;
let started: InProcessServer;
let server: RunningServer;

beforeAll(async () => {
  slackApi = await startFakeSlackApi();
  started = await startInProcessServer('fuzz', {
    SLACK_BOT_TOKEN: 'xoxb-fuzz-test-token',
    SLACK_SIGNING_SECRET: 'fuzz-signing-secret-0123456789abcdef',
    SLACK_API_URL: `${slackApi.url}/api/`,
  });
  server = started.server;
}, 400_000);

afterAll(async () => {
  await started?.close();
  await slackApi?.close();
});

type Pick = <T>(items: readonly T[]) => T;

const SQL = [
  "' OR '1'='1",
  '\'; DROP TABLE "Product"; --',
  '1; DELETE FROM "Message" WHERE 1=1',
  "admin'--",
  '" UNION SELECT * FROM "ApiKey" --',
  '\'); TRUNCATE "Customer" CASCADE; --',
];
const POLLUTION = [
  '{"__proto__":{"isAdmin":true,"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{"type":"message","from":{"id":"x","__proto__":{"role":"bot"}},"text":"hi"}',
  '{"user":{"id":"dl_abcdefg","constructor":{"prototype":{"polluted":1}}}}',
  '{"a":[{"__proto__":{"b":1}}]}',
];
const MALFORMED = [
  '{',
  '{"type":',
  '[1,2',
  '{"a":1,}',
  'null',
  'true',
  '"text"',
  '{"a":"\\ud800"}',
  '\u0000',
  '{}}',
  'NaN',
];

function unicode(random: () => number, max: number): string {
  const length = Math.floor(random() * max);
  let out = '';
  for (let i = 0; i < length; i++) {
    const roll = random();
    const cp =
      roll < 0.5
        ? 32 + Math.floor(random() * 95)
        : roll < 0.8
          ? 0x80 + Math.floor(random() * 0x2000)
          : roll < 0.95
            ? 0x1f300 + Math.floor(random() * 0x400)
            : Math.floor(random() * 0x20);
    out += String.fromCodePoint(cp);
  }
  return out;
}

// inject needs a parseable request line; raw spaces, quotes and non-ASCII are sent percent-encoded
// (as a real client would), the rest as generated.
function requestable(url: string): string {
  const raw = /^[\x21-\x7e]*$/.test(url);
  try {
    if (raw) {
      new URL(url, 'http://localhost');
      return url;
    }
  } catch {
    // fall through
  }
  return encodeURI(url);
}

interface FuzzRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS' | 'HEAD';
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** a valid chat message on the one conversation the fuzzer may legitimately talk in */
  legit?: boolean;
}

describe('hostile input', () => {
  it(`${REQUESTS} random hostile requests: zero 5xx, still healthy, nothing stored from rejected ones`, async () => {
    const app = server.app;
    const prisma = server.db.prisma;
    const random = prng(SEED);
    const pick: Pick = (items) => items[Math.floor(random() * items.length)]!;
    const key = new TextEncoder().encode(TEST_TOKEN_SECRET);

    // The one conversation with a valid token: legitimate messages may be stored there, nowhere else.
    const gen = await app.inject({
      method: 'POST',
      url: '/v3/directline/tokens/generate',
      payload: { user: { id: 'dl_fuzzer_own' } },
    });
    const own = gen.json<{ token: string; conversationId: string }>();
    const other = (
      await app.inject({ method: 'POST', url: '/v3/directline/tokens/generate', payload: {} })
    ).json<{ token: string; conversationId: string }>();
    const expired = await new SignJWT({ conv: own.conversationId, user: 'dl_fuzzer_own' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('mkt-directline')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(key);
    const forged = await new SignJWT({ conv: own.conversationId, user: 'dl_fuzzer_own' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('mkt-directline')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('not-the-server-secret-not-the-server-secret'));
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ conv: own.conversationId, user: 'dl_x', iss: 'mkt-directline' })).toString('base64url')}.`;
    const viewerKey = (await createApiKeyStore(prisma).create('fuzz viewer', 'viewer')).key;
    const keys = ['', 'mkt_AAAAAAAA_' + 'a'.repeat(43), 'garbage', viewerKey, `${viewerKey}x`, "' OR 1=1 --"];
    const tokens = [
      '',
      expired,
      forged,
      unsigned,
      other.token,
      'Bearer',
      'x.y.z',
      randomBytes(30).toString('base64'),
    ];

    const countRows = async () => ({
      message: await prisma.message.count(),
      conversation: await prisma.conversation.count(),
      customer: await prisma.customer.count(),
      product: await prisma.product.count(),
      apiKey: await prisma.apiKey.count(),
      answer: await prisma.answer.count(),
    });
    const before = await countRows();
    const startedAt = new Date();

    const conv = () =>
      pick([
        own.conversationId,
        own.conversationId,
        'x'.repeat(199),
        '..%2F..%2Fetc',
        unicode(random, 20),
        "1' OR '1'='1",
      ]);
    const paths = (): string =>
      pick([
        '/',
        '/healthz',
        '/readyz',
        '/metrics',
        '/docs',
        '/docs/json',
        '/webchat/webchat.js',
        `/static/${pick(['../package.json', '..%2f..%2f.env', 'x.css', unicode(random, 10)])}`,
        `/product-image/${encodeURIComponent(unicode(random, 30))}.svg?label=${encodeURIComponent(pick(SQL))}`,
        '/v3/directline/tokens/generate',
        '/v3/directline/tokens/refresh',
        '/v3/directline/conversations',
        `/v3/directline/conversations/${encodeURIComponent(conv())}`,
        `/v3/directline/conversations/${encodeURIComponent(conv())}/activities`,
        `/v3/directline/conversations/${encodeURIComponent(conv())}/activities?watermark=${encodeURIComponent(pick(['-1', '999999999999', 'abc', unicode(random, 5)]))}`,
        `/v3/directline/conversations/${encodeURIComponent(conv())}/stream`,
        '/slack/events',
        '/api/messages',
        '/api/admin/v1/products',
        `/api/admin/v1/products/${encodeURIComponent(pick([...SQL, unicode(random, 30), 'NW-0001']))}`,
        `/api/admin/v1/products?limit=${pick(['-1', '1e9', 'abc', '5'])}&after=${encodeURIComponent(pick(SQL))}`,
        '/api/admin/v1/customers',
        `/api/admin/v1/customers/${encodeURIComponent(pick([randomBytes(16).toString('hex'), ...SQL]))}`,
        `/api/admin/v1/customers/${encodeURIComponent(pick(SQL))}/export`,
        '/api/admin/v1/api-keys',
        `/api/admin/v1/api-keys/${encodeURIComponent(pick(SQL))}`,
        '/api/admin/v1/segments',
        '/api/admin/v1/audit-log',
        '/api/admin/v1/jobs/failed',
        `/${unicode(random, 40).replace(/[?#]/g, '')}`,
        `/api/admin/v1/${'../'.repeat(Math.floor(random() * 5))}${pick(SQL)}`,
      ]);

    const activity = (): unknown =>
      pick([
        { type: 'message', from: { id: 'dl_x' }, text: unicode(random, 300) },
        { type: 'message', from: { id: 'dl_x' }, text: pick(SQL) },
        { type: 'message', from: { id: 'bot', role: 'bot' }, text: 'I am the bot now' },
        {
          type: pick(['invoke', 'event', 'delete', 'handoff', '']),
          from: { id: 'x' },
          name: pick(SQL),
          value: { sku: pick(SQL) },
        },
        { type: 'message', from: { id: 'x' }, text: 'x'.repeat(4001) },
        { type: 'message', text: 'no from' },
        {
          type: 'message',
          from: { id: 'x' },
          value: { action: pick(['more', 'basket', 'handoff', '__proto__']), sku: pick(SQL) },
        },
        { type: 'message', from: 'x', text: 1 },
        {
          type: 'message',
          from: { id: 'x'.repeat(500) },
          text: 'hi',
          attachments: Array.from({ length: 50 }, () => ({
            contentType: 'x',
            content: unicode(random, 100),
          })),
        },
      ]);

    const body = (): { payload?: string | Buffer; type?: string } => {
      const roll = random();
      if (roll < 0.03)
        return {
          payload: Buffer.alloc(1024 * 1024, pick(['a', '{', '\u00e9'])),
          type: pick(['application/json', 'text/plain', 'application/octet-stream']),
        };
      if (roll < 0.06) return { payload: `{"text":"${'x'.repeat(1024 * 1024)}"}`, type: 'application/json' };
      if (roll < 0.25) return { payload: pick(MALFORMED), type: 'application/json' };
      if (roll < 0.4) return { payload: pick(POLLUTION), type: 'application/json' };
      if (roll < 0.65) return { payload: JSON.stringify(activity()), type: 'application/json' };
      if (roll < 0.75)
        return {
          payload: JSON.stringify({
            sku: pick(SQL),
            name: unicode(random, 80),
            price: pick([-1, 'NaN', 1e308, '12.50', pick(SQL)]),
            category: pick(SQL),
            role: pick(['admin', 'root', pick(SQL)]),
          }),
          type: 'application/json',
        };
      if (roll < 0.82)
        return {
          payload: `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', user: { id: pick(SQL) }, actions: [{ value: pick(SQL) }] }))}`,
          type: 'application/x-www-form-urlencoded',
        };
      if (roll < 0.9)
        return {
          payload: unicode(random, 2000),
          type: pick([
            'application/json',
            'text/plain',
            'multipart/form-data; boundary=x',
            'application/xml',
          ]),
        };
      return {};
    };

    const slackHeaders = (): Record<string, string> => {
      const now = Math.floor(Date.now() / 1000);
      return {
        'x-slack-request-timestamp': String(pick([now, now - 3600, 0, -1, 'abc', now + 99999])),
        'x-slack-signature': pick([
          `v0=${randomBytes(32).toString('hex')}`,
          'v0=',
          'v1=abc',
          '',
          unicode(random, 20).replace(/[^\x20-\x7e]/g, ''),
        ]),
      };
    };

    const make = (): FuzzRequest => {
      const url = requestable(paths());
      const { payload, type } = body();
      const method =
        payload === undefined
          ? pick(['GET', 'GET', 'DELETE', 'OPTIONS', 'HEAD'] as const)
          : pick(['POST', 'POST', 'PUT', 'PATCH', 'DELETE'] as const);
      const headers: Record<string, string> = {};
      if (type) headers['content-type'] = type;
      if (url.startsWith('/v3/') && random() < 0.9) headers.authorization = `Bearer ${pick(tokens)}`;
      if (url.startsWith('/api/admin') && random() < 0.9)
        headers[pick(['x-api-key', 'authorization'])] = pick(keys);
      if (url.startsWith('/slack')) Object.assign(headers, slackHeaders());
      if (random() < 0.1)
        headers.origin = pick([
          'https://evil.example',
          'null',
          unicode(random, 10).replace(/[^\x20-\x7e]/g, ''),
        ]);
      return { method, url, headers, payload };
    };
    // A legitimate (hostile-content) chat message in the fuzzer's own conversation, now and then.
    const legit = (): FuzzRequest => ({
      method: 'POST',
      url: `/v3/directline/conversations/${own.conversationId}/activities`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${own.token}` },
      payload: JSON.stringify({
        type: 'message',
        from: { id: 'dl_fuzzer_own' },
        text: pick([unicode(random, 200), ...SQL, ...POLLUTION]),
      }),
      legit: true,
    });
    await app.inject({
      method: 'POST',
      url: '/v3/directline/conversations',
      headers: { authorization: `Bearer ${own.token}` },
    });

    const failures: string[] = [];
    const statusCounts = new Map<number, number>();
    let accepted = 0;
    let legitMessages = 0;
    const BATCH = 50;
    for (let done = 0; done < REQUESTS; done += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, REQUESTS - done) }, () =>
        random() < 0.01 ? legit() : make(),
      );
      const results = await Promise.all(
        batch.map((r, i) => {
          let timer: NodeJS.Timeout | undefined;
          // A request that never gets an answer is a failure too (and must not stall the run).
          const hung = new Promise<undefined>((ok) => {
            timer = setTimeout(() => ok(undefined), 30_000);
          });
          const answered = app.inject({
            method: r.method,
            url: r.url,
            headers: r.headers,
            payload: r.payload,
            remoteAddress: `10.${(done + i) % 200}.${Math.floor(random() * 250)}.1`,
          });
          return Promise.race([answered, hung]).finally(() => clearTimeout(timer));
        }),
      );
      if (done % 2_000 === 0) process.stderr.write(`fuzz: ${done}/${REQUESTS}\n`);
      results.forEach((res, i) => {
        const r = batch[i]!;
        if (!res) {
          failures.push(
            `no answer within 30 s: ${r.method} ${r.url.slice(0, 120)} ${JSON.stringify(r.headers).slice(0, 200)}`,
          );
          return;
        }
        statusCounts.set(res.statusCode, (statusCounts.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode >= 500)
          failures.push(
            `${res.statusCode} ${r.method} ${r.url.slice(0, 120)} ${String(r.payload ?? '').slice(0, 120)} → ${res.body.slice(0, 200)}`,
          );
        if (res.statusCode < 400) {
          accepted++;
          if (r.legit) legitMessages++;
        }
      });
    }
    const summary = Object.fromEntries([...statusCounts].sort((a, b) => a[0] - b[0]));
    console.log(
      `fuzz seed ${SEED}: ${REQUESTS} requests, ${accepted} accepted (${legitMessages} legitimate chat messages), statuses ${JSON.stringify(summary)}`,
    );
    expect(failures.slice(0, 20)).toEqual([]);

    // The process is still healthy.
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();

    // Let the accepted chat turns finish, then compare the tables.
    const ownConversation = async () =>
      prisma.conversation.findFirst({ where: { externalId: own.conversationId } });
    const deadline = Date.now() + 180_000;
    for (;;) {
      const c = await ownConversation();
      const stored = c
        ? await prisma.message.count({ where: { conversationId: c.id, direction: 'user' } })
        : 0;
      if (stored >= legitMessages || Date.now() > deadline) break;
      await new Promise((ok) => setTimeout(ok, 1_000));
    }
    const after = await countRows();
    const mine = await ownConversation();
    const userMessages = mine
      ? await prisma.message.count({ where: { conversationId: mine.id, direction: 'user' } })
      : 0;
    // Only the fuzzer's own conversation and the one its foreign token was issued for (opened by
    // POST /conversations, which that token may do) can have appeared, with their customers; user
    // messages exist only for the legitimate ones; no other table changed.
    const fresh = await prisma.conversation.findMany({
      where: { createdAt: { gte: startedAt } },
      select: { externalId: true },
    });
    expect(
      fresh.map((c) => c.externalId).filter((id) => id !== own.conversationId && id !== other.conversationId),
    ).toEqual([]);
    expect(after.customer - before.customer).toBeLessThanOrEqual(fresh.length);
    expect(userMessages).toBe(legitMessages);
    const elsewhere = await prisma.message.count({
      // since the run started: the demo data seeds respondents' conversations of its own (dated in the past)
      where: {
        direction: 'user',
        createdAt: { gte: startedAt },
        conversation: { externalId: { not: own.conversationId } },
      },
    });
    expect(elsewhere).toBe(0);
    expect(after.product).toBe(before.product);
    expect(after.apiKey).toBe(before.apiKey);
    // survey answers only from the legitimate messages (random text may start and answer a survey)
    const foreignAnswers = await prisma.answer.count({
      where: { session: { customerId: { not: mine?.customerId ?? '' } } },
    });
    expect(foreignAnswers).toBe(before.answer);
  }, 600_000);
});
