// Impersonation: a visitor who knows a customer's web-chat user id and sends it to POST
// /tokens/generate gets an identity of their own, so "see my data", "continue my survey" and
// "forget me" reach nothing of the customer's. The customer, coming back with their cookie, is
// still themselves. Real server, NLU, dialog, surveys and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DirectLineConversation,
  HttpClient,
  itemNumber,
  type DlActivity,
} from '../platform/directline-client.js';
import { startChatServer, type ChatServer } from './chat-server.js';

let server: ChatServer;

beforeAll(async () => {
  server = await startChatServer('postgres');
}, 600_000); // a cold model cache on a loaded machine: training and seeding beside other servers

afterAll(async () => {
  await server?.close();
});

const tagOf = (a: DlActivity) => (a as DlActivity & { channelData?: { tag?: string } }).channelData?.tag;

/** Says `text` and waits for the first bot message after it that matches. */
async function ask(c: DirectLineConversation, text: string, match: (a: DlActivity) => boolean = () => true) {
  const from = c.botMessages().length;
  await c.say(text);
  return c.waitForBot(match, from, 30_000, 50);
}

async function customerOf(externalId: string) {
  return server.db.prisma.channelIdentity.findUnique({
    where: { channel_externalId: { channel: 'webchat', externalId } },
    include: { customer: { include: { sessions: { include: { answers: true } }, consents: true } } },
  });
}

describe('claiming another user id', () => {
  it("gets nothing of the victim's: not their data, not their survey, cannot delete them", async () => {
    const victim = new DirectLineConversation(new HttpClient(server.url), 'victim');
    await victim.open();
    await victim.connectStream();
    await victim.waitForBot(() => true, 0, 20_000, 50);
    await ask(
      victim,
      'I want to take the personality survey',
      (a) => tagOf(a)?.startsWith('survey') ?? false,
    );
    await ask(victim, 'I consent', (a) => itemNumber(a.text) === 1);
    await ask(victim, '4', (a) => itemNumber(a.text) === 2);
    await ask(victim, '2', (a) => itemNumber(a.text) === 3);
    const victimExport = await ask(victim, 'see my data', (a) => tagOf(a) === 'export');
    const before = await customerOf(victim.userId);
    expect(before?.customer.sessions[0]?.answers).toHaveLength(2);

    // The attacker knows the victim's id and sends it as the Direct Line user id.
    const http = new HttpClient(server.url);
    const claimed = await http.postJson('/v3/directline/tokens/generate', { user: { id: victim.userId } });
    expect(claimed.status).toBe(200);
    expect(claimed.json<{ userId: string }>().userId).not.toBe(victim.userId);
    const attacker = new DirectLineConversation(http, victim.userId);
    await attacker.open();
    expect(attacker.userId).not.toBe(victim.userId);
    await attacker.connectStream();
    await attacker.waitForBot(() => true, 0, 20_000, 50);

    const attackerExport = await ask(attacker, 'see my data', (a) => tagOf(a) === 'export');
    expect(victimExport.text).toContain(`customerId: ${before!.customerId}`);
    expect(victimExport.text).toContain('surveys: 1 record');
    expect(attackerExport.text).not.toContain(before!.customerId);
    expect(attackerExport.text).toContain('surveys: 0 records');
    await ask(attacker, 'forget me', (a) => tagOf(a) === 'confirm:forget');
    await ask(attacker, 'yes', (a) => tagOf(a) === 'forget');
    // Not the victim's item 3: a survey of their own from its start (the introduction).
    const resume = await ask(attacker, 'continue the survey');
    expect(tagOf(resume)).toBe('survey_start:mini-ipip-20');
    expect(itemNumber(resume.text)).toBeUndefined();

    // The victim's record, survey and answers are untouched; their own next answer lands on item 3.
    const after = await customerOf(victim.userId);
    expect(after?.customerId).toBe(before?.customerId);
    expect(after?.customer.sessions[0]?.answers.map((a) => a.value).sort()).toEqual([2, 4]);
    const next = await ask(victim, 'continue the survey', (a) => itemNumber(a.text) !== undefined);
    expect(itemNumber(next.text)).toBe(3);

    // The victim's browser (its cookie) gets the victim back in a new conversation.
    victim.closeStream();
    await victim.open();
    expect(victim.userId).toBe(before?.externalId);
    await victim.connectStream();
    await victim.waitForBot(() => true, 0, 20_000, 50);
    const again = await ask(victim, 'see my data', (a) => tagOf(a) === 'export');
    expect(again.text).toContain(`customerId: ${before!.customerId}`);
    victim.closeStream();
    attacker.closeStream();
    victim.http.close();
    http.close();
  }, 180_000);
});
