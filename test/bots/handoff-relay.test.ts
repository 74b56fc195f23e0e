// Live handoff over the real server wiring (one process): a web-chat customer asks for a person,
// the announcement is posted to the handoff channel of the local Slack Web API stand-in, signed
// Events API thread replies reach the customer's Direct Line conversation with the agent's name
// (once, whatever Slack retries), the customer's messages are posted in the thread with personal
// data masked, and Close or "back to the bot" gives the conversation back to the assistant. The
// announcement shows what a viewer may read; its Transcript button shows each member the whole
// conversation as their role may read it; App Homes opened before follow the queue live.
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaHandoffRepository } from '../../prisma/repositories/index.js';
import { registerHandoffMetrics } from '../../server/handoff/metrics.js';
import { DirectLineConversation, HttpClient, type DlActivity } from '../platform/directline-client.js';
import { startChatServer, type ChatServer } from './chat-server.js';
import { startFakeSlackApi, type FakeSlackApi, type RecordedCall } from './fake-slack-api.js';
import { SlackSender, until } from './slack-signing.js';

const SECRET = 'handoff-signing-secret';
const CHANNEL = 'CHANDOFF';
let fake: FakeSlackApi;
let server: ChatServer;
const slack = new SlackSender(SECRET);

beforeAll(async () => {
  fake = await startFakeSlackApi();
  server = await startChatServer('pglite', {
    SLACK_BOT_TOKEN: 'xoxb-handoff',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.url,
    SLACK_ALLOWED_TEAMS: 'T1',
    SLACK_ADMINS: 'T1:UAGENT',
    SLACK_HANDOFF_CHANNEL: CHANNEL,
  });
  await server.db.prisma.slackMember.createMany({
    data: [
      { teamId: 'T1', userId: 'UMKT', role: 'marketer' },
      { teamId: 'T1', userId: 'UVIEW', role: 'viewer' },
    ],
  });
}, 600_000); // a cold model cache on a loaded machine: training and seeding beside other servers

afterAll(async () => {
  await server?.close();
  await fake?.close();
});

const announcements = () =>
  fake.byMethod('chat.postMessage').filter((c) => c.args.channel === CHANNEL && !c.args.thread_ts);
const thread = (ts: string) =>
  fake
    .byMethod('chat.postMessage')
    .filter((c) => c.args.thread_ts === ts)
    .map((c) => String(c.args.text));
const updates = (ts: string) => fake.byMethod('chat.update').filter((c) => c.args.ts === ts);
// The App Home published to a member most recently, as text.
const homeOf = (user: string) =>
  JSON.stringify(
    fake
      .byMethod('views.publish')
      .filter((c) => c.args.user_id === user)
      .at(-1)?.args.view ?? null,
  );
// The transcript a member was shown (ephemeral), as text; the newest after `from` calls.
const transcriptShown = (user: string, from: number) =>
  fake
    .byMethod('chat.postEphemeral')
    .slice(from)
    .filter((c) => c.args.user === user)
    .map((c) => `${String(c.args.text)} ${JSON.stringify(c.args.blocks ?? [])}`)
    .at(-1);
const buttonValue = (call: RecordedCall, actionId: string): string | undefined =>
  (call.args.blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>)
    .flatMap((b) => b.elements ?? [])
    .find((e) => e.action_id === actionId)?.value;

function messages(conversation: DirectLineConversation, from: number): DlActivity[] {
  return conversation.activities
    .slice(from)
    .filter((a) => a.type === 'message' && a.from.id !== conversation.userId);
}

async function waitFor(
  conversation: DirectLineConversation,
  from: number,
  pattern: RegExp,
): Promise<DlActivity> {
  return until(
    async () => {
      await conversation.poll();
      return messages(conversation, from).find((a) => pattern.test(a.text ?? ''));
    },
    60_000,
    `a message matching ${pattern}`,
  );
}

async function customer(id: string): Promise<DirectLineConversation> {
  const c = new DirectLineConversation(new HttpClient(server.url), id);
  await c.open();
  return c;
}

describe('live handoff, one process', () => {
  it('announces, relays both ways exactly once, and Close gives the chat back to the assistant', async () => {
    // Two members open their App Home before anything happens; from then on it follows the queue.
    for (const user of ['UAGENT', 'UVIEW'])
      await slack.event(server.url, { type: 'app_home_opened', user, tab: 'home', channel: 'DHOME' });
    await until(() => homeOf('UAGENT').includes('No conversations waiting'), 60_000, 'first Home');
    const c = await customer('dl_handoff_one');
    let mark = c.activities.length;
    await c.say('I want to talk to a person');
    await waitFor(c, mark, /asked a colleague to join/);
    const announcement = await until(() => announcements()[0], 60_000, 'the announcement');
    const ts = announcementTs(announcement);
    expect(String(announcement.args.text)).toMatch(/^Handoff: anonymous webchat customer \(webchat\)/);
    // Everyone in the channel reads it, viewers too: no customer's words, a count and the button.
    const announced = JSON.stringify(announcement.args.blocks);
    expect(announced).not.toContain('talk to a person');
    expect(announced).toMatch(/\d+ messages? so far/);
    const handoffId = buttonValue(announcement, 'handoff_close')!;
    expect(buttonValue(announcement, 'handoff_claim')).toBe(handoffId);
    expect(buttonValue(announcement, 'handoff_transcript')).toBe(handoffId);
    await until(
      () => /#1 anonymous webchat customer \(webchat\) · \*waiting\*/.test(homeOf('UAGENT')),
      60_000,
      'Home: waiting',
    );
    await until(() => homeOf('UVIEW').includes('*waiting*'), 60_000, "the viewer's Home");

    // The agent answers in the thread; Slack retries the same event and sends it twice.
    mark = c.activities.length;
    const inner = {
      type: 'message',
      channel: CHANNEL,
      user: 'UAGENT',
      text: 'Hi, I am here to help.',
      ts: '1700000001.000100',
      thread_ts: ts,
    };
    const first = await slack.event(server.url, inner);
    expect(first.response.status).toBe(200);
    const reply = await waitFor(c, mark, /I am here to help/);
    expect(reply.text).toBe('**Agent UAGENT**: Hi, I am here to help.');
    await slack.event(server.url, inner, { eventId: first.eventId, retry: 1 });
    await slack.event(server.url, inner); // same message, another event id
    await waitFor(c, mark, /Agent UAGENT from our team has joined/);
    await until(
      () => updates(ts).some((u) => JSON.stringify(u.args.blocks).includes('Claimed by <@UAGENT>')),
      60_000,
      'claimed update',
    );

    // The marketers' queue: `/mkt handoffs` and the App Home show who, how long, who has it, the thread;
    // the Home opened before the claim shows it without being reopened.
    await slack.command(server.url, 'UAGENT', 'CQUEUE', 'handoffs');
    const listed = await until(
      () => fake.byMethod('chat.postMessage').find((p) => p.args.channel === 'CQUEUE'),
      60_000,
      '/mkt handoffs answer',
    );
    const queue = JSON.stringify(listed.args.blocks);
    expect(queue).toMatch(/#1 anonymous webchat customer \(webchat\) · claimed by <@UAGENT> · \d+ min/);
    expect(queue).toContain(`https://slack.com/archives/${CHANNEL}/p${ts.replace('.', '')}|thread`);
    expect(queue).toContain('Last 7 days: 1 handoff · resolved n/a · first agent reply');
    await until(() => homeOf('UAGENT').includes('claimed by <@UAGENT>'), 60_000, 'Home: claimed');
    await new Promise((r) => setTimeout(r, 500));
    await c.poll();
    expect(messages(c, mark).filter((a) => /I am here to help/.test(a.text ?? ''))).toHaveLength(1);

    // The customer's answers go into the thread (masked), and the assistant stays quiet, except to
    // ask before it lets the team use an e-mail address.
    mark = c.activities.length;
    await c.say('Where is my parcel?');
    await until(() => thread(ts).includes('Customer: Where is my parcel?'), 60_000, 'first answer in thread');
    await new Promise((r) => setTimeout(r, 300));
    await c.poll();
    expect(messages(c, mark)).toHaveLength(0);
    await c.say('My order is 1234, write to jo@example.com');
    await until(
      () => thread(ts).find((t) => t.startsWith('Customer: My order is 1234')),
      60_000,
      'customer message in thread',
    );
    const relayed = thread(ts).find((t) => t.startsWith('Customer: My order is 1234'))!;
    expect(relayed).not.toContain('jo@example.com');
    await waitFor(c, mark, /May our team e-mail you/);
    expect(messages(c, mark)).toHaveLength(1);

    // The Transcript button, clicked by each role: the admin reads the customer's words in clear,
    // the marketer with the e-mail masked, the viewer and a stranger nothing.
    const shownFrom = fake.byMethod('chat.postEphemeral').length;
    for (const user of ['UAGENT', 'UMKT', 'UVIEW', 'UNOBODY'])
      expect((await slack.click(server.url, user, CHANNEL, 'handoff_transcript', handoffId)).status).toBe(
        200,
      );
    const admin = await until(() => transcriptShown('UAGENT', shownFrom), 60_000, "the admin's transcript");
    expect(admin).toContain('Customer: My order is 1234, write to jo@example.com');
    expect(admin).toContain('Customer: I want to talk to a person');
    expect(admin).toContain('Agent UAGENT (team): Hi, I am here to help.');
    expect(admin).toContain('in full (admin)');
    const marketer = await until(
      () => transcriptShown('UMKT', shownFrom),
      60_000,
      "the marketer's transcript",
    );
    expect(marketer).toContain('Customer: My order is 1234, write to [EMAIL]');
    expect(marketer).not.toContain('jo@example.com');
    for (const user of ['UVIEW', 'UNOBODY']) {
      const refused = await until(() => transcriptShown(user, shownFrom), 60_000, `${user}'s answer`);
      expect(refused).toContain("does not include reading customers' conversations");
      expect(refused).not.toMatch(/parcel|1234|jo@example/);
    }
    // Every request is in the audit trail with what the member was shown.
    const audited = await server.db.prisma.auditLog.findMany({
      where: { action: 'handoff.transcript', target: `handoff:${handoffId}` },
    });
    expect(Object.fromEntries(audited.map((a) => [a.actor, (a.detail as { view: string }).view]))).toEqual({
      'slack:T1:UAGENT': 'clear',
      'slack:T1:UMKT': 'masked',
      'slack:T1:UVIEW': 'hidden',
      'slack:T1:UNOBODY': 'hidden',
    });

    // Someone without a role writes in the thread: nothing reaches the customer, they are told.
    await slack.event(server.url, {
      type: 'message',
      channel: CHANNEL,
      user: 'UNOBODY',
      text: 'psst',
      ts: '1700000002.000100',
      thread_ts: ts,
    });
    await until(
      () => fake.byMethod('chat.postEphemeral').find((e) => e.args.user === 'UNOBODY'),
      60_000,
      'refusal',
    );

    // Close: the customer is told the assistant is back (with the CSAT offer) and it answers again.
    mark = c.activities.length;
    expect((await slack.click(server.url, 'UAGENT', CHANNEL, 'handoff_close', handoffId)).status).toBe(200);
    const back = await waitFor(c, mark, /I'm back/);
    expect(back.suggestedActions?.actions.map((a) => a.title)).toContain('Rate this chat');
    await until(
      () => updates(ts).some((u) => JSON.stringify(u.args.blocks).includes('Closed by <@UAGENT>')),
      60_000,
      'closed update',
    );
    await until(() => homeOf('UAGENT').includes('No conversations waiting'), 60_000, 'Home: closed');
    expect(messages(c, 0).some((a) => /psst/.test(a.text ?? ''))).toBe(false);
    // Prometheus figures, read from the database: one handoff today, answered before the close.
    const registry = new Registry();
    const repo = new PrismaHandoffRepository(server.db.prisma, { encrypt: (t) => t, decrypt: (t) => t });
    registerHandoffMetrics(registry, (since) => repo.stats(since));
    const scraped = await registry.metrics();
    expect(scraped).toContain('mkt_handoffs_opened_last_day 1');
    expect(scraped).toContain('mkt_handoffs_resolved_share_7d 1');
    expect(scraped).toContain('mkt_handoffs_active{state="claimed"} 0');
    mark = c.activities.length;
    await c.say('I need a warm jacket under 100');
    await waitFor(c, mark, /Here is what I found/);
    // An agent message after the close is refused, not relayed.
    await slack.event(server.url, {
      type: 'message',
      channel: CHANNEL,
      user: 'UAGENT',
      text: 'one more thing',
      ts: '1700000003.000100',
      thread_ts: ts,
    });
    await until(
      () =>
        fake.byMethod('chat.postEphemeral').find((e) => String(e.args.text).includes('handoff is closed')),
      60_000,
      'closed refusal',
    );
  });

  it('the customer keeps control: "back to the bot" and "forget me" during a handoff', async () => {
    const c = await customer('dl_handoff_two');
    let mark = c.activities.length;
    const before = announcements().length;
    await c.say('connect me to a human');
    await waitFor(c, mark, /asked a colleague to join/);
    const ts = announcementTs(await until(() => announcements()[before], 60_000, 'announcement'));
    mark = c.activities.length;
    await c.say('back to the bot');
    await waitFor(c, mark, /OK, I'm back/);
    await until(
      () => thread(ts).includes('The customer went back to the assistant.'),
      60_000,
      'thread notice',
    );
    await until(
      () => updates(ts).some((u) => JSON.stringify(u.args.blocks).includes('customer went back')),
      60_000,
      'update',
    );

    // A second handoff; "forget me" asks first and deletes only on yes.
    mark = c.activities.length;
    await c.say('I want to speak to a person');
    await waitFor(c, mark, /asked a colleague to join/);
    const ts2 = announcementTs(await until(() => announcements()[before + 1], 60_000, 'second announcement'));
    mark = c.activities.length;
    await c.say('forget me');
    await waitFor(c, mark, /deletes everything/);
    mark = c.activities.length;
    await c.say('yes');
    await waitFor(c, mark, /Everything we stored about you has been deleted/);
    await until(() => thread(ts2).some((t) => t.includes('delete their data')), 60_000, 'deletion notice');
    const left = await server.db.prisma.handoff.count({ where: { slackTs: ts2 } });
    expect(left).toBe(0);
  });
});

describe('an agent message Slack delivers while storing it fails', () => {
  it("is answered 500, not marked seen, and stored and relayed once by Slack's retry", async () => {
    const c = await customer('dl_handoff_retry');
    let mark = c.activities.length;
    const before = announcements().length;
    await c.say('I want to talk to a person');
    await waitFor(c, mark, /asked a colleague to join/);
    const ts = announcementTs(await until(() => announcements()[before], 60_000, 'announcement'));
    const inner = {
      type: 'message',
      channel: CHANNEL,
      user: 'UAGENT',
      text: 'Sorry for the wait, checking now.',
      ts: '1700000400.000100',
      thread_ts: ts,
    };
    // The database refuses agent messages (as an outage between the event's claim and the store).
    await server.db.prisma.$executeRawUnsafe(
      `ALTER TABLE "HandoffMessage" ADD CONSTRAINT refuse_agent CHECK (direction <> 'agent') NOT VALID`,
    );
    mark = c.activities.length;
    let first;
    try {
      first = await slack.event(server.url, inner);
    } finally {
      await server.db.prisma.$executeRawUnsafe(`ALTER TABLE "HandoffMessage" DROP CONSTRAINT refuse_agent`);
    }
    expect(first.response.status).toBe(500);
    expect(await server.db.prisma.processedEvent.count({ where: { key: `slack:${first.eventId}` } })).toBe(0);
    await c.poll();
    expect(messages(c, mark).some((a) => /checking now/.test(a.text ?? ''))).toBe(false);

    // Slack retries the same event: stored, relayed, and marked done; a further retry is skipped.
    const retry = await slack.event(server.url, inner, { eventId: first.eventId, retry: 1 });
    expect(retry.response.status).toBe(200);
    await waitFor(c, mark, /checking now/);
    const done = await server.db.prisma.processedEvent.findUnique({
      where: { key: `slack:${first.eventId}` },
    });
    expect(done?.doneAt).toBeInstanceOf(Date);
    await slack.event(server.url, inner, { eventId: first.eventId, retry: 2 });
    await new Promise((r) => setTimeout(r, 300));
    await c.poll();
    expect(messages(c, mark).filter((a) => /checking now/.test(a.text ?? ''))).toHaveLength(1);
    const stored = await server.db.prisma.handoffMessage.count({
      where: { direction: 'agent', eventKey: `slack:${inner.ts}` },
    });
    expect(stored).toBe(1);
  });
});

describe('live handoff for a customer in a Slack DM', () => {
  it("the agent's thread reply is posted to the customer's DM with their name", async () => {
    const before = announcements().length;
    await slack.event(server.url, {
      type: 'message',
      channel_type: 'im',
      user: 'UCUSTOMER',
      text: 'I want to talk to a person',
      channel: 'DCUSTOMER',
      ts: '1700000500.000100',
    });
    const ts = announcementTs(await until(() => announcements()[before], 60_000, 'announcement'));
    expect(String(announcements()[before]!.args.text)).toContain('(slack)');
    await slack.event(server.url, {
      type: 'message',
      channel: CHANNEL,
      user: 'UAGENT',
      text: 'Hi from the team',
      ts: '1700000501.000100',
      thread_ts: ts,
    });
    await until(
      () =>
        fake
          .byMethod('chat.postMessage')
          .find((c) => c.args.channel === 'DCUSTOMER' && c.args.text === '*Agent UAGENT*: Hi from the team'),
      60_000,
      'the reply in the DM',
    );
  });
});

describe('Slack delivery that cannot vanish', () => {
  it('a refused answer goes to the asking member by DM with the reason, or is shown through response_url', async () => {
    const respondAt = `${fake.url.replace(/\/api\/$/, '')}/respond/refused`;
    for (const channel of ['CNOTIN', 'CGONE']) await slack.command(server.url, 'UAGENT', channel, 'handoffs');
    const dms = await until(
      () => {
        const found = fake.byMethod('chat.postMessage').filter((c) => c.args.channel === 'UAGENT');
        return found.length >= 2 && found;
      },
      60_000,
      'the DMs',
    );
    const texts = dms.map((d) => String(d.args.text));
    expect(
      texts.some((t) => t.startsWith("I couldn't post in <#CNOTIN> (not_in_channel); invite me there")),
    ).toBe(true);
    expect(texts.some((t) => t.startsWith("I couldn't post in <#CGONE> (channel_not_found)"))).toBe(true);
    expect(texts.every((t) => /waiting for a person/.test(t))).toBe(true);

    await slack.command(server.url, 'UAGENT', 'CREFUSED', 'handoffs', respondAt);
    const told = await until(
      () => fake.calls.find((c) => c.method === '/respond/refused'),
      60_000,
      'response_url',
    );
    expect(told.args).toMatchObject({ response_type: 'ephemeral' });
    expect(String(told.args.text)).toContain('Slack refused my answer (restricted_action)');
  });
});

function announcementTs(call: RecordedCall): string {
  return String(call.result?.ts ?? '');
}
