import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { createApiKeyStore } from '../../server/security/index.js';
import { startServer, type RunningServer } from '../../server/start.js';
import { HttpClient, DirectLineConversation } from '../platform/directline-client.js';
import { runCli } from '../support/cli.js';
import { createEmptyPostgresDatabase } from '../support/db.js';

// The review queue through the real server (server/start.ts on PostgreSQL, the real NLU): web-chat
// messages that end badly are queued with their context and PII masked; marketers review them
// through the admin API and `mkt review`; labels become training examples with who and when, a new
// answer a knowledge-base entry; erasing the customer erases both.

// Intent models trained by the chat tests are reused when present (keyed by data hash inside).
const WARM_NLU = resolve(import.meta.dirname, '../../bench/.cache/bots-data/nlu');
const ADMIN = '/api/admin/v1';

let server: RunningServer;
let drop: () => Promise<void>;
let databaseUrl: string;
let dataDir: string;
let http: HttpClient;
const keys = { marketer: '', viewer: '', prefix: '' };

beforeAll(async () => {
  const pg = await createEmptyPostgresDatabase();
  drop = pg.drop;
  databaseUrl = pg.url;
  dataDir = mkdtempSync(join(tmpdir(), 'mkt-review-'));
  if (existsSync(WARM_NLU)) cpSync(WARM_NLU, join(dataDir, 'nlu'), { recursive: true });
  server = await startServer(
    loadConfig({
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      LOG_LEVEL: 'silent',
      SEED_DEMO: 'false',
      TOKEN_SECRET: 'review-queue-test-token-secret-0123456789',
    }),
  );
  http = new HttpClient(server.url);
  const store = createApiKeyStore(server.db.prisma);
  const marketer = await store.create('reviewer', 'marketer');
  keys.marketer = marketer.key;
  keys.prefix = marketer.summary.prefix;
  keys.viewer = (await store.create('viewer', 'viewer')).key;
}, 600_000);

afterAll(async () => {
  http?.close();
  await server?.close();
  await drop?.();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Opens a web-chat conversation and says each text, waiting for the bot's answer each time. */
async function chat(user: string, texts: string[]): Promise<string> {
  const conversation = new DirectLineConversation(http, user);
  await conversation.open();
  for (const text of texts) {
    // The turn (and its review item) is stored before any reply to it is sent.
    const id = await conversation.say(text);
    await conversation.waitForBot((a) => a.replyToId === id, 0, 60_000, 100);
  }
  return conversation.conversationId;
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

describe('review queue through the server', () => {
  const conversations: Record<string, string> = {};

  it('queues each trigger with its context, PII masked, and leaves confident answers alone', async () => {
    conversations.oos = await chat('dl_review_oos', ['hello, I am ana.smith@example.com', 'asdkjh qwpoe']);
    conversations.dym = await chat('dl_review_dym', ['how many legs does a spider have']);
    conversations.fallback = await chat('dl_review_fb', ['xylophone']);
    conversations.handoff = await chat('dl_review_ho', ['I want to talk to a human']);
    conversations.low = await chat('dl_review_low', ['where is my order']);
    conversations.fine = await chat('dl_review_fine', ['what can you do']);

    const [oos] = (await items(conversations.oos!)).filter((i) => i.text === 'asdkjh qwpoe');
    expect(oos).toMatchObject({
      domain: 'customer',
      reason: 'out_of_scope',
      channel: 'webchat',
      status: 'open',
    });
    // The turn before, masked: the e-mail address never reaches the queue.
    expect(oos!.previousText).toMatch(/^hello, I am /);
    expect(oos!.previousText).not.toContain('ana.smith@example.com');
    expect(oos!.previousReply).toBeTruthy();
    expect(oos!.answered.length).toBeGreaterThan(0);

    const [dym] = await items(conversations.dym!);
    expect(dym).toMatchObject({ reason: 'did_you_mean', text: 'how many legs does a spider have' });
    const suggestions = dym!.suggestions as Array<{ intent: string; confidence: number }>;
    expect(suggestions.length).toBeGreaterThanOrEqual(2);
    expect(suggestions[0]!.confidence).toBeGreaterThanOrEqual(suggestions[1]!.confidence);
    // What was answered names the buttons offered.
    expect(dym!.answered).toMatch(/\[.+\|.+\]/);

    expect(await items(conversations.fallback!)).toMatchObject([{ reason: 'fallback', text: 'xylophone' }]);
    expect(await items(conversations.handoff!)).toMatchObject([{ reason: 'handoff' }]);
    const [low] = await items(conversations.low!);
    expect(low).toMatchObject({ reason: 'low_confidence', text: 'where is my order' });
    expect(low!.confidence).toBeLessThan(0.7);
    expect(await items(conversations.fine!)).toEqual([]);
  }, 300_000);

  it('lists, labels, answers and ignores through the admin API (marketer yes, viewer no)', async () => {
    expect((await api('GET', '/review', keys.viewer)).status).toBe(403);
    const listed = (await (await api('GET', '/review?domain=customer', keys.marketer)).json()) as Array<{
      id: string;
      text: string;
      reason: string;
    }>;
    const byText = new Map(listed.map((i) => [i.text, i]));
    for (const text of ['asdkjh qwpoe', 'xylophone', 'where is my order', 'how many legs does a spider have'])
      expect(byText.has(text)).toBe(true);

    const fallback = byText.get('xylophone')!;
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
      text: 'xylophone',
      intent: 'product_search',
      source: 'review',
      labelledBy: `apikey:${keys.prefix}`,
    });
    expect(example.labelledAt).toBeInstanceOf(Date);
    // A second review of the same item, an unknown intent, a bad id: clear 4xx answers.
    const again = await api('POST', `/review/${fallback.id}/label`, keys.marketer, { intent: 'help' });
    expect(again.status).toBe(409);
    const unknown = await api('POST', `/review/${byText.get('asdkjh qwpoe')!.id}/label`, keys.marketer, {
      intent: 'teleport',
    });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({ code: 'REVIEW_UNKNOWN_INTENT' });
    expect((await api('POST', '/review/not-an-id/ignore', keys.marketer)).status).toBe(400);
    expect((await api('POST', `/review/${crypto.randomUUID()}/ignore`, keys.marketer)).status).toBe(404);

    const low = byText.get('where is my order')!;
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
      question: 'where is my order',
    });

    const dym = byText.get('how many legs does a spider have')!;
    expect(await (await api('POST', `/review/${dym.id}/ignore`, keys.marketer)).json()).toMatchObject({
      status: 'ignored',
    });
    // The retrain job reads the reviewed examples of the domain.
    expect(await server.services.review.reviewedExamples('customer')).toContainEqual({
      text: 'xylophone',
      intent: 'product_search',
    });
  }, 120_000);

  it('`mkt review list` and `mkt review label` work on the same queue', async () => {
    const env = { DATABASE_URL: databaseUrl, DATA_DIR: dataDir };
    const list = await runCli(['review', 'list', '--domain', 'customer', '--json'], env);
    expect(list.code).toBe(0);
    const open = JSON.parse(list.stdout) as Array<{ id: string; text: string; status: string }>;
    const oos = open.find((i) => i.text === 'asdkjh qwpoe');
    expect(oos?.status).toBe('open');
    const label = await runCli(['review', 'label', oos!.id, 'out_of_scope', '--by', 'ana'], env);
    expect(label.stdout).toContain('labelled "asdkjh qwpoe" as out_of_scope');
    expect(await server.db.prisma.nluExample.findFirst({ where: { reviewItemId: oos!.id } })).toMatchObject({
      intent: 'out_of_scope',
      labelledBy: 'ana',
    });
    const bad = await runCli(['review', 'ignore', oos!.id], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('already labelled');
  }, 120_000);

  it('erasing a customer erases their queued messages and the examples labelled from them', async () => {
    const conversation = await server.db.prisma.conversation.findFirstOrThrow({
      where: { externalId: conversations.oos! },
    });
    expect(await server.db.prisma.nluExample.count({ where: { text: 'asdkjh qwpoe' } })).toBe(1);
    await server.services.bots.privacy.forget(conversation.customerId!);
    expect(await items(conversations.oos!)).toEqual([]);
    expect(await server.db.prisma.reviewItem.count({ where: { text: 'asdkjh qwpoe' } })).toBe(0);
    expect(await server.db.prisma.nluExample.count({ where: { text: 'asdkjh qwpoe' } })).toBe(0);
  }, 60_000);
});
