// A survey answer whose turn the database left half-written, resent by the client with the same
// channelData.clientActivityID. Two chat servers share one real PostgreSQL; server A reaches it
// through a TCP proxy the test cuts between a turn's statements:
//   - before the turn's commit (message and survey answer stored, reply not): the resend, to
//     server B, stores no second message and no second answer, and B stores and sends the reply
//     (the next item) once; a later resend of it to A does nothing;
//   - right after the message was stored (nothing else done): the resend, to A once the database
//     is back, takes the answer once and replies with the next item.
// The same holds for every other write a turn makes (each keyed by the turn): an "Add to basket"
// cut before the commit records its interaction once, a survey consent cut between the consent
// record and the session update records that consent once, a request for a person cut before
// the commit opens one handoff and is answered as a request (not relayed to that handoff), and a
// shop question cut before the commit is logged once for the help centre's unanswered list.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../prisma/index.js';
import type { SqlStatementRunner } from '../../prisma/repositories/index.js';
import {
  DirectLineConversation,
  HttpClient,
  itemNumber,
  openAtFirstSurveyItem,
  type HttpResult,
} from '../platform/directline-client.js';
import { TcpProxy } from '../platform/tcp-proxy.js';
import { startChatServer, type ChatServer } from './chat-server.js';

let proxy: TcpProxy;
let a: ChatServer;
let b: ChatServer;
/** Where server A's database link is cut next (once). */
let cutAt: 'after-begin' | 'before-commit' | 'after-consent' | undefined;

// Cuts A's link to the database at a chosen point of the next turn (A's turn statements only).
const cutting =
  (run: SqlStatementRunner): SqlStatementRunner =>
  async <R>(statement: { name: string; text: string }, values: readonly unknown[]): Promise<R[]> => {
    if (cutAt === 'before-commit' && statement.name.startsWith('bots_commit_turn')) {
      cutAt = undefined;
      proxy.cut('reset');
    }
    const rows = await run<R>(statement, values);
    if (cutAt === 'after-begin' && statement.name.startsWith('bots_begin_turn')) {
      cutAt = undefined;
      proxy.cut('reset');
    }
    return rows;
  };

// Cuts A's link right after one of its writes records a consent (Prisma's or raw SQL).
const cuttingPrisma = (prisma: PrismaClient): PrismaClient =>
  prisma.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        const result = await query(args);
        const consent =
          (model === 'Consent' && operation.startsWith('create')) ||
          (!model && JSON.stringify(args).includes('INSERT INTO \\"Consent\\"'));
        if (cutAt === 'after-consent' && consent) {
          cutAt = undefined;
          proxy.cut('reset');
        }
        return result;
      },
    },
  }) as unknown as PrismaClient;

beforeAll(async () => {
  proxy = await TcpProxy.start();
  // Both servers sign tokens with one secret, so the client can resend to either (a failover).
  const env = { TOKEN_SECRET: randomBytes(24).toString('hex') };
  a = await startChatServer('postgres', env, {
    reach: (url) => {
      const viaProxy = new URL(url);
      viaProxy.host = `127.0.0.1:${proxy.port}`;
      return viaProxy.toString();
    },
    wrapStatements: cutting,
    wrapPrisma: cuttingPrisma,
  });
  b = await startChatServer('postgres', env, { shareDatabaseOf: a });
}, 600_000); // two chat servers; one alone took over 240 s at load 25 with the model cache cold

afterAll(async () => {
  await b?.close();
  await a?.close();
  await proxy?.close();
});

/**
 * Posts the activity to server A once the cut set in `cutAt` has happened in its turn: while A still
 * refuses messages after an earlier cut (503 until its probe reaches the database), the turn never
 * ran, so the post is repeated. Returns A's answer to the turn that was cut.
 */
async function postCut(c: DirectLineConversation, activity: Record<string, unknown>): Promise<HttpResult> {
  const http = new HttpClient(a.url);
  const deadline = Date.now() + 20_000;
  try {
    for (;;) {
      const res = await http.postJson(
        `/v3/directline/conversations/${c.conversationId}/activities`,
        { type: 'message', from: { id: 'x' }, ...activity },
        c.token,
        30_000,
      );
      if (res.status !== 503 || cutAt === undefined || Date.now() > deadline) return res;
      await new Promise((ok) => setTimeout(ok, 200));
    }
  } finally {
    http.close();
  }
}

/** Posts the activity as Web Chat resends it: again while the server answers 503 (up to 20 s). */
async function post(
  http: HttpClient,
  c: DirectLineConversation,
  text: string,
  clientId: string,
  value?: unknown,
): Promise<HttpResult> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await http.postJson(
      `/v3/directline/conversations/${c.conversationId}/activities`,
      { type: 'message', from: { id: 'x' }, text, value, channelData: { clientActivityID: clientId } },
      c.token,
      30_000,
    );
    if (res.status !== 503 || Date.now() > deadline) return res;
    await new Promise((ok) => setTimeout(ok, 200));
  }
}

/** What the database holds for the conversation: messages (opened), answers, answered flags. */
async function stored(conversationId: string) {
  const { prisma } = a.db;
  const messages = await prisma.message.findMany({
    where: { conversation: { externalId: conversationId } },
    orderBy: { createdAt: 'asc' },
  });
  const conversation = await prisma.conversation.findFirstOrThrow({
    where: { externalId: conversationId },
    include: { customer: { include: { sessions: { include: { answers: true } } } } },
  });
  return {
    user: messages
      .filter((m) => m.direction === 'user')
      .map((m) => ({
        key: m.activityId,
        text: a.cipher.decrypt(m.text, 'Message.text'),
        answered: !!m.answeredAt,
      })),
    botItems: messages
      .filter((m) => m.direction === 'bot')
      .map((m) => itemNumber(a.cipher.decrypt(m.text, 'Message.text')) ?? null),
    answers: conversation
      .customer!.sessions.flatMap((s) => s.answers)
      .sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime())
      .map((x) => [x.itemId, x.value]),
  };
}

describe('a resent message whose turn the database left half-written', () => {
  it('is stored once, answers its survey item once, and gets one reply, on either server', async () => {
    const httpA = new HttpClient(a.url);
    const httpB = new HttpClient(b.url);
    const c = await openAtFirstSurveyItem(httpA, 'half-written');
    const before = await stored(c.conversationId);
    expect(before.answers).toEqual([]);

    // 1. The database goes away before the commit: message and answer stored, no reply.
    cutAt = 'before-commit';
    const refused = await httpA.postJson(
      `/v3/directline/conversations/${c.conversationId}/activities`,
      { type: 'message', from: { id: 'x' }, text: '4', channelData: { clientActivityID: 'answer-1' } },
      c.token,
      30_000,
    );
    expect(refused.status).toBe(503);
    proxy.restore();
    const half = await stored(c.conversationId);
    expect(half.user.at(-1)).toEqual({ key: 'client:answer-1', text: '4', answered: false });
    expect(half.answers).toHaveLength(1);
    expect(half.botItems).toEqual(before.botItems);

    // The client resends it to server B (a failover): B finishes the turn.
    const onB = await post(httpB, c, '4', 'answer-1');
    expect(onB.status).toBe(200);
    const viewB = new DirectLineConversation(httpB, c.userId);
    viewB.conversationId = c.conversationId;
    viewB.token = c.token;
    await viewB.poll();
    expect(viewB.botMessages().map((m) => itemNumber(m.text))).toEqual([2]);
    const finished = await stored(c.conversationId);
    expect(finished.user.filter((m) => m.key === 'client:answer-1')).toEqual([
      { key: 'client:answer-1', text: '4', answered: true },
    ]);
    expect(finished.answers).toEqual(half.answers);
    expect(finished.botItems).toEqual([...before.botItems, 2]);

    // A late resend of the same message to A (its database back) stores and answers nothing more.
    const late = await post(httpA, c, '4', 'answer-1');
    expect(late.status).toBe(200);
    expect(await stored(c.conversationId)).toEqual(finished);

    // 2. The database goes away right after the message is stored: nothing else happened.
    cutAt = 'after-begin';
    const from = c.botMessages().length;
    const refusedAgain = await httpA.postJson(
      `/v3/directline/conversations/${c.conversationId}/activities`,
      { type: 'message', from: { id: 'x' }, text: '5', channelData: { clientActivityID: 'answer-2' } },
      c.token,
      30_000,
    );
    expect(refusedAgain.status).toBe(503);
    proxy.restore();
    const stub = await stored(c.conversationId);
    expect(stub.user.at(-1)).toEqual({ key: 'client:answer-2', text: '5', answered: false });
    expect(stub.answers).toEqual(finished.answers);

    // The resend, to A once its database is back, takes the answer once and asks item 3.
    expect((await post(httpA, c, '5', 'answer-2')).status).toBe(200);
    await c.waitForBot((m) => itemNumber(m.text) === 3, from, 30_000, 50);
    const after = await stored(c.conversationId);
    expect(after.user.map((m) => m.key)).toEqual([...finished.user.map((m) => m.key), 'client:answer-2']);
    expect(after.user.every((m) => m.answered)).toBe(true);
    expect(after.answers.map(([, value]) => value)).toEqual([4, 5]);
    expect(after.botItems).toEqual([...finished.botItems, 3]);
    expect(
      c
        .botMessages()
        .slice(from)
        .map((m) => itemNumber(m.text)),
    ).toEqual([3]);
    c.closeStream();
    httpA.close();
    httpB.close();
  }, 180_000);

  it('records an "Add to basket" once when its turn was cut before the commit', async () => {
    const httpA = new HttpClient(a.url);
    const httpB = new HttpClient(b.url);
    const c = new DirectLineConversation(httpA, 'basket');
    await c.open();
    await c.connectStream();
    await c.waitForBot(() => true, 0, 20_000, 50);
    const product = await a.db.prisma.product.findFirstOrThrow({ orderBy: { sku: 'asc' } });
    const press = { a: 'basket', sku: product.sku };
    const carts = async () => {
      const { customerId } = await a.db.prisma.conversation.findFirstOrThrow({
        where: { externalId: c.conversationId },
      });
      return a.db.prisma.interaction.findMany({ where: { customerId: customerId!, kind: 'cart' } });
    };

    // The database goes away before the commit: the interaction is stored, the reply is not.
    cutAt = 'before-commit';
    const refused = await postCut(c, {
      text: 'Add to basket',
      value: press,
      channelData: { clientActivityID: 'basket-1' },
    });
    expect(refused.status).toBe(503);
    proxy.restore();
    expect(await carts()).toHaveLength(1);

    // The resend, to B, finishes the turn: one reply, still one interaction.
    const from = c.botMessages().length;
    expect((await post(httpB, c, 'Add to basket', 'basket-1', press)).status).toBe(200);
    const viewB = new DirectLineConversation(httpB, c.userId);
    viewB.conversationId = c.conversationId;
    viewB.token = c.token;
    await viewB.poll();
    expect(viewB.botMessages().map((m) => m.text)).toEqual([`Added ${product.name} to your basket.`]);
    const once = await carts();
    expect(once.map((i) => i.productId)).toEqual([product.id]);

    // A late resend to A records nothing more; pressing the button again (a new message) does.
    expect((await post(httpA, c, 'Add to basket', 'basket-1', press)).status).toBe(200);
    expect(await carts()).toEqual(once);
    expect((await post(httpA, c, 'Add to basket', 'basket-2', press)).status).toBe(200);
    await c.waitForBot((m) => m.text === `Added ${product.name} to your basket.`, from, 30_000, 50);
    expect(await carts()).toHaveLength(2);
    c.closeStream();
    httpA.close();
    httpB.close();
  }, 180_000);

  it('records a survey consent once when its turn was cut before the session update', async () => {
    const httpA = new HttpClient(a.url);
    const httpB = new HttpClient(b.url);
    const c = new DirectLineConversation(httpA, 'consent');
    await c.open();
    await c.connectStream();
    await c.waitForBot(() => true, 0, 20_000, 50);
    let from = c.botMessages().length;
    // Through `post`: server A may still refuse new messages after the previous cut.
    expect((await post(httpA, c, 'I want to take the personality survey', 'start-survey')).status).toBe(200);
    await c.waitForBot(() => true, from, 30_000, 50);
    const consents = async () => {
      const { customerId } = await a.db.prisma.conversation.findFirstOrThrow({
        where: { externalId: c.conversationId },
      });
      return a.db.prisma.consent.findMany({
        where: { customerId: customerId!, purpose: { startsWith: 'survey:' } },
        select: { purpose: true, granted: true, revokedAt: true },
      });
    };
    expect(await consents()).toEqual([]);

    // The database goes away right after the consent is recorded, before the session says so.
    cutAt = 'after-consent';
    const refused = await postCut(c, {
      text: 'I consent',
      channelData: { clientActivityID: 'consent-1' },
    });
    expect(refused.status).toBe(503);
    proxy.restore();
    const half = await consents();
    expect(half).toEqual([{ purpose: expect.stringMatching(/^survey:/), granted: true, revokedAt: null }]);

    // The resend, to B, finishes the turn: the first item is asked, the consent is recorded once.
    from = c.botMessages().length;
    expect((await post(httpB, c, 'I consent', 'consent-1')).status).toBe(200);
    const viewB = new DirectLineConversation(httpB, c.userId);
    viewB.conversationId = c.conversationId;
    viewB.token = c.token;
    await viewB.poll();
    expect(viewB.botMessages().map((m) => itemNumber(m.text))).toEqual([1]);
    expect(await consents()).toEqual(half);

    // A late resend to A changes nothing; the survey goes on from item 1.
    expect((await post(httpA, c, 'I consent', 'consent-1')).status).toBe(200);
    expect(await consents()).toEqual(half);
    expect((await post(httpA, c, '4', 'answer-after-consent')).status).toBe(200);
    await c.waitForBot((m) => itemNumber(m.text) === 2, from, 30_000, 50);
    c.closeStream();
    httpA.close();
    httpB.close();
  }, 180_000);

  it('opens one handoff for a request for a person cut before the commit, and answers it', async () => {
    const httpA = new HttpClient(a.url);
    const httpB = new HttpClient(b.url);
    const c = new DirectLineConversation(httpA, 'handoff');
    await c.open();
    await c.connectStream();
    await c.waitForBot(() => true, 0, 20_000, 50);
    const press = { a: 'intent', intent: 'handoff', text: 'Talk to a person' };
    const handoffs = async () => {
      const { id } = await a.db.prisma.conversation.findFirstOrThrow({
        where: { externalId: c.conversationId },
      });
      return a.db.prisma.handoff.findMany({
        where: { conversationId: id },
        select: { id: true, status: true },
      });
    };

    cutAt = 'before-commit';
    const refused = await postCut(c, {
      text: 'Talk to a person',
      value: press,
      channelData: { clientActivityID: 'person-1' },
    });
    expect(refused.status).toBe(503);
    proxy.restore();
    const half = await handoffs();
    expect(half.map((h) => h.status)).toEqual(['open']);

    // The resend, to B, gets the handoff's answer; still one handoff.
    expect((await post(httpB, c, 'Talk to a person', 'person-1', press)).status).toBe(200);
    const viewB = new DirectLineConversation(httpB, c.userId);
    viewB.conversationId = c.conversationId;
    viewB.token = c.token;
    await viewB.poll();
    expect(viewB.botMessages()).toHaveLength(1);
    expect(viewB.botMessages()[0]!.text).toMatch(/passed your request to our team/);
    expect(await handoffs()).toEqual(half);
    c.closeStream();
    httpA.close();
    httpB.close();
  }, 180_000);

  it('logs a shop question once when its turn was cut before the commit', async () => {
    const httpA = new HttpClient(a.url);
    const httpB = new HttpClient(b.url);
    const c = new DirectLineConversation(httpA, 'shop-question');
    await c.open();
    await c.connectStream();
    await c.waitForBot(() => true, 0, 20_000, 50);
    // A question of its own, so the count is this conversation's.
    const island = c.conversationId.slice(0, 8).replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);
    const question = `How long does delivery to island ${island} take?`;
    const press = { a: 'intent', intent: 'shop_policy', text: question };
    const logged = () => a.db.prisma.kbQuestion.count({ where: { text: question } });

    cutAt = 'before-commit';
    const refused = await postCut(c, {
      text: question,
      value: press,
      channelData: { clientActivityID: 'ask-1' },
    });
    expect(refused.status).toBe(503);
    proxy.restore();
    expect(await logged()).toBe(1);

    // The resend, to B, answers it; the question is still logged once, and a late resend to A adds nothing.
    expect((await post(httpB, c, question, 'ask-1', press)).status).toBe(200);
    const viewB = new DirectLineConversation(httpB, c.userId);
    viewB.conversationId = c.conversationId;
    viewB.token = c.token;
    await viewB.poll();
    expect(viewB.botMessages().length).toBeGreaterThan(0);
    expect(await logged()).toBe(1);
    expect((await post(httpA, c, question, 'ask-1', press)).status).toBe(200);
    expect(await logged()).toBe(1);
    c.closeStream();
    httpA.close();
    httpB.close();
  }, 180_000);
});
