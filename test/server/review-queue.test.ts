import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Responses } from '../../bots/index.js';
import { createApiKeyStore } from '../../server/security/index.js';
import type { RunningServer } from '../../server/start.js';
import { HttpClient, DirectLineConversation } from '../platform/directline-client.js';
import { runCli } from '../support/cli.js';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server.js';
import { TEST_ENCRYPTION_KEY } from '../support/server-process.js';

// The review queue through the real server (server/start.ts on PostgreSQL, the real NLU): web-chat
// messages that end badly are queued with their context and PII masked; marketers review them
// through the admin API and `mkt review`; labels become training examples with who and when, a new
// answer a knowledge-base entry, an existing entry one more phrasing; erasing the customer erases
// both.

const ADMIN = '/api/admin/v1';

let started: InProcessServer;
let server: RunningServer;
let http: HttpClient;
// What `mkt` is run with: the server's database, data folder and field key.
let cliEnv: Record<string, string>;
const keys = { marketer: '', viewer: '', prefix: '' };

beforeAll(async () => {
  started = await startInProcessServer('review', { SEED_DEMO: 'false' });
  server = started.server;
  const { databaseUrl, dataDir } = started.ground;
  cliEnv = { DATABASE_URL: databaseUrl, DATA_DIR: dataDir, ENCRYPTION_KEY: TEST_ENCRYPTION_KEY };
  http = new HttpClient(server.url);
  const store = createApiKeyStore(server.db.prisma);
  const marketer = await store.create('reviewer', 'marketer');
  keys.marketer = marketer.key;
  keys.prefix = marketer.summary.prefix;
  keys.viewer = (await store.create('viewer', 'viewer')).key;
}, 600_000);

afterAll(async () => {
  http?.close();
  await started?.close();
});

/** Opens a web-chat conversation and says each text; returns the id and the first reply to each. */
async function chat(user: string, texts: string[]): Promise<{ id: string; replies: string[] }> {
  const conversation = new DirectLineConversation(http, user);
  await conversation.open();
  const replies: string[] = [];
  for (const text of texts) {
    // The turn (and its review item) is stored before any reply to it is sent.
    const id = await conversation.say(text);
    const reply = await conversation.waitForBot((a) => a.replyToId === id && !!a.text, 0, 60_000, 100);
    replies.push(reply.text!);
  }
  return { id: conversation.conversationId, replies };
}

async function items(conversationExternalId: string) {
  return server.db.prisma.reviewItem.findMany({
    where: { conversation: { externalId: conversationExternalId } },
    orderBy: { createdAt: 'asc' },
  });
}

const api = (method: string, path: string, key: string, body?: unknown) =>
  fetch(`${server.url}${ADMIN}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

// Several phrasings per trigger: which one ends where depends on the trained model, so the test
// checks each queued item against what the customer was actually answered, and that every trigger
// fired at least once.
const POOL = [
  'asdkjh qwpoe',
  'zzqx vbnm plok',
  'how many legs does a spider have',
  'is there a discount',
  'how do I return this',
  'can I change it',
  'something similar but cheaper maybe',
  'what goes with it or is there a cheaper one',
  'tell me about it',
  'anything like that in stock',
  'is it any good',
  'xylophone',
  'blorp the wizzle frobnicator',
  'hmm',
  'I want to talk to a human',
  'where is my order',
  'I need something for my trip',
  'can you help me with my thing',
];
const CONFIDENT = 'what can you do';

describe('review queue through the server', () => {
  const responses = Responses.load('Northwind Outfitters');
  const didYouMean = responses.text('did_you_mean', { a: '', b: '' }).split('"')[0]!;
  const notUnderstood = responses.text('out_of_scope').slice(0, 30);
  const offTopic = responses.text('off_topic').slice(0, 30);
  const kbNoAnswer = responses.text('kb_no_answer').slice(0, 30);
  const queued = new Map<string, { conversation: string; reason: string; id: string }>();

  it('queues each trigger with its context, PII masked, and leaves confident answers alone', async () => {
    const first = await chat('dl_review_pii', ['hello, I am ana.smith@example.com', POOL[0]!]);
    const answers = new Map<string, { id: string; reply: string }>([
      [POOL[0]!, { id: first.id, reply: first.replies[1]! }],
    ]);
    for (const [i, text] of POOL.slice(1).entries()) {
      const run = await chat(`dl_review_${i}`, [text]);
      answers.set(text, { id: run.id, reply: run.replies[0]! });
    }
    const fine = await chat('dl_review_fine', [CONFIDENT]);
    expect(await items(fine.id)).toEqual([]);

    for (const [text, { id, reply }] of answers) {
      const item = (await items(id)).find((i) => i.text === text);
      if (item) queued.set(text, { conversation: id, reason: item.reason, id: item.id });
      // What the customer saw decides the reason.
      if (reply.startsWith(didYouMean)) expect(item?.reason, text).toBe('did_you_mean');
      else if (reply.startsWith(notUnderstood))
        expect(item?.reason, text).toMatch(/^(fallback|out_of_scope)$/);
      else if (reply.startsWith(kbNoAnswer)) expect(item?.reason, text).toBe('kb_low_confidence');
      else if (reply.startsWith(offTopic)) expect([undefined, 'out_of_scope']).toContain(item?.reason);
      if (item?.reason === 'did_you_mean') {
        const suggestions = item.suggestions as Array<{ intent: string; confidence: number }>;
        expect(suggestions.length).toBeGreaterThanOrEqual(2);
        expect(suggestions[0]!.confidence).toBeGreaterThanOrEqual(suggestions[1]!.confidence);
        expect(item.answered).toMatch(/\[.+\|.+\]/); // the two buttons offered
      }
      if (item?.reason === 'low_confidence') expect(item.confidence).toBeLessThan(0.7);
      if (item) expect(item).toMatchObject({ domain: 'customer', channel: 'webchat', status: 'open' });
    }
    const reasons = new Set([...queued.values()].map((q) => q.reason));
    for (const reason of [
      'out_of_scope',
      'did_you_mean',
      'fallback',
      'handoff',
      'low_confidence',
      'kb_low_confidence',
    ])
      expect(reasons, reason).toContain(reason);
    expect(queued.get('I want to talk to a human')?.reason).toBe('handoff');

    // The turn before, masked: the e-mail address never reaches the queue.
    const [oos] = (await items(first.id)).filter((i) => i.text === POOL[0]);
    expect(oos?.reason).toBe('out_of_scope');
    expect(oos!.previousText).toMatch(/^hello, I am /);
    expect(oos!.previousText).not.toContain('ana.smith@example.com');
    expect(oos!.previousReply).toBeTruthy();
    expect(oos!.answered.length).toBeGreaterThan(0);
    const all = await server.db.prisma.reviewItem.findMany();
    expect(all.some((i) => /ana\.smith|example\.com/.test(JSON.stringify(i)))).toBe(false);
  }, 300_000);

  it('lists, labels, answers and ignores through the admin API (marketer yes, viewer no)', async () => {
    expect((await api('GET', '/review', keys.viewer)).status).toBe(403);
    const listed = (await (await api('GET', '/review?domain=customer', keys.marketer)).json()) as Array<{
      id: string;
      text: string;
      reason: string;
    }>;
    expect(new Set(listed.map((i) => i.id))).toEqual(
      new Set(
        (await server.db.prisma.reviewItem.findMany({ where: { domain: 'customer' } })).map((i) => i.id),
      ),
    );
    const byReason = (reason: string) => listed.find((i) => i.reason === reason && i.text !== POOL[0])!;

    const fallback = byReason('fallback');
    const labelled = await api('POST', `/review/${fallback.id}/label`, keys.marketer, {
      intent: 'product_search',
    });
    expect(labelled.status).toBe(200);
    expect(await labelled.json()).toMatchObject({ status: 'labelled', label: 'product_search' });
    const example = await server.db.prisma.nluExample.findFirstOrThrow({
      where: { reviewItemId: fallback.id },
    });
    expect(example).toMatchObject({
      domain: 'customer',
      text: fallback.text,
      intent: 'product_search',
      source: 'review',
      labelledBy: `apikey:${keys.prefix}`,
    });
    expect(example.labelledAt).toBeInstanceOf(Date);
    // A second review of the same item, an unknown intent, a bad id: clear 4xx answers.
    const again = await api('POST', `/review/${fallback.id}/label`, keys.marketer, { intent: 'help' });
    expect(again.status).toBe(409);
    const unknown = await api('POST', `/review/${byReason('did_you_mean').id}/label`, keys.marketer, {
      intent: 'teleport',
    });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({ code: 'REVIEW_UNKNOWN_INTENT' });
    expect((await api('POST', '/review/not-an-id/ignore', keys.marketer)).status).toBe(400);
    expect((await api('POST', `/review/${crypto.randomUUID()}/ignore`, keys.marketer)).status).toBe(404);

    const low = byReason('low_confidence');
    const answered = await api('POST', `/review/${low.id}/answer`, keys.marketer, {
      text: 'Track your order from the link in your confirmation e-mail.',
      title: 'Where is my order?',
    });
    expect(answered.status).toBe(200);
    expect(await answered.json()).toMatchObject({ status: 'answered', kbDocumentId: `review:${low.id}` });
    const entries = await server.services.kb.list();
    expect(entries.find((d) => d.id === `review:${low.id}`)).toMatchObject({
      kind: 'faq',
      title: 'Where is my order?',
      question: low.text,
    });

    const dym = byReason('did_you_mean');
    expect(await (await api('POST', `/review/${dym.id}/ignore`, keys.marketer)).json()).toMatchObject({
      status: 'ignored',
    });
    // The retrain job reads the reviewed examples of the domain.
    expect(await server.services.review.reviewedExamples('customer')).toContainEqual({
      text: fallback.text,
      intent: 'product_search',
    });
  }, 120_000);

  it('`mkt review list` and `mkt review label` work on the same queue', async () => {
    const list = await runCli(['review', 'list', '--domain', 'customer', '--json'], cliEnv);
    expect(list.code).toBe(0);
    const open = JSON.parse(list.stdout) as Array<{ id: string; text: string; status: string }>;
    const oos = open.find((i) => i.text === 'asdkjh qwpoe');
    expect(oos?.status).toBe('open');
    const label = await runCli(['review', 'label', oos!.id, 'out_of_scope', '--by', 'ana'], cliEnv);
    expect(label.stdout).toContain('labelled "asdkjh qwpoe" as out_of_scope');
    expect(await server.db.prisma.nluExample.findFirst({ where: { reviewItemId: oos!.id } })).toMatchObject({
      intent: 'out_of_scope',
      labelledBy: 'ana',
    });
    const bad = await runCli(['review', 'ignore', oos!.id], cliEnv);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('already labelled');
  }, 120_000);

  it('answers with an existing entry through the admin API and `mkt review answer-with`; a re-import keeps those phrasings', async () => {
    const faq = join(started.ground.dataDir, 'shop-faq.json');
    const importFaq = async (returnsAnswer: string) => {
      writeFileSync(
        faq,
        JSON.stringify([
          {
            id: 'returns',
            question: 'How do I return an item?',
            answer: returnsAnswer,
            questions: ['can I send it back'],
          },
          { id: 'gift-cards', question: 'Do you sell gift cards?', answer: 'Yes, from 10 to 200 dollars.' },
        ]),
      );
      const run = await runCli(['kb', 'import', faq, '--json'], cliEnv);
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout) as { added: number; updated: number; unchanged: number };
    };
    expect(await importFaq('Send it back within 30 days with the label from your order page.')).toMatchObject(
      {
        added: 2,
      },
    );
    const entry = 'faq:returns';
    const phrasings = async () => (await server.services.kb.list()).find((d) => d.id === entry)?.altQuestions;

    const open = (await (await api('GET', '/review?domain=customer', keys.marketer)).json()) as Array<{
      id: string;
      text: string;
    }>;
    const [byApi, byCli] = open;
    expect(byCli, 'two open items').toBeDefined();

    // The entries closest to the message, as Slack offers them; a viewer may not review.
    expect((await api('GET', `/review/${byApi!.id}/kb-entries`, keys.viewer)).status).toBe(403);
    const offered = await api('GET', `/review/${byApi!.id}/kb-entries`, keys.marketer);
    expect(offered.status).toBe(200);
    const choices = (await offered.json()) as Array<{ documentId: string; title: string }>;
    const stored = new Set((await server.services.kb.list()).map((d) => d.id));
    expect(choices.length).toBeGreaterThan(0);
    for (const choice of choices) expect(stored).toContain(choice.documentId);

    const answerWith = (id: string, key: string, body: unknown) =>
      api('POST', `/review/${id}/answer-with`, key, body);
    expect((await answerWith(byApi!.id, keys.viewer, { documentId: entry })).status).toBe(403);
    const answered = await answerWith(byApi!.id, keys.marketer, { documentId: entry });
    expect(answered.status).toBe(200);
    expect(await answered.json()).toMatchObject({
      status: 'answered',
      kbDocumentId: entry,
      reviewedBy: `apikey:${keys.prefix}`,
    });
    // Bad input is a 400, an entry that does not exist a 422, the same item again a 409.
    expect((await answerWith(byCli!.id, keys.marketer, { documentId: ' ' })).status).toBe(400);
    expect((await answerWith(byCli!.id, keys.marketer, { documentId: entry, extra: 1 })).status).toBe(400);
    const unknown = await answerWith(byCli!.id, keys.marketer, { documentId: 'faq:nope' });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({ code: 'REVIEW_UNKNOWN_KB_ENTRY' });
    expect((await answerWith(byApi!.id, keys.marketer, { documentId: entry })).status).toBe(409);

    const cli = await runCli(['review', 'answer-with', byCli!.id, entry, '--by', 'ana'], cliEnv);
    expect(cli.stdout).toContain(`answered "${byCli!.text}" with knowledge-base entry ${entry}`);
    const again = await runCli(['review', 'answer-with', byCli!.id, entry], cliEnv);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already answered');
    expect(await server.db.prisma.reviewItem.findUniqueOrThrow({ where: { id: byCli!.id } })).toMatchObject({
      status: 'answered',
      kbDocumentId: entry,
      reviewedBy: 'ana',
    });
    const actors = await server.db.prisma.auditLog.findMany({ where: { action: 'review.answer-with' } });
    expect(new Set(actors.map((a) => a.actor))).toEqual(new Set([`apikey:${keys.prefix}`, 'cli']));
    expect(await phrasings()).toEqual(['can I send it back', byApi!.text, byCli!.text]);

    // The help centre re-imported with the answer reworded: the reviewers' phrasings stay.
    expect(await importFaq('Send it back within 60 days with the label from your order page.')).toMatchObject(
      {
        added: 0,
        updated: 1,
        unchanged: 1,
      },
    );
    expect(await phrasings()).toEqual(['can I send it back', byApi!.text, byCli!.text]);
    expect((await server.services.kb.list()).find((d) => d.id === entry)?.body).toContain('60 days');
  }, 180_000);

  it('erasing a customer erases their queued messages and the examples labelled from them', async () => {
    const conversation = await server.db.prisma.conversation.findFirstOrThrow({
      where: { externalId: queued.get(POOL[0]!)!.conversation },
    });
    expect(await server.db.prisma.nluExample.count({ where: { text: 'asdkjh qwpoe' } })).toBe(1);
    await server.services.bots.privacy.forget(conversation.customerId!);
    expect(await items(queued.get(POOL[0]!)!.conversation)).toEqual([]);
    expect(await server.db.prisma.reviewItem.count({ where: { text: 'asdkjh qwpoe' } })).toBe(0);
    expect(await server.db.prisma.nluExample.count({ where: { text: 'asdkjh qwpoe' } })).toBe(0);
  }, 60_000);
});
