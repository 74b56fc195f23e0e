// A resent answer in a survey: the client posts item 1's answer twice with the same
// channelData.clientActivityID (a timeout, a reconnect). One answer is stored, the bot asks item 2
// once, and the retry does not answer item 2. Real dialog, surveys and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, itemNumber, openAtFirstSurveyItem } from '../platform/directline-client.js';
import { startChatServer, type ChatServer } from './chat-server.js';

let server: ChatServer;

beforeAll(async () => {
  server = await startChatServer('postgres');
}, 600_000); // a cold model cache on a loaded machine: training and seeding beside other servers

afterAll(async () => {
  await server?.close();
});

describe('a resent survey answer', () => {
  it('is stored once and answered once', async () => {
    const http = new HttpClient(server.url);
    const c = await openAtFirstSurveyItem(http, 'retrier');

    const from = c.botMessages().length;
    const answer = () =>
      http.postJson(
        `/v3/directline/conversations/${c.conversationId}/activities`,
        { type: 'message', from: { id: 'x' }, text: '4', channelData: { clientActivityID: 'answer-1' } },
        c.token,
      );
    const first = await answer();
    const again = await answer();
    expect(again.json<{ id: string }>().id).toBe(first.json<{ id: string }>().id);
    await c.waitForBot((a) => itemNumber(a.text) === 2, from, 30_000, 50);
    // A later, different message shows the turn queue has drained past any second answer.
    await c.say('5');
    await c.waitForBot((a) => itemNumber(a.text) === 3, from, 30_000, 50);
    const asked = c
      .botMessages()
      .slice(from)
      .map((a) => itemNumber(a.text))
      .filter((n) => n !== undefined);
    expect(asked).toEqual([2, 3]);
    const identity = await server.db.prisma.channelIdentity.findUnique({
      where: { channel_externalId: { channel: 'webchat', externalId: c.userId } },
      include: { customer: { include: { sessions: { include: { answers: true } } } } },
    });
    expect(identity!.customer.sessions[0]!.answers.map((a) => a.value).sort()).toEqual([4, 5]);
    const stored = await server.db.prisma.message.count({
      where: { direction: 'user', conversation: { externalId: c.conversationId } },
    });
    expect(stored).toBe(4);
    c.closeStream();
    http.close();
  }, 120_000);
});
