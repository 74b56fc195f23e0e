import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The bots module's Privacy adapter is the real export/erasure implementation; deep import until
// bots/index.ts exports it.
import { PrismaPrivacy } from '../../prisma/repositories/conversation-store.js';
import {
  createInProcessQueue,
  jobDefinitions,
  UnrecoverableJobError,
  type JobQueue,
  type ProductJobs,
} from '../../jobs/index.js';
import type { Role } from '../../prisma/index.js';
import { KbService, seedDemoHelpCentre } from '../../kb/index.js';
import { createUseLiteEncoder, type SentenceEncoder } from '../../nlu/index.js';
import { createPrismaKbStore } from '../../prisma/repositories/index.js';
import { adminApiPlugin, ADMIN_PREFIX } from '../../server/admin/index.js';
import {
  can,
  createApiKeyStore,
  createFieldCipher,
  createLookupHasher,
  createPrismaAuditWriter,
  deriveLookupKey,
  PERMISSIONS,
  ROLES,
  type Permission,
} from '../../server/security/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { MARKETER_CASES } from './admin-api-marketer-cases.js';
import { createReviewService } from '../../server/review/index.js';
import pino from 'pino';
import { createHandoffSlack, HandoffDesk, TranscriptHub, webchatStreams } from '../../bots/index.js';
import { PrismaHandoffRepository } from '../../prisma/repositories/index.js';
import { createInProcessRelayBus } from '../../server/handoff/relay-bus.js';
import { personalDataView } from '../../server/handoff/personal-data.js';
import { startFakeSlackApi, type FakeSlackApi } from '../bots/fake-slack-api.js';

// Table-driven access test: every admin endpoint × every role (and no key, and a revoked key),
// against a real database, PGlite and PostgreSQL. Each call must be answered as the role table
// says, change nothing when refused, and leave one audit entry.

interface Ctx {
  db: TestDatabase;
  desk: HandoffDesk;
  slack: FakeSlackApi;
  kb: KbService;
  app: FastifyInstance;
  keys: Record<Role, string>;
  jobs: JobQueue<ProductJobs>;
  seq: number;
}

interface Case {
  route: string;
  permission: Permission;
  ok: number;
  /** builds the request; may create the records the call needs */
  prepare(ctx: Ctx): Promise<{ url: string; body?: unknown }>;
}

const cipher = createFieldCipher({ current: { id: 'k1', key: Buffer.alloc(32, 9) } });
const lookup = createLookupHasher(deriveLookupKey(Buffer.alloc(32, 9)));

async function newCustomer(ctx: Ctx, email = `c${++ctx.seq}@example.com`): Promise<string> {
  const customer = await ctx.db.prisma.customer.create({
    data: {
      email: cipher.encrypt(email),
      emailHash: lookup.email(email),
      name: cipher.encrypt('Ana Example'),
    },
  });
  return customer.id;
}

// A queued review item (the learning loop) in a conversation of its own.
async function reviewItem(ctx: Ctx): Promise<string> {
  const prisma = ctx.db.prisma;
  const conversation = await prisma.conversation.create({
    data: { channel: 'webchat', externalId: `review-${++ctx.seq}` },
  });
  await createReviewService({ prisma }).queue.enqueue({
    domain: 'customer',
    reason: 'fallback',
    channel: 'webchat',
    conversationId: conversation.id,
    text: `xylophone ${ctx.seq}`,
    answered: 'Sorry, I did not get that.',
    intent: 'joke',
    confidence: 0.26,
    suggestions: [{ intent: 'joke', confidence: 0.26 }],
  });
  const item = await prisma.reviewItem.findFirstOrThrow({ where: { conversationId: conversation.id } });
  return item.id;
}

// An open live handoff, announced in the (stand-in) Slack channel, for the /handoffs routes.
async function openHandoff(ctx: Ctx): Promise<string> {
  const prisma = ctx.db.prisma;
  const conversation = await prisma.conversation.create({
    data: { channel: 'webchat', externalId: `handoff-${++ctx.seq}`, customerId: await newCustomer(ctx) },
  });
  const handoff = await prisma.handoff.create({ data: { conversationId: conversation.id, reason: 'asked' } });
  await ctx.desk.opened(handoff.id);
  return handoff.id;
}

async function failedJob(ctx: Ctx): Promise<string> {
  const { id } = await ctx.jobs.enqueue('slack.notify', { channel: 'C1', text: `job ${++ctx.seq}` });
  for (let i = 0; i < 200 && !(await ctx.jobs.failed()).some((job) => job.id === id); i++)
    await new Promise((r) => setTimeout(r, 5));
  return id;
}

const CASES: Case[] = [
  {
    route: 'GET /handoffs',
    permission: 'handoffs.read',
    ok: 200,
    prepare: async (ctx) => {
      await openHandoff(ctx);
      return { url: '/handoffs' };
    },
  },
  {
    route: 'POST /handoffs/:id/reply',
    permission: 'handoffs.answer',
    ok: 202,
    prepare: async (ctx) => ({
      url: `/handoffs/${await openHandoff(ctx)}/reply`,
      body: { author: 'Chatwoot agent', text: 'Hello from the other inbox' },
    }),
  },
  {
    route: 'POST /handoffs/:id/close',
    permission: 'handoffs.answer',
    ok: 200,
    prepare: async (ctx) => ({ url: `/handoffs/${await openHandoff(ctx)}/close`, body: {} }),
  },
  {
    route: 'GET /kb/documents',
    permission: 'kb.read',
    ok: 200,
    prepare: async () => ({ url: '/kb/documents' }),
  },
  {
    route: 'PUT /kb/sources/:name',
    permission: 'kb.write',
    ok: 200,
    prepare: async (ctx) => ({
      url: `/kb/sources/extra-${++ctx.seq}`,
      body: { pages: [{ id: 'gift', title: 'Gift cards', body: 'Gift cards are valid for two years.' }] },
    }),
  },
  {
    route: 'DELETE /kb/documents/:id',
    permission: 'kb.write',
    ok: 204,
    prepare: async (ctx) => {
      const origin = `api:gone-${++ctx.seq}`;
      await ctx.kb.sync(origin, [
        { id: `${origin}/p`, kind: 'markdown', title: 'Press', source: 'Press', body: 'Press contact.' },
      ]);
      return { url: `/kb/documents/${encodeURIComponent(`${origin}/p`)}` };
    },
  },
  {
    route: 'POST /kb/ask',
    permission: 'kb.read',
    ok: 200,
    prepare: async () => ({ url: '/kb/ask', body: { question: 'how long does delivery take?' } }),
  },
  {
    route: 'GET /kb/unanswered',
    permission: 'kb.read',
    ok: 200,
    prepare: async () => ({ url: '/kb/unanswered?days=7' }),
  },
  {
    route: 'GET /api-keys',
    permission: 'apikeys.manage',
    ok: 200,
    prepare: async () => ({ url: '/api-keys' }),
  },
  {
    route: 'POST /api-keys',
    permission: 'apikeys.manage',
    ok: 201,
    prepare: async () => ({ url: '/api-keys', body: { name: 'ci', role: 'viewer' } }),
  },
  {
    route: 'DELETE /api-keys/:id',
    permission: 'apikeys.manage',
    ok: 204,
    prepare: async (ctx) => {
      const { summary } = await createApiKeyStore(ctx.db.prisma).create('throwaway', 'viewer');
      return { url: `/api-keys/${summary.id}` };
    },
  },
  {
    route: 'GET /products',
    permission: 'catalog.read',
    ok: 200,
    prepare: async () => ({ url: '/products?limit=5' }),
  },
  {
    route: 'GET /products/:sku',
    permission: 'catalog.read',
    ok: 200,
    prepare: async () => ({ url: '/products/SKU-1' }),
  },
  {
    route: 'PUT /products/:sku',
    permission: 'catalog.write',
    ok: 200,
    prepare: async (ctx) => ({
      url: `/products/NEW-${++ctx.seq}`,
      body: { name: 'Trail shoe', category: 'shoes', price: 89.5 },
    }),
  },
  {
    route: 'GET /segments',
    permission: 'segments.read',
    ok: 200,
    prepare: async () => ({ url: '/segments' }),
  },
  {
    route: 'GET /customers',
    permission: 'customers.read',
    ok: 200,
    prepare: async (ctx) => {
      const email = `lookup${++ctx.seq}@example.com`;
      await newCustomer(ctx, email);
      return { url: `/customers?email=${encodeURIComponent(email.toUpperCase())}` };
    },
  },
  {
    route: 'GET /customers/:id/export',
    permission: 'customers.export',
    ok: 200,
    prepare: async (ctx) => ({ url: `/customers/${await newCustomer(ctx)}/export` }),
  },
  {
    route: 'DELETE /customers/:id',
    permission: 'customers.delete',
    ok: 204,
    prepare: async (ctx) => ({ url: `/customers/${await newCustomer(ctx)}` }),
  },
  {
    route: 'GET /audit-log',
    permission: 'audit.read',
    ok: 200,
    prepare: async () => ({ url: '/audit-log?limit=5' }),
  },
  {
    route: 'GET /jobs/failed',
    permission: 'jobs.read',
    ok: 200,
    prepare: async () => ({ url: '/jobs/failed' }),
  },
  {
    route: 'POST /jobs/retry',
    permission: 'jobs.manage',
    ok: 204,
    prepare: async (ctx) => ({ url: '/jobs/retry', body: { id: await failedJob(ctx) } }),
  },
  {
    route: 'POST /jobs/discard',
    permission: 'jobs.manage',
    ok: 204,
    prepare: async (ctx) => ({ url: '/jobs/discard', body: { id: await failedJob(ctx) } }),
  },
  {
    route: 'POST /reports',
    permission: 'reports.render',
    ok: 202,
    prepare: async (ctx) => {
      await ctx.db.prisma.instrument.upsert({
        where: { id: 'nps-report' },
        create: { id: 'nps-report', title: 'NPS', definition: {} },
        update: {},
      });
      return { url: '/reports', body: { report: 'survey', instrument: 'nps-report', format: 'csv' } };
    },
  },
  ...MARKETER_CASES,
  {
    route: 'GET /review',
    permission: 'review.manage',
    ok: 200,
    prepare: async () => ({ url: '/review?domain=customer&limit=5' }),
  },
  {
    route: 'POST /review/:id/label',
    permission: 'review.manage',
    ok: 200,
    prepare: async (ctx) => ({ url: `/review/${await reviewItem(ctx)}/label`, body: { intent: 'help' } }),
  },
  {
    route: 'POST /review/:id/answer',
    permission: 'review.manage',
    ok: 200,
    prepare: async (ctx) => ({
      url: `/review/${await reviewItem(ctx)}/answer`,
      body: { text: 'Our xylophones are in the music section.' },
    }),
  },
  {
    route: 'GET /review/:id/kb-entries',
    permission: 'review.manage',
    ok: 200,
    prepare: async (ctx) => ({ url: `/review/${await reviewItem(ctx)}/kb-entries` }),
  },
  {
    route: 'POST /review/:id/answer-with',
    permission: 'review.manage',
    ok: 200,
    prepare: async (ctx) => {
      const origin = `api:music-${++ctx.seq}`;
      const documentId = `${origin}/instruments`;
      await ctx.kb.sync(origin, [
        { id: documentId, kind: 'markdown', title: 'Instruments', source: origin, body: 'Xylophones.' },
      ]);
      return { url: `/review/${await reviewItem(ctx)}/answer-with`, body: { documentId } };
    },
  },
  {
    route: 'POST /review/:id/ignore',
    permission: 'review.manage',
    ok: 200,
    prepare: async (ctx) => ({ url: `/review/${await reviewItem(ctx)}/ignore` }),
  },
];

async function snapshot(ctx: Ctx) {
  const p = ctx.db.prisma;
  return {
    keys: await p.apiKey.count({ where: { revokedAt: null } }),
    products: await p.product.count(),
    customers: await p.customer.count(),
    failed: (await ctx.jobs.failed()).length,
    segments: await p.segment.findMany({ select: { name: true, description: true } }),
    roles: await p.slackMember.findMany({ select: { userId: true, role: true } }),
    kbDocuments: await p.kbDocument.count(),
  };
}

let encoder: SentenceEncoder;
beforeAll(async () => {
  encoder = await createUseLiteEncoder();
});
afterAll(() => encoder?.dispose());

describe.each(['pglite', 'postgres'] as const)('admin API on %s', (kind) => {
  const ctx = { seq: 0 } as Ctx;
  const routes: string[] = [];

  beforeAll(async () => {
    ctx.db = await createTestDatabase(kind);
    const prisma = ctx.db.prisma;
    const apiKeys = createApiKeyStore(prisma);
    ctx.keys = {} as Record<Role, string>;
    for (const role of ROLES) ctx.keys[role] = (await apiKeys.create(`${role} key`, role)).key;
    await prisma.product.create({
      data: { sku: 'SKU-1', name: 'Rain jacket', category: 'jackets', price: '120.00', tags: ['rain'] },
    });
    const segment = await prisma.segment.create({ data: { name: 'loyal', kind: 'rules', definition: {} } });
    await prisma.segmentMember.create({
      data: { segmentId: segment.id, customerId: await newCustomer(ctx) },
    });
    const kbStore = createPrismaKbStore(prisma);
    await seedDemoHelpCentre(kbStore);
    ctx.kb = new KbService(kbStore, encoder);
    ctx.slack = await startFakeSlackApi();
    const text = { encrypt: (t: string) => cipher.encrypt(t), decrypt: (t: string) => cipher.decrypt(t) };
    ctx.desk = new HandoffDesk({
      repo: new PrismaHandoffRepository(prisma, text, text),
      slack: createHandoffSlack({ botToken: 'xoxb-admin', apiUrl: ctx.slack.url }),
      bus: createInProcessRelayBus(),
      streams: webchatStreams(new TranscriptHub()),
      slackChannel: 'CADMINHANDOFF',
      maskPII: (t) => t,
      personalData: personalDataView,
      notice: (name) => ({ text: name }),
      logger: pino({ level: 'silent' }),
    });
    ctx.jobs = createInProcessQueue({ definitions: jobDefinitions });
    await ctx.jobs.process({
      'slack.notify': async () => {
        throw new UnrecoverableJobError('Slack is not configured in this test');
      },
    });
    ctx.app = Fastify();
    ctx.app.addHook('onRoute', (route) => {
      if (route.url.startsWith(ADMIN_PREFIX) && route.method !== 'HEAD')
        routes.push(`${String(route.method)} ${route.url.slice(ADMIN_PREFIX.length)}`);
    });
    await ctx.app.register(adminApiPlugin, {
      prisma,
      apiKeys,
      audit: createPrismaAuditWriter(prisma),
      lookup,
      cipher,
      privacy: new PrismaPrivacy({ prisma, cipher }),
      jobs: ctx.jobs,
      handoffs: {
        list: (limit) => new PrismaHandoffRepository(prisma, text, text).listViews(limit),
        reply: (id, message) => ctx.desk.replyAs(id, message),
        close: async (id, by) => ((await ctx.desk.close(id, by)) ? 'closed' : 'already_closed'),
      },
      // The served knowledge base: answers go to it, and its ranking offers entries to answer with.
      review: createReviewService({ prisma, kb: ctx.kb }).service,
      kb: ctx.kb,
    });
    await ctx.app.ready();
  });

  afterAll(async () => {
    ctx.desk?.stop();
    await ctx.slack?.close();
    await ctx.app?.close();
    await ctx.jobs?.close({ timeoutMs: 1_000 });
    await ctx.db?.close();
  });

  const call = async (method: string, url: string, key?: string, body?: unknown) =>
    ctx.app.inject({
      method: method as 'GET',
      url: `${ADMIN_PREFIX}${url}`,
      headers: key ? { authorization: `Bearer ${key}` } : {},
      ...(body === undefined ? {} : { payload: body as object }),
    });

  it('has a case for every admin route, each with the permission the route declares', () => {
    expect([...routes].sort()).toEqual(CASES.map((c) => c.route).sort());
    expect(new Set(CASES.map((c) => c.permission))).toEqual(new Set(Object.keys(PERMISSIONS)));
  });

  it.each(CASES)('$route: each role gets exactly what the role table allows', async (testCase) => {
    const [method] = testCase.route.split(' ') as [string];
    for (const role of ROLES) {
      const request = await testCase.prepare(ctx);
      const before = await snapshot(ctx);
      const auditBefore = await ctx.db.prisma.auditLog.count();
      const response = await call(method, request.url, ctx.keys[role], request.body);
      const allowed = can(role, testCase.permission);
      expect({ role, status: response.statusCode }).toEqual({ role, status: allowed ? testCase.ok : 403 });
      if (!allowed) {
        expect(await snapshot(ctx)).toEqual(before);
        expect(response.json()).toMatchObject({ code: 'FORBIDDEN' });
      }
      const entries = await ctx.db.prisma.auditLog.findMany({ orderBy: { createdAt: 'desc' }, take: 1 });
      expect(await ctx.db.prisma.auditLog.count()).toBe(auditBefore + 1);
      expect(entries[0]).toMatchObject({
        actor: expect.stringMatching(/^apikey:mkt_/),
        action: allowed ? expect.not.stringMatching(/denied/) : 'access.denied',
      });
    }
    // no key, a malformed key and a revoked key: 401, audited as anonymous, nothing parsed
    const request = await testCase.prepare(ctx);
    for (const key of [undefined, 'not-a-key']) {
      const response = await call(method, request.url, key, request.body);
      expect(response.statusCode).toBe(401);
    }
    const store = createApiKeyStore(ctx.db.prisma);
    const revoked = await store.create('revoked', 'admin');
    await store.revoke(revoked.summary.id);
    expect((await call(method, request.url, revoked.key, request.body)).statusCode).toBe(401);
    const last = await ctx.db.prisma.auditLog.findFirst({ orderBy: { createdAt: 'desc' } });
    expect(last).toMatchObject({ actor: 'anonymous', action: 'auth.failed' });
  });

  it('knowledge base: a source is replaced as a set, answers name their source, bad input is a 400', async () => {
    const put = (pages: unknown) => call('PUT', '/kb/sources/returns-extra', ctx.keys.marketer, { pages });
    const page = (id: string, title: string, body: string) => ({
      id,
      title,
      body,
      url: `https://shop.example/${id}`,
    });
    let response = await put([
      page(
        'loyalty',
        'Loyalty club',
        'Members of the Northwind loyalty club earn one point per dollar spent.',
      ),
      page('press', 'Press', 'Journalists can reach our press office at press@northwind.example.'),
    ]);
    expect(response.json()).toMatchObject({ origin: 'api:returns-extra', added: 2, removed: 0 });
    response = await put([page('loyalty', 'Loyalty club', 'Members earn two points per dollar spent.')]);
    expect(response.json()).toMatchObject({ added: 0, updated: 1, removed: 1 });
    const ids = (await call('GET', '/kb/documents', ctx.keys.viewer)).json().map((d: { id: string }) => d.id);
    expect(ids).toContain('api:returns-extra/loyalty');
    expect(ids).not.toContain('api:returns-extra/press');
    const ask = await call('POST', '/kb/ask', ctx.keys.viewer, { question: 'how long does delivery take?' });
    expect(ask.json()).toMatchObject({
      answered: true,
      title: 'Shipping and delivery',
      source: 'https://northwind.example/help/shipping',
    });
    expect((await put([{ id: '../etc', title: 'x', body: 'y' }])).statusCode).toBe(400);
    expect((await put([page('a', 'A', 'x'), page('a', 'A', 'y')])).json()).toMatchObject({
      code: 'KB_IMPORT_FILE',
    });
    expect((await call('DELETE', '/kb/documents/nope', ctx.keys.admin)).statusCode).toBe(404);
    expect((await call('GET', '/kb/unanswered?days=400', ctx.keys.viewer)).statusCode).toBe(400);
  });

  it('upserts a product, bumps the catalog version and queues one reindex per version', async () => {
    const body = {
      name: 'Wool hat',
      category: 'hats',
      price: '19.99',
      tags: ['wool'],
      attributes: { color: 'grey' },
    };
    const first = await call('PUT', '/products/HAT-1', ctx.keys.marketer, body);
    expect(first.statusCode).toBe(200);
    const v = first.json().catalogVersion as number;
    expect(first.json()).toMatchObject({
      product: { sku: 'HAT-1', price: '19.99', currency: 'USD' },
      reindexJob: `catalog.reindex/catalog-v${v}`,
    });
    const second = await call('PUT', '/products/HAT-1', ctx.keys.admin, { ...body, price: 21 });
    expect(second.json()).toMatchObject({ product: { price: '21.00' }, catalogVersion: v + 1 });
    expect(await ctx.db.prisma.product.count({ where: { sku: 'HAT-1' } })).toBe(1);
    const audit = await call('GET', '/audit-log?action=catalog.upsert&target=product:HAT-1', ctx.keys.admin);
    expect(audit.json().map((e: { actor: string }) => e.actor)).toHaveLength(2);
  });

  it('refuses invalid and over-posted bodies with 400 and stores nothing', async () => {
    const before = await ctx.db.prisma.product.count();
    for (const body of [
      { name: 'x', category: 'c', price: -1 },
      { name: 'x', category: 'c', price: 1, id: '00000000-0000-0000-0000-000000000000' },
      { name: 'x', category: 'c', price: '1e9' },
      { name: 'x', category: 'c', price: 1, imageUrl: 'javascript:alert(1)' },
    ]) {
      const response = await call('PUT', '/products/BAD-1', ctx.keys.admin, body);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'BAD_REQUEST' });
    }
    expect(
      (await call('PUT', "/products/x';drop table", ctx.keys.admin, { name: 'x', category: 'c', price: 1 }))
        .statusCode,
    ).toBe(400);
    expect((await call('GET', '/customers/not-a-uuid/export', ctx.keys.admin)).statusCode).toBe(400);
    // authentication comes before parsing: a broken body without a key is a 401, not a 400
    const unauthenticated = await ctx.app.inject({
      method: 'POST',
      url: `${ADMIN_PREFIX}/api-keys`,
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(unauthenticated.statusCode).toBe(401);
    const malformed = await ctx.app.inject({
      method: 'POST',
      url: `${ADMIN_PREFIX}/api-keys`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ctx.keys.admin}` },
      payload: '{"name":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(await ctx.db.prisma.product.count()).toBe(before);
  });

  it('exports decrypted personal data, erases a customer with everything attached, and finds by e-mail hash', async () => {
    const id = await newCustomer(ctx, 'Zoe@Example.com');
    const conversation = await ctx.db.prisma.conversation.create({
      data: { channel: 'webchat', externalId: `conv-${id}`, customerId: id },
    });
    await ctx.db.prisma.message.create({
      data: {
        conversationId: conversation.id,
        direction: 'user',
        text: cipher.encrypt('my phone is 555 0100'),
      },
    });
    const found = await call('GET', '/customers?email=zoe%40example.com', ctx.keys.admin);
    expect(found.json()).toMatchObject({ id });
    const exported = await call('GET', `/customers/${id}/export`, ctx.keys.admin);
    expect(exported.json()).toMatchObject({
      customerId: id,
      email: 'Zoe@Example.com',
      name: 'Ana Example',
      messages: [{ text: 'my phone is 555 0100' }],
    });
    const stored = await ctx.db.prisma.customer.findUniqueOrThrow({ where: { id } });
    expect(stored.email).not.toContain('Zoe');
    expect((await call('DELETE', `/customers/${id}`, ctx.keys.admin)).statusCode).toBe(204);
    expect(await ctx.db.prisma.conversation.count({ where: { id: conversation.id } })).toBe(0);
    expect((await call('DELETE', `/customers/${id}`, ctx.keys.admin)).statusCode).toBe(404);
    const trail = await call('GET', `/audit-log?target=customer:${id}`, ctx.keys.admin);
    expect(
      trail
        .json()
        .map((e: { action: string }) => e.action)
        .sort(),
    ).toEqual(['customer.delete', 'customer.delete', 'customer.export', 'customer.lookup']);
  });

  it('a reply from another inbox reaches the customer once per idempotency key and shows in the Slack thread', async () => {
    const id = await openHandoff(ctx);
    const body = { author: 'Chatwoot agent', text: 'Your refund is on its way', idempotencyKey: 'cw-msg-1' };
    const first = await call('POST', `/handoffs/${id}/reply`, ctx.keys.marketer, body);
    const again = await call('POST', `/handoffs/${id}/reply`, ctx.keys.marketer, body);
    expect([first.json(), again.json()]).toEqual([{ outcome: 'delivered' }, { outcome: 'duplicate' }]);
    const stored = await ctx.db.prisma.handoffMessage.findMany({
      where: { handoffId: id, direction: 'agent' },
    });
    expect(stored.map((m) => m.author)).toEqual(['Chatwoot agent']);
    expect(
      ctx.slack
        .byMethod('chat.postMessage')
        .filter((c) => String(c.args.text) === 'Chatwoot agent (another inbox): Your refund is on its way'),
    ).toHaveLength(1);
    const listed = await call('GET', '/handoffs', ctx.keys.marketer);
    expect(listed.json().find((h: { id: string }) => h.id === id)).toMatchObject({
      status: 'claimed',
      claimedBy: 'api:Chatwoot agent',
      customer: 'Ana Example',
    });
    expect((await call('POST', `/handoffs/${id}/close`, ctx.keys.marketer, {})).statusCode).toBe(200);
    expect((await call('POST', `/handoffs/${id}/close`, ctx.keys.marketer, {})).statusCode).toBe(409);
    expect((await call('POST', `/handoffs/${id}/reply`, ctx.keys.marketer, body)).statusCode).toBe(409);
  });

  it('serves an OpenAPI document listing every route at /docs', async () => {
    const doc = await ctx.app.inject('/docs/json');
    expect(doc.statusCode).toBe(200);
    const paths = Object.keys(doc.json().paths as object);
    for (const route of new Set(CASES.map((c) => c.route.split(' ')[1]!.replace(/:(\w+)/g, '{$1}'))))
      expect(paths).toContain(`${ADMIN_PREFIX}${route}`);
    expect(doc.json().components.securitySchemes).toHaveProperty('apiKey');
    expect((await ctx.app.inject('/docs')).statusCode).toBeLessThan(400);
  });
});
