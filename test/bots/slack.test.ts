// Slack over real signed HTTP requests to /slack/events, with Bolt talking to a local fake Web API
// that records chat.postMessage, views.publish and file uploads. Data ports: the real Prisma
// adapters on PGlite with seeded demo respondents (marketer insights, conversation store, roles);
// the segment list and the catalog are small fixed implementations of the bots' ports.
import { Resvg } from '@resvg/resvg-js';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaConversationStore, PrismaSlackMembers } from '../../prisma/repositories/conversation-store.js';
import { PrismaEventLog } from '../../prisma/repositories/event-log.js';
import type { Catalog, MarketerAnalytics, Nlu, ProductCard } from '../../bots/ports.js';
import { slackPlugin } from '../../bots/channels/slack/plugin.js';
import { renderChartPng } from '../../bots/analytics/chart.js';
import { MarketerDialog } from '../../bots/marketer/dialog.js';
import {
  createPrismaKbStore,
  PrismaMarketerInsights,
  PrismaMemberRoles,
  recordSize,
} from '../../prisma/repositories/index.js';
import { KbService } from '../../kb/index.js';
import { createUseLiteEncoder, maskPII, type SentenceEncoder } from '../../nlu/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import {
  expectSegmentCsv,
  plantComment,
  seedDemoProfiles,
  storedComments,
} from '../support/demo-profiles.js';
import { startFakeSlackApi, uploadedFile, type FakeSlackApi } from './fake-slack-api.js';
import { SlackSender, until, type SendOptions } from './slack-signing.js';

const SECRET = 'slack-signing-secret-for-tests';
const products: ProductCard[] = [
  { sku: 'TENT-1', name: 'Dome Tent', price: 180, currency: 'USD' },
  {
    sku: 'STOVE-1',
    name: 'Camp Stove',
    price: 45,
    currency: 'USD',
    reason: 'bought with Dome Tent in 31% of baskets (lift 4.2)',
  },
];

const analytics: MarketerAnalytics = {
  listSegments: async () => [
    { id: 's1', name: 'Bargain hunters', description: 'price conscious', size: 412, kind: 'kmeans' },
    { id: 's2', name: 'Outdoor enthusiasts', description: '', size: 230, kind: 'rules' },
  ],
  segment: async (name) =>
    name.toLowerCase().startsWith('bargain')
      ? {
          id: 's1',
          name: 'Bargain hunters',
          description: 'price conscious',
          size: 412,
          kind: 'kmeans',
          overIndexed: [{ feature: 'price_consciousness', ratio: 1.8 }],
        }
      : null,
  nps: async () => ({ nps: 32, promoters: 50, passives: 30, detractors: 20, n: 100 }),
  csat: async () => ({ satisfiedShare: 0.81, mean: 4.1, n: 64 }),
  surveyResults: async () => null,
  chart: async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200"><rect width="320" height="200" fill="#fff"/><rect x="20" y="60" width="60" height="120" fill="#0f6e56"/></svg>';
    return { title: 'NPS over time', png: new Resvg(svg).render().asPng() };
  },
  keyFigures: async () => [
    { label: 'NPS (30 days)', value: '32' },
    { label: 'Customers', value: '1,204' },
  ],
  findCustomer: async (ref) => (ref === '42' ? 'customer-42' : null),
};

const catalog: Catalog = {
  search: async () => products.slice(0, 1),
  find: async () => ({ status: 'matched', products: products.slice(0, 1), notes: [] }),
  recognise: () => [],
  get: async (sku) => products.find((p) => p.sku === sku) ?? null,
  similar: async () => [],
  boughtTogether: async () => products.slice(1),
  forCustomer: async () => products,
  recordInteraction: async () => undefined,
};

// The marketer model's guess is left out (confidence 0): the words of each request decide.
const nlu: Nlu = {
  analyze: async () => ({
    intent: 'help',
    confidence: 0,
    ranking: [],
    outOfScope: true,
    sentiment: 0,
    sentimentLabel: 'neutral',
    entities: [],
    language: 'eng',
  }),
  maskPII: (t) => t,
};
const plain = { encrypt: (s: string) => s, decrypt: (s: string) => s };

let db: TestDatabase;
let fake: FakeSlackApi;
let app: FastifyInstance;
let base: string;
let store: PrismaConversationStore;
let encoder: SentenceEncoder;
let kb: KbService;

beforeAll(async () => {
  db = await createTestDatabase('pglite');
  fake = await startFakeSlackApi();
  await db.prisma.slackMember.create({ data: { teamId: 'T1', userId: 'UVIEW', role: 'viewer' } });
  await db.prisma.slackMember.create({ data: { teamId: 'T1', userId: 'UMKT', role: 'marketer' } });
  store = new PrismaConversationStore({ prisma: db.prisma, cipher: plain });
  await seedDemoProfiles(db.prisma, { count: 80 });
  const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  const marketer = new MarketerDialog({
    analytics,
    insights: new PrismaMarketerInsights(db.prisma, {
      decrypt: (s) => s,
      emailHash: (e) => `hash:${e}`,
      maskPII,
    }),
    catalog,
    handoffs: store,
    maskPII: (t) => t,
    renderChart: renderChartPng,
    nlu,
    store,
    logger,
  });
  encoder = await createUseLiteEncoder();
  kb = new KbService(createPrismaKbStore(db.prisma), encoder);
  app = Fastify();
  await app.register(slackPlugin, {
    botToken: 'xoxb-test',
    signingSecret: SECRET,
    apiUrl: fake.url,
    allowedTeams: ['T1'],
    members: new PrismaSlackMembers(db.prisma, ['T1:UADMIN']),
    events: new PrismaEventLog(db.prisma),
    analytics,
    handoffs: store,
    marketer,
    roles: new PrismaMemberRoles(db.prisma),
    kb,
    nlu,
    logger,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}, 600_000); // seeding and the encoder take minutes on a loaded machine

afterAll(async () => {
  await app?.close();
  await fake?.close();
  await db?.close();
  await encoder?.dispose();
});

const slack = new SlackSender(SECRET);

/** `/mkt text` from `user` in #CMKT of workspace `team`. */
const slash = (text: string, user = 'UADMIN', team = 'T1', options?: SendOptions) =>
  new SlackSender(SECRET, team).command(base, user, 'CMKT', text, `${base}/nowhere`, options);

/** A signed JSON body as it is. */
const event = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  slack.json(base, payload, { headers });

const posts = () => fake.byMethod('chat.postMessage');
const segmentSize = (name: string) => db.prisma.segmentMember.count({ where: { segment: { name } } });

describe('Slack events endpoint', () => {
  it('answers the URL verification challenge', async () => {
    const res = await event({ type: 'url_verification', challenge: 'abc123', token: 'x' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'abc123' });
  });

  it('/mkt segments posts a Block Kit list with buttons', async () => {
    const before = posts().length;
    const res = await slash('segments');
    expect(res.status).toBe(200);
    const call = await until(() => posts()[before]);
    expect(call.args.channel).toBe('CMKT');
    const blocks = JSON.stringify(call.args.blocks);
    expect(blocks).toContain('Bargain hunters');
    expect(blocks).toContain('412 customers');
    expect(blocks).toContain('"type":"button"');
  });

  it('/mkt nps and csat answer with figures for the period, naming the period and the data', async () => {
    const before = posts().length;
    await slash('nps over the last 90 days');
    const call = await until(() => posts()[before]);
    // The same figure from the stored answers, counted here.
    const since = new Date(
      Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 1) -
        90 * 86_400_000,
    );
    const values = (
      await db.prisma.answer.findMany({
        where: { itemId: 'recommend', createdAt: { gte: since }, value: { not: null } },
      })
    ).map((a) => a.value!);
    const nps = Math.round(
      (100 * (values.filter((v) => v >= 9).length - values.filter((v) => v <= 6).length)) / values.length,
    );
    expect(values.length).toBeGreaterThan(5);
    expect(call.args.text).toBe(
      `NPS for last 90 days (all customers): *${nps > 0 ? '+' : ''}${nps}*, from ${values.length} answers to the NPS survey.`,
    );
    await slash('csat q3');
    const csat = await until(() => posts()[before + 1]);
    expect(String(csat.args.text)).toMatch(
      /^(CSAT for Q3 \d{4} \(all customers\): \*\d+\.\d%\* satisfied|No CSAT answers for Q3 \d{4})/,
    );
  });

  it("stores marketer messages like customer messages, apart from the customers' conversations", async () => {
    const stored = await db.prisma.message.findMany({
      where: { conversation: { externalId: { startsWith: 'mkt:T1:' } }, direction: 'user' },
    });
    expect(stored.map((m) => m.text)).toEqual(
      expect.arrayContaining(['nps over the last 90 days', 'csat q3']),
    );
  });

  it('/mkt roles: admins add, list and remove roles (audited); others may not', async () => {
    const before = posts().length;
    await slash('roles add <@UNEW|new> viewer');
    expect(String((await until(() => posts()[before])).args.text)).toBe('<@UNEW> is now viewer.');
    expect((await db.prisma.slackMember.findFirst({ where: { userId: 'UNEW' } }))?.role).toBe('viewer');
    await slash('roles list');
    expect(String((await until(() => posts()[before + 1])).args.text)).toContain('<@UNEW>: viewer');
    await slash('roles remove <@UNEW>');
    await until(() => posts()[before + 2]);
    expect(await db.prisma.slackMember.count({ where: { userId: 'UNEW' } })).toBe(0);
    expect(
      await db.prisma.auditLog.count({
        where: { action: { in: ['role.set', 'role.remove'] }, actor: 'slack:T1:UADMIN' },
      }),
    ).toBe(2);
    await slash('roles add <@UX> admin', 'UMKT');
    expect(String((await until(() => posts()[before + 3])).args.text)).toMatch(/only admins/);
  });

  it('/mkt kb unanswered lists the questions the help centre could not answer, most asked first', async () => {
    const before = posts().length;
    await slash('kb unanswered', 'UVIEW');
    expect(String((await until(() => posts()[before])).args.text)).toMatch(
      /was answered from the help centre/,
    );
    const refused = { answered: false, confidence: 0.2 };
    await kb.record('do you have a loyalty card? ann@example.com', refused, 'webchat');
    await kb.record('do you have a loyalty card? ann@example.com', refused, 'webchat');
    await kb.record('is there a student discount?', refused, 'webchat');
    await kb.record(
      'how long does delivery take?',
      { answered: true, confidence: 4, docId: 'shipping' },
      'webchat',
    );
    await slash('kb unanswered', 'UMKT');
    const text = String((await until(() => posts()[before + 1])).args.text);
    expect(text).toMatch(/could not answer this week/);
    const lines = text.split('\n').filter((l) => l.startsWith('•'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^• “do you have a loyalty card\? \[EMAIL\]” — 2×/);
    expect(lines[1]).toMatch(/student discount/);
    expect(text).not.toMatch(/delivery|ann@example/);
    await slash('kb unanswered 400');
    expect(String((await until(() => posts()[before + 2])).args.text)).toMatch(
      /^Usage: `\/mkt kb unanswered`/,
    );
  });

  it('answers "no data" instead of an empty chart', async () => {
    const before = posts().length;
    await slash('chart nps for 2019');
    const call = await until(() => posts()[before], 30_000);
    expect(String(call.args.text)).toMatch(/^No data for 2019/);
  });

  it('builds a segment from plain language, confirms the parsed rule and size, saves on the button', async () => {
    const before = posts().length;
    await slash(
      'create a segment called bargain lovers with everyone whose price consciousness is above 3.5',
      'UMKT',
    );
    const confirm = await until(() => posts()[before]);
    const size = (await db.prisma.profile.findMany()).filter(
      (p) => ((p.traits as Record<string, number>).price ?? 0) > 3.5,
    ).length;
    expect(String(confirm.args.text)).toContain(
      `price consciousness > 3.5. It would hold *${size}* customers today`,
    );
    const save = JSON.parse(JSON.stringify(confirm.args.blocks))
      .flatMap((b: { elements?: { action_id: string; value: string }[] }) => b.elements ?? [])
      .find((e: { action_id: string }) => e.action_id === 'mkt_segment_save');
    await slack.click(base, 'UMKT', 'CMKT', 'mkt_segment_save', save.value);
    await until(() => posts().find((c) => String(c.args.text).startsWith('Saved segment *bargain lovers*')));
    const row = await db.prisma.segment.findUnique({
      where: { name: 'bargain lovers' },
      include: { _count: { select: { members: true } } },
    });
    expect(row?._count.members).toBe(size);
  });

  it('exports a segment as CSV with consented members and their comments (masked) to marketers and admins, not viewers', async () => {
    const planted = await plantComment(db.prisma, 'promoters', 'Love it, mail grace@example.com');
    const consented = (
      await db.prisma.segmentMember.findMany({
        where: { segment: { name: 'promoters' }, customer: { marketingOptIn: true } },
        select: { customerId: true },
      })
    ).map((m) => m.customerId);
    const stored = await storedComments(db.prisma, consented);
    const comments = [...stored.values()].reduce((n, list) => n + list.length, 0);
    for (const user of ['UMKT', 'UADMIN']) {
      const before = fake.byMethod('files.completeUploadExternal').length;
      const uploads = fake.byMethod('upload').length;
      await slash('send me the promoters as a spreadsheet', user);
      const done = await until(() => fake.byMethod('files.completeUploadExternal')[before]);
      const rows = expectSegmentCsv(uploadedFile(fake.byMethod('upload')[uploads]!), consented, stored);
      expect(rows.find((r) => r.customer_id === planted)!.comments).toContain('Love it, mail [EMAIL]');
      expect(JSON.stringify(done.args)).not.toContain('grace@');
      expect(JSON.stringify(done.args)).toContain(
        `${consented.length} customers who agreed to marketing (${(await segmentSize('promoters')) - consented.length} without consent left out), with ${comments} survey comments`,
      );
    }
    const before = posts().length;
    const uploads = fake.byMethod('upload').length;
    await slash('send me the promoters as a spreadsheet', 'UVIEW');
    const refused = await until(() => posts()[before]);
    expect(String(refused.args.text)).toContain('aggregate figures only');
    expect(fake.byMethod('upload').length).toBe(uploads);
  });

  it('answers overlaps and growth of segments in plain English, naming the data and the period', async () => {
    const members = async (name: string) =>
      new Set(
        (
          await db.prisma.segmentMember.findMany({
            where: { segment: { name } },
            select: { customerId: true },
          })
        ).map((m) => m.customerId),
      );
    const hunters = await members('bargain hunters');
    const promoters = await members('promoters');
    const shared = [...hunters].filter((id) => promoters.has(id)).length;
    let before = posts().length;
    await slash('how much do bargain hunters and promoters overlap?', 'UVIEW');
    const pair = String((await until(() => posts()[before])).args.text);
    expect(pair).toContain(
      `*bargain hunters* (${hunters.size} customers) and *promoters* (${promoters.size}) share *${shared}* customers`,
    );
    expect(pair).toContain('current memberships, as of the last recomputation');
    before = posts().length;
    await slash('which segments overlap most?', 'UMKT');
    const segments = await db.prisma.segment.count();
    const most = await until(() => posts()[before]);
    expect(String(most.args.text)).toBe(
      `Segments that overlap most, of ${(segments * (segments - 1)) / 2} pairs (current memberships, as of the last recomputation):`,
    );
    expect(JSON.stringify(most.args.blocks)).toContain('Jaccard');

    // The recomputation at seeding recorded today's size; an earlier day is recorded as a
    // recomputation on the 15th of June would have.
    const now = new Date();
    const year = now.getUTCMonth() >= 5 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
    const segment = await db.prisma.segment.findUniqueOrThrow({ where: { name: 'bargain hunters' } });
    await recordSize(db.prisma, segment.id, 3, new Date(Date.UTC(year, 5, 15, 22)));
    const uploads = fake.byMethod('files.completeUploadExternal').length;
    await slash('how has bargain hunters grown since June?', 'UMKT');
    const done = await until(() => fake.byMethod('files.completeUploadExternal')[uploads], 30_000);
    const said = JSON.stringify(done.args);
    expect(said).toContain(`3 customers on 15 Jun ${year}, ${hunters.size} on`);
    expect(said).toContain(
      `(+${hunters.size - 3}, +${Math.round((100 * (hunters.size - 3)) / 3)}%), since 1 Jun ${year}, from 2 daily sizes`,
    );
    expect(said).toContain(`Size of bargain hunters, since 1 Jun ${year}`);
    before = posts().length;
    await slash('how has young explorers grown in 2019?', 'UMKT');
    expect(String((await until(() => posts()[before])).args.text)).toMatch(
      /^No data for 2019: no size of \*young explorers\* recorded then \(sizes are recorded once a day when segments are recomputed, since /,
    );
  });

  it('/mkt chart uploads a PNG through the files API', async () => {
    const before = fake.byMethod('upload').length;
    await slash('chart nps last quarter');
    const done = await until(
      () =>
        fake
          .byMethod('files.completeUploadExternal')
          .find((c) => JSON.stringify(c.args).includes('NPS by month')),
      30_000, // drawing the chart takes seconds on a loaded machine
    );
    const upload = fake.byMethod('upload')[before]!;
    expect(upload.bytes).toBeGreaterThan(100);
    expect(upload.head!.includes(Buffer.from([0x89, 0x50, 0x4e, 0x47]))).toBe(true);
    expect(JSON.stringify(done.args)).toContain('CMKT');
  });

  it('rejects a forged signature and a stale timestamp with 401, without side effects', async () => {
    const before = fake.calls.length;
    const forged = await new SlackSender('wrong-secret').command(base, 'UADMIN', 'CMKT', 'segments');
    expect(forged.status).toBe(401);
    const stale = await slash('segments', 'UADMIN', 'T1', { ts: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.calls.length).toBe(before);
  });

  it('politely refuses users and workspaces that are not allow-listed', async () => {
    const before = posts().length;
    const res = await slash('segments', 'USTRANGER');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { text: string; response_type: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toMatch(/^Sorry, this assistant only answers the marketing team/);
    const otherTeam = await slash('segments', 'UADMIN', 'T999');
    expect(((await otherTeam.json()) as { text: string }).text).toMatch(/^Sorry/);
    await new Promise((r) => setTimeout(r, 200));
    expect(posts().length).toBe(before);
  });

  it("lets a viewer see aggregates but not one customer's recommendations", async () => {
    const before = posts().length;
    await slash('recommendations for demo-respondent-001', 'UVIEW');
    const refused = await until(() => posts()[before]);
    expect(String(refused.args.text)).toContain('aggregate figures only');
    await slash('recommendations for demo-respondent-001', 'UMKT');
    const ok = await until(() => posts()[before + 1]);
    expect(JSON.stringify(ok.args.blocks)).toContain('Camp Stove');
  });

  it('handles a retried event once', async () => {
    const before = posts().length;
    const payload = {
      type: 'event_callback',
      team_id: 'T1',
      event_id: 'EvRetry1',
      event_time: 1,
      event: {
        type: 'app_mention',
        user: 'UADMIN',
        text: '<@UBOT> nps this week',
        channel: 'CMKT',
        ts: '100.1',
        team: 'T1',
      },
    };
    expect((await event(payload)).status).toBe(200);
    expect(
      (await event(payload, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).status,
    ).toBe(200);
    expect(
      (await event(payload, { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' })).status,
    ).toBe(200);
    await until(() => posts()[before]);
    await new Promise((r) => setTimeout(r, 300));
    const mine = posts()
      .slice(before)
      .filter((c) => c.args.thread_ts === '100.1');
    expect(mine).toHaveLength(1);
    expect(await db.prisma.processedEvent.count({ where: { key: 'slack:EvRetry1' } })).toBe(1);
  });

  it('publishes the App Home with key figures', async () => {
    await event({
      type: 'event_callback',
      team_id: 'T1',
      event_id: 'EvHome1',
      event_time: 1,
      event: { type: 'app_home_opened', user: 'UMKT', channel: 'D1', tab: 'home' },
    });
    const call = await until(() => fake.byMethod('views.publish')[0]);
    expect(call.args.user_id).toBe('UMKT');
    expect(JSON.stringify(call.args.view)).toContain('NPS (30 days)');
  });

  it('lets a marketer claim a handoff with a button', async () => {
    const conv = await store.open({ channel: 'webchat', externalId: 'c-hand', userExternalId: 'dl_hand123' });
    const h = await store.openHandoff(conv.conversationId, 'customer asked for a human');
    const res = await slack.click(base, 'UMKT', 'CMKT', 'mkt_handoff_claim_0', h.id);
    expect(res.status).toBe(200);
    const row = await until(() => posts().find((c) => String(c.args.text).includes('took over')));
    expect(row.args.channel).toBe('CMKT');
    expect((await db.prisma.handoff.findUnique({ where: { id: h.id } }))?.status).toBe('claimed');
  });

  it('rejects signed payloads that fail validation with 400 and stores nothing', async () => {
    const count = await db.prisma.processedEvent.count();
    const res = await event({ no_type: true, event_id: 'EvBad' });
    expect(res.status).toBe(400);
    const res2 = await slack.post(base, '{"type":', 'application/json');
    expect(res2.status).toBe(400);
    expect(await db.prisma.processedEvent.count()).toBe(count);
  });
});
