// Reviewing in Slack over real signed requests to /slack/events, with Bolt talking to the local
// stand-in of the Web API: `/mkt review` posts one message per open item (top suggestions first),
// the buttons label, ignore, answer with one of the closest help-centre entries, or open the "new
// answer" modal whose submission writes a help-centre entry; a viewer changes nothing; a forged
// signature is refused. The queue and the help centre (demo pages) are the real Prisma ones.
import pino from 'pino';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackPlugin } from '../../bots/channels/slack/plugin.js';
import { MarketerDialog } from '../../bots/marketer/dialog.js';
import type { Catalog, MarketerAnalytics, Nlu } from '../../bots/ports.js';
import { renderChartPng } from '../../bots/analytics/chart.js';
import { KbService, seedDemoHelpCentre } from '../../kb/index.js';
import {
  createPrismaKbStore,
  PrismaConversationStore,
  PrismaEventLog,
  PrismaMarketerInsights,
  PrismaSlackMembers,
} from '../../prisma/repositories/index.js';
import { helpCentreAdapter } from '../../server/help-centre-adapter.js';
import {
  createReviewService,
  reviewDigestProcessor,
  withReviewedAnswers,
  type ReviewService,
} from '../../server/review/index.js';
import { createInProcessQueue, jobDefinitions } from '../../jobs/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelRegistry, type DiskCachedEncoder } from '../../nlu/index.js';
import { slackRetrainReport } from '../../server/review/index.js';
import { slackNotifyProcessor } from '../../server/handoff/notify-processor.js';
import { bankingSubset, cachedUseLite, take } from '../nlu/intent-fixtures.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startFakeSlackApi, type FakeSlackApi } from './fake-slack-api.js';
import { SlackSender, until } from './slack-signing.js';

const SECRET = 'slack-review-signing-secret';
const plain = { encrypt: (s: string) => s, decrypt: (s: string) => s };
const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
// A fixed reading: confident help, except one word the marketer model refuses.
const REFUSED = 'flibbertigibbet';
// A shop question the demo help centre refuses (below its gate) though "Shipping and delivery" is
// among its closest entries.
const SATURDAYS = 'do you deliver on saturdays';
const nlu: Nlu = {
  analyze: async (text) => ({
    intent: 'help',
    confidence: text === REFUSED ? 0.1 : 0.99,
    ranking: [{ intent: 'help', confidence: text === REFUSED ? 0.1 : 0.99 }],
    outOfScope: text === REFUSED,
    sentiment: 0,
    sentimentLabel: 'neutral',
    entities: [],
    language: 'eng',
  }),
  maskPII: (t) => t,
};
const analytics = { keyFigures: async () => [] } as unknown as MarketerAnalytics;
const catalog = {} as Catalog;

let db: TestDatabase;
let fake: FakeSlackApi;
let app: FastifyInstance;
let base: string;
let review: ReviewService;
let kb: KbService;
let registry: ModelRegistry | undefined;
let encoder: DiskCachedEncoder | undefined;
const modelDir = mkdtempSync(join(tmpdir(), 'slack-review-model-'));
const ids: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase('pglite');
  fake = await startFakeSlackApi();
  await db.prisma.slackMember.create({ data: { teamId: 'T1', userId: 'UVIEW', role: 'viewer' } });
  await db.prisma.slackMember.create({ data: { teamId: 'T1', userId: 'UMKT', role: 'marketer' } });
  encoder = await cachedUseLite();
  const kbStore = createPrismaKbStore(db.prisma);
  await seedDemoHelpCentre(kbStore);
  kb = new KbService(kbStore, encoder);
  review = createReviewService({ prisma: db.prisma, kb }).service;
  const queue = createReviewService({ prisma: db.prisma }).queue;
  for (const [key, text, suggestions] of [
    [
      'help',
      'how do I return this',
      [
        { intent: 'help', confidence: 0.42 },
        { intent: 'shop_policy', confidence: 0.36 },
      ],
    ],
    ['search', 'something for rainy hikes', [{ intent: 'recommend', confidence: 0.3 }]],
    ['ignore', 'asdkjh qwpoe', [{ intent: 'greet', confidence: 0.13 }]],
    ['answer', 'do you ship to Norway', [{ intent: 'shop_policy', confidence: 0.5 }]],
    ['menu', 'where is my parcel', [{ intent: 'complaint', confidence: 0.6 }]],
    ['kb', SATURDAYS, [{ intent: 'shop_policy', confidence: 0.4 }]],
  ] as const) {
    const conversation = await db.prisma.conversation.create({
      data: { channel: 'webchat', externalId: key },
    });
    await queue.enqueue({
      domain: 'customer',
      reason: 'did_you_mean',
      channel: 'webchat',
      conversationId: conversation.id,
      text,
      answered: "I'm not sure I understood.",
      intent: suggestions[0].intent,
      confidence: suggestions[0].confidence,
      suggestions: [...suggestions],
    });
    ids[key] = (await db.prisma.reviewItem.findFirstOrThrow({ where: { text } })).id;
  }
  const store = new PrismaConversationStore({ prisma: db.prisma, cipher: plain });
  const marketer = new MarketerDialog({
    analytics,
    insights: new PrismaMarketerInsights(db.prisma, {
      decrypt: (s) => s,
      emailHash: (e) => `hash:${e}`,
      maskPII: (t) => t,
    }),
    catalog,
    handoffs: store,
    maskPII: (t) => t,
    renderChart: renderChartPng,
    nlu,
    store,
    logger,
    review: createReviewService({ prisma: db.prisma }).queue,
  });
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
    review: {
      desk: review,
      // The customer model of this test is a real registry (trained in the rollback test).
      versions: {
        rollback: async (domain) => {
          if (domain !== 'customer' || !registry) throw new Error('no such model here');
          return registry.rollback();
        },
      },
    },
    nlu,
    logger,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}, 300_000);

afterAll(async () => {
  await app?.close();
  await fake?.close();
  await db?.close();
  await registry?.stop();
  await encoder?.dispose();
  rmSync(modelDir, { recursive: true, force: true });
});

const slack = new SlackSender(SECRET);

/** `/mkt text` from `user` in #CREVIEW, signed with `secret` (the app's unless forging). */
const slash = (text: string, user: string, secret = SECRET) =>
  new SlackSender(secret).command(base, user, 'CREVIEW', text, `${base}/nowhere`);

const interaction = (payload: Record<string, unknown>) => slack.interaction(base, payload);

function click(user: string, action: Record<string, unknown>, ts = '100.000001') {
  return interaction({
    type: 'block_actions',
    team: { id: 'T1' },
    user: { id: user, team_id: 'T1' },
    channel: { id: 'CREVIEW' },
    message: { ts, text: 'review' },
    trigger_id: `trigger-${user}`,
    actions: [{ block_id: 'b', action_ts: '1', ...action }],
  });
}

type Block = { type: string; elements?: Array<Record<string, unknown>> };
const itemPost = (text: string) =>
  fake.byMethod('chat.postMessage').find((c) => String(c.args.text) === `Review: “${text}”`);
const buttonsOf = (blocks: Block[]) =>
  blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);

describe('review in Slack', () => {
  it('refuses a forged request and a viewer; posts one message per open item, top suggestions first', async () => {
    expect((await slash('review', 'UMKT', 'wrong-secret')).status).toBe(401);
    const viewer = await slash('review', 'UVIEW');
    expect(await viewer.json()).toMatchObject({ text: expect.stringContaining('Only marketers and admins') });

    expect((await slash('review', 'UMKT')).status).toBe(200);
    const help = await until(() => itemPost('how do I return this'));
    await until(() => itemPost('do you ship to Norway'));
    const buttons = buttonsOf(help.args.blocks as Block[]);
    const labels = buttons.filter(
      (b) => b.type === 'button' && String(b.action_id).startsWith('review_label_'),
    );
    expect(labels.map((b) => JSON.parse(String(b.value)).intent)).toEqual([
      'help',
      'shop_policy',
      'product_search',
    ]);
    expect(buttons.map((b) => b.action_id)).toEqual(
      expect.arrayContaining(['review_answer', 'review_ignore', 'review_label_menu']),
    );
    // The menu offers every other intent of the domain.
    const menu = buttons.find((b) => b.action_id === 'review_label_menu') as {
      options: Array<{ value: string }>;
    };
    expect(menu.options.map((o) => JSON.parse(o.value).intent)).toContain('order_status');
  });

  it('labels from a button (the right intent, "it\'s a product search") and from the menu; a viewer changes nothing', async () => {
    const value = JSON.stringify({ id: ids.help, intent: 'shop_policy' });
    await click('UVIEW', { type: 'button', action_id: 'review_label_1', value });
    await until(() => fake.byMethod('chat.postEphemeral').length > 0);
    expect((await review.get(ids.help!)).status).toBe('open');

    await click('UMKT', { type: 'button', action_id: 'review_label_1', value });
    await until(async () => (await review.get(ids.help!)).status === 'labelled');
    const example = await db.prisma.nluExample.findFirstOrThrow({ where: { reviewItemId: ids.help } });
    expect(example).toMatchObject({ intent: 'shop_policy', labelledBy: 'slack:T1:UMKT', source: 'review' });
    expect(example.labelledAt).toBeInstanceOf(Date);
    const update = await until(() => fake.byMethod('chat.update').find((c) => c.args.ts === '100.000001'));
    expect(String(update.args.text)).toContain('Labelled *shop_policy*');

    const search = JSON.stringify({ id: ids.search, intent: 'product_search' });
    await click('UMKT', { type: 'button', action_id: 'review_label_search', value: search }, '100.000002');
    await until(async () => (await review.get(ids.search!)).label === 'product_search');

    const menu = { type: 'static_select', action_id: 'review_label_menu' };
    const selected = {
      text: { type: 'plain_text', text: 'order_status' },
      value: JSON.stringify({ id: ids.menu, intent: 'order_status' }),
    };
    await click('UMKT', { ...menu, selected_option: selected }, '100.000005');
    await until(async () => (await review.get(ids.menu!)).label === 'order_status');

    // A second click on a reviewed item says who did it and changes nothing.
    const before = fake.byMethod('chat.postEphemeral').length;
    await click('UMKT', {
      type: 'button',
      action_id: 'review_label_0',
      value: JSON.stringify({ id: ids.help, intent: 'help' }),
    });
    const told = await until(() => fake.byMethod('chat.postEphemeral')[before]);
    expect(String(told.args.text)).toContain('already labelled');
    expect((await review.get(ids.help!)).label).toBe('shop_policy');
  });

  it('answers with an existing help-centre entry: the question is answered from it the next time', async () => {
    // The help centre as the chat uses it (server/bots-wiring.ts): the knowledge base plus the
    // questions reviewers answered.
    const centre = helpCentreAdapter(
      withReviewedAnswers(kb, createReviewService({ prisma: db.prisma }).queue),
    );
    expect((await kb.lookup(SATURDAYS)).answered).toBe(false);
    expect((await centre.lookup(SATURDAYS)).answer).toBeNull();
    await slash('review 10', 'UMKT');
    // The first lookups build the help centre's index (embedding its pages): slow on a busy machine.
    const post = await until(() => itemPost(SATURDAYS), 90_000);
    const offered = buttonsOf(post.args.blocks as Block[]).filter((b) =>
      String(b.action_id).startsWith('review_kb_'),
    );
    // The help centre's own ranking, best first, each entry named on its button.
    const ranked = (await kb.lookup(SATURDAYS)).hits.slice(0, 3);
    expect(offered.map((b) => JSON.parse(String(b.value)).doc)).toEqual(ranked.map((h) => h.docId));
    expect(offered.map((b) => (b.text as { text: string }).text)).toContain(
      'Answer with “Shipping and delivery”',
    );

    // A button naming an entry that is gone is refused, the item stays open.
    const refusals = fake.byMethod('chat.postEphemeral').length;
    const gone = JSON.stringify({ id: ids.kb, doc: 'no-such-page.md' });
    await click('UMKT', { type: 'button', action_id: 'review_kb_0', value: gone }, '300.000001');
    const refused = await until(() => fake.byMethod('chat.postEphemeral')[refusals]);
    expect(String(refused.args.text)).toContain('no entry "no-such-page.md"');
    expect((await review.get(ids.kb!)).status).toBe('open');

    const shipping = offered.find((b) => JSON.parse(String(b.value)).doc === 'shipping.md')!;
    await click(
      'UMKT',
      { type: 'button', action_id: shipping.action_id, value: shipping.value },
      '300.000002',
    );
    await until(async () => (await review.get(ids.kb!)).status === 'answered');
    expect(await review.get(ids.kb!)).toMatchObject({
      kbDocumentId: 'shipping.md',
      reviewedBy: 'slack:T1:UMKT',
    });
    const update = await until(() => fake.byMethod('chat.update').find((c) => c.args.ts === '300.000002'));
    expect(String(update.args.text)).toContain('existing help-centre entry');
    const entry = await db.prisma.kbDocument.findUniqueOrThrow({ where: { id: 'shipping.md' } });
    expect(entry.altQuestions).toContain(SATURDAYS);
    // The other pages of its import are untouched.
    expect((await kb.list()).filter((d) => d.origin === 'demo:help-centre')).toHaveLength(7);

    // Asked again, in the same words give or take case and punctuation: answered from that entry.
    const again = await until(
      async () => (await centre.lookup('Do you deliver on Saturdays?')).answer,
      15_000,
    );
    expect(again).toMatchObject({ docId: 'shipping.md', title: 'Shipping and delivery' });
    expect((await centre.lookup(SATURDAYS)).confidence).toBeGreaterThanOrEqual(0);
  }, 120_000);

  it('ignores, and writes a new answer through the modal', async () => {
    await click('UMKT', { type: 'button', action_id: 'review_ignore', value: ids.ignore }, '100.000003');
    await until(async () => (await review.get(ids.ignore!)).status === 'ignored');

    await click('UMKT', { type: 'button', action_id: 'review_answer', value: ids.answer }, '100.000004');
    const opened = await until(() => fake.byMethod('views.open')[0]);
    const view = opened.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('review_answer_modal');
    const submit = (text: string) =>
      interaction({
        type: 'view_submission',
        team: { id: 'T1' },
        user: { id: 'UMKT', team_id: 'T1' },
        view: {
          id: 'V1',
          callback_id: view.callback_id,
          private_metadata: view.private_metadata,
          state: { values: { answer: { text: { type: 'plain_text_input', value: text } } } },
        },
      });
    const empty = await submit('  ');
    expect(await empty.json()).toMatchObject({ response_action: 'errors' });
    expect((await review.get(ids.answer!)).status).toBe('open');
    await submit('Yes: we ship to Norway in 3-5 working days.');
    await until(async () => (await review.get(ids.answer!)).status === 'answered');
    const doc = await db.prisma.kbDocument.findUniqueOrThrow({ where: { id: `review:${ids.answer}` } });
    expect(doc).toMatchObject({
      question: 'do you ship to Norway',
      body: 'Yes: we ship to Norway in 3-5 working days.',
    });
  });

  it('posts the daily digest through the review.digest job: the open items, one message each', async () => {
    for (const text of ['blorp the wizzle', 'xylophone']) {
      const conversation = await db.prisma.conversation.create({
        data: { channel: 'webchat', externalId: `digest-${text}` },
      });
      await createReviewService({ prisma: db.prisma }).queue.enqueue({
        domain: 'customer',
        reason: 'fallback',
        channel: 'webchat',
        conversationId: conversation.id,
        text,
        answered: "Sorry, I didn't get that.",
        intent: 'joke',
        confidence: 0.26,
        suggestions: [{ intent: 'joke', confidence: 0.26 }],
      });
    }
    const queue = createInProcessQueue({ definitions: jobDefinitions });
    const results: Array<{ posted: number }> = [];
    const processor = reviewDigestProcessor(
      { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: fake.url, SLACK_REVIEW_CHANNEL: 'CDIGEST' },
      review,
      logger,
    );
    await queue.process({ 'review.digest': async (p) => void results.push(await processor(p)) });
    await queue.enqueue('review.digest', { reason: 'daily', limit: 5 });
    await until(() => results.length > 0);
    await queue.close({ timeoutMs: 1_000 });
    const open = await review.list({});
    expect(open.map((i) => i.text)).toEqual(['blorp the wizzle', 'xylophone']);
    expect(results[0]).toEqual({ posted: open.length });
    const digest = fake.byMethod('chat.postMessage').filter((c) => c.args.channel === 'CDIGEST');
    expect(digest.map((c) => c.args.text)).toEqual([
      expect.stringContaining('handled badly'),
      ...open.map((i) => `Review: “${i.text}”`),
    ]);
    expect(buttonsOf(digest[1]!.args.blocks as Block[]).some((b) => b.action_id === 'review_ignore')).toBe(
      true,
    );
  });

  it('reports a retrain with a roll-back button that only admins can use', async () => {
    registry = new ModelRegistry({ root: modelDir, encoder: encoder! });
    await registry.start();
    const { train, inScope } = bankingSubset();
    const intents = inScope.slice(0, 4);
    await registry.retrain(take(train, intents, 6), { force: true, trainOptions: { seed: 7 } });
    const second = await registry.retrain(take(train, intents, 10), {
      force: true,
      trainOptions: { seed: 7 },
    });
    expect(registry.activeVersion).toBe(2);

    // The report is queued as slack.notify and posted by its processor (the real in-process queue).
    const notifyConfig = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: fake.url };
    const notifications = createInProcessQueue({ definitions: jobDefinitions });
    await notifications.process({ 'slack.notify': slackNotifyProcessor(notifyConfig, pino({ level: 'silent' })) });
    const report = slackRetrainReport({ ...notifyConfig, SLACK_REVIEW_CHANNEL: 'CDIGEST' }, (payload) =>
      notifications.enqueue('slack.notify', payload),
    )!;
    const text = 'NLU retrain (nightly)\n• customer: v2 is live';
    await report(text, [{ ...second, domain: 'customer', trainingExamples: 40, reviewedExamples: 2 }]);
    const posted = await until(() => fake.byMethod('chat.postMessage').find((c) => c.args.text === text));
    await notifications.close({ timeoutMs: 1_000 });
    const button = buttonsOf(posted.args.blocks as Block[])[0]!;
    expect(button).toMatchObject({
      action_id: 'review_rollback_customer',
      text: { text: 'Roll customer back to v1' },
    });

    const value = String(button.value);
    const refusals = fake.byMethod('chat.postEphemeral').length;
    await click('UMKT', { type: 'button', action_id: 'review_rollback_customer', value }, '200.000001');
    const refused = await until(() => fake.byMethod('chat.postEphemeral')[refusals]);
    expect(String(refused.args.text)).toContain('Only admins');
    expect(registry.activeVersion).toBe(2);

    await click('UADMIN', { type: 'button', action_id: 'review_rollback_customer', value }, '200.000002');
    const update = await until(() => fake.byMethod('chat.update').find((c) => c.args.ts === '200.000002'));
    expect(String(update.args.text)).toContain('rolled the customer model back from v2 to v1');
    expect(registry.activeVersion).toBe(1);
  }, 300_000);

  it('queues a marketer question the marketer model refused (domain marketer)', async () => {
    await slash(REFUSED, 'UMKT');
    const item = await until(() => db.prisma.reviewItem.findFirst({ where: { text: REFUSED } }));
    expect(item).toMatchObject({
      domain: 'marketer',
      reason: 'out_of_scope',
      channel: 'slack',
      status: 'open',
    });
    expect(item?.answered.length).toBeGreaterThan(0);
    expect(await review.labels('marketer')).toContain('segment_size');
  });
});
