// A survey answer whose turn the database left half-written, resent by the client with the same
// channelData.clientActivityID. Two chat servers share one real PostgreSQL; server A reaches it
// through a TCP proxy the test cuts between a turn's statements:
//   - before the turn's commit (message and survey answer stored, reply not): the resend, to
//     server B, stores no second message and no second answer, and B stores and sends the reply
//     (the next item) once; a later resend of it to A does nothing;
//   - right after the message was stored (nothing else done): the resend, to A once the database
//     is back, takes the answer once and replies with the next item.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
let cutAt: 'after-begin' | 'before-commit' | undefined;

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
  });
  b = await startChatServer('postgres', env, { shareDatabaseOf: a });
}, 240_000);

afterAll(async () => {
  await b?.close();
  await a?.close();
  await proxy?.close();
});

/** Posts the activity as Web Chat resends it: again while the server answers 503 (up to 20 s). */
async function post(
  http: HttpClient,
  c: DirectLineConversation,
  text: string,
  clientId: string,
): Promise<HttpResult> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await http.postJson(
      `/v3/directline/conversations/${c.conversationId}/activities`,
      { type: 'message', from: { id: 'x' }, text, channelData: { clientActivityID: clientId } },
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
});
