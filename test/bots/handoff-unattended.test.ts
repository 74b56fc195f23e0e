// Live handoff with nobody in: outside HANDOFF_HOURS the customer is told when the team is in and
// may leave a message and an e-mail address (consent asked and recorded), which goes to the thread;
// past HANDOFF_WAIT_MINUTES an unclaimed handoff tells the customer the same, once. Real server
// wiring, signed Slack requests, the local Slack Web API stand-in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectLineConversation, HttpClient, type DlActivity } from '../platform/directline-client.js';
import { startChatServer, type ChatServer } from './chat-server.js';
import { startFakeSlackApi, type FakeSlackApi } from './fake-slack-api.js';
import { until } from './slack-signing.js';

const CHANNEL = 'CHANDOFFOFF';
// A one-hour window that is certainly not now (UTC).
const hour = new Date().getUTCHours();
const HOURS = `Mon-Sun ${hour < 12 ? '15:00-16:00' : '03:00-04:00'} UTC`;
let fake: FakeSlackApi;
let server: ChatServer;

beforeAll(async () => {
  fake = await startFakeSlackApi();
  server = await startChatServer('pglite', {
    SLACK_BOT_TOKEN: 'xoxb-off',
    SLACK_SIGNING_SECRET: 'off-secret',
    SLACK_API_URL: fake.url,
    SLACK_ALLOWED_TEAMS: 'T1',
    SLACK_HANDOFF_CHANNEL: CHANNEL,
    HANDOFF_HOURS: HOURS,
    // 1.2 s, so the sweep (every 5 s) finds the handoff overdue at once.
    HANDOFF_WAIT_MINUTES: '0.02',
  });
}, 600_000); // a cold model cache on a loaded machine: training and seeding beside other servers

afterAll(async () => {
  await server?.close();
  await fake?.close();
});

const others = (c: DirectLineConversation, from = 0): DlActivity[] =>
  c.activities.slice(from).filter((a) => a.type === 'message' && a.from.id !== c.userId);
async function waitFor(c: DirectLineConversation, from: number, pattern: RegExp): Promise<DlActivity> {
  return until(
    async () => {
      await c.poll();
      return others(c, from).find((a) => pattern.test(a.text ?? ''));
    },
    60_000,
    `${pattern}`,
  );
}
const thread = (ts: string) =>
  fake
    .byMethod('chat.postMessage')
    .filter((c) => c.args.thread_ts === ts)
    .map((c) => String(c.args.text));

describe('nobody in', () => {
  it('outside business hours: told when we are in; a message and an e-mail (with consent) reach the thread', async () => {
    const c = new DirectLineConversation(new HttpClient(server.url), 'dl_offline');
    await c.open();
    let mark = c.activities.length;
    await c.say('I want to talk to a person');
    const told = await waitFor(c, mark, /not in right now/);
    expect(told.text).toContain(HOURS);
    const announcement = await until(
      () => fake.byMethod('chat.postMessage').find((x) => x.args.channel === CHANNEL && !x.args.thread_ts),
      60_000,
      'announcement',
    );
    const ts = String(announcement.result?.ts);
    await until(
      () => thread(ts).some((t) => t.startsWith('Arrived outside business hours')),
      60_000,
      'hours note',
    );

    mark = c.activities.length;
    await c.say('My order 88 never came, please mail me at jo@example.com');
    await waitFor(c, mark, /May our team e-mail you/);
    await until(
      () => thread(ts).some((t) => t.startsWith('Customer: My order 88 never came')),
      60_000,
      'message in thread',
    );
    expect(thread(ts).find((t) => t.startsWith('Customer: My order 88'))).not.toContain('jo@example.com');
    mark = c.activities.length;
    await c.say('yes');
    await waitFor(c, mark, /Thanks, noted/);
    await until(
      () => thread(ts).some((t) => t.includes('at jo@example.com (consent recorded)')),
      60_000,
      'consent note',
    );
    const consents = await server.db.prisma.consent.findMany({
      where: { purpose: { startsWith: 'handoff-contact:' } },
    });
    expect(consents).toHaveLength(1);
    expect(consents[0]!.granted).toBe(true);

    // Nobody claimed it within HANDOFF_WAIT_MINUTES: the customer is told, once.
    await waitFor(c, 0, /nobody from our team has been free/);
    await until(
      () => thread(ts).some((t) => t.startsWith('Unclaimed for 0.02 minutes')),
      60_000,
      'wait note',
    );
    await new Promise((r) => setTimeout(r, 6_000)); // one more sweep
    await c.poll();
    expect(others(c).filter((a) => /nobody from our team has been free/.test(a.text ?? ''))).toHaveLength(1);
  }, 300_000);
});
