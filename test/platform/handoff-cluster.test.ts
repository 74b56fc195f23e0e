// Live handoff across two real server processes (`server/main.ts`) on one PostgreSQL database and
// a private Redis: the agent's Slack thread reply reaches the customer whichever process receives
// the Events API request (Redis pub/sub), and after `kill -9` of the customer's process the reply
// sent meanwhile is waiting for them on the other process (stored before it was sent) — every
// message arrives exactly once, none is lost. Slack is the local Web API stand-in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlackApi, type FakeSlackApi } from '../bots/fake-slack-api.js';
import { SlackSender, until } from '../bots/slack-signing.js';
import { PrivateRedis } from '../jobs/redis-support.js';
import { prepareServerGround, type ServerGround } from '../support/server-ground.js';
import { ChildServer, newDataDir, removeDataDir } from '../support/server-process.js';
import { DirectLineConversation, HttpClient, type DlActivity } from './directline-client.js';

const SECRET = 'handoff-cluster-signing-secret';
const CHANNEL = 'CHANDOFFCLUSTER';
const slack = new SlackSender(SECRET);

let ground: ServerGround;
let redis: PrivateRedis;
let fake: FakeSlackApi;
let a: ChildServer;
let b: ChildServer;
let dataDirB: string;

beforeAll(async () => {
  ground = await prepareServerGround('handoff-a');
  dataDirB = newDataDir('handoff-b');
  redis = await PrivateRedis.start();
  fake = await startFakeSlackApi();
  const env = {
    DATABASE_URL: ground.databaseUrl,
    REDIS_URL: redis.url,
    SLACK_BOT_TOKEN: 'xoxb-cluster',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.url,
    SLACK_ALLOWED_TEAMS: 'T1',
    SLACK_ADMINS: 'T1:UAGENT',
    SLACK_HANDOFF_CHANNEL: CHANNEL,
  };
  // One after the other: the first migrates the fresh database.
  a = await ChildServer.start({ env: { ...env, DATA_DIR: ground.dataDir } });
  b = await ChildServer.start({ env: { ...env, DATA_DIR: dataDirB } });
}, 600_000);

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await fake?.close();
  await redis?.destroy();
  await ground?.close();
  if (dataDirB) removeDataDir(dataDirB);
});

/** The same Direct Line conversation (token, watermark, history) served by another process. */
function movedTo(server: ChildServer, from: DirectLineConversation): DirectLineConversation {
  const moved = new DirectLineConversation(new HttpClient(server.url), from.userId);
  moved.conversationId = from.conversationId;
  moved.token = from.token;
  moved.watermark = from.watermark;
  moved.activities.push(...from.activities);
  return moved;
}

const fromOthers = (c: DirectLineConversation): DlActivity[] =>
  c.activities.filter((x) => x.type === 'message' && x.from.id !== c.userId);

async function waitFor(c: DirectLineConversation, pattern: RegExp): Promise<void> {
  await until(
    async () => {
      await c.poll();
      return fromOthers(c).some((x) => pattern.test(x.text ?? ''));
    },
    60_000,
    `a message matching ${pattern} on ${c.http.base}`,
  );
}

let seq = 0;
const agentSays = (server: ChildServer, threadTs: string, text: string) =>
  slack.event(server.url, {
    type: 'message',
    channel: CHANNEL,
    user: 'UAGENT',
    text,
    ts: `1700001000.${String(++seq).padStart(6, '0')}`,
    thread_ts: threadTs,
  });

describe('live handoff across processes', () => {
  it('relays through Redis whichever process gets the event, and a kill -9 loses nothing', async () => {
    let customer = new DirectLineConversation(new HttpClient(a.url), 'dl_cluster_customer');
    await customer.open();
    await customer.say('I want to talk to a person');
    await waitFor(customer, /asked a colleague to join/);
    const announcement = await until(
      () => fake.byMethod('chat.postMessage').find((c) => c.args.channel === CHANNEL && !c.args.thread_ts),
      60_000,
      'the announcement',
    );
    const ts = String(announcement.result?.ts);

    // The customer is served by A; Slack delivers the agent's replies to B, then to A.
    await agentSays(b, ts, 'First reply, through B');
    await waitFor(customer, /First reply, through B/);
    await agentSays(a, ts, 'Second reply, through A');
    await waitFor(customer, /Second reply, through A/);
    await customer.say('Thanks, my order is 555');
    await until(
      () =>
        fake
          .byMethod('chat.postMessage')
          .find((c) => c.args.thread_ts === ts && String(c.args.text).includes('555')),
      60_000,
      "the customer's message in the thread",
    );

    // A dies without a chance to clean up; the agent writes meanwhile (the event reaches B).
    await a.kill();
    await agentSays(b, ts, 'Third reply, while A was down');
    await until(
      async () =>
        (await (await ground.database()).prisma.handoffMessage.count({ where: { direction: 'agent' } })) ===
        3,
      60_000,
      'the third reply stored',
    );
    // The customer's page reconnects to B with the same token and finds it.
    customer = movedTo(b, customer);
    await waitFor(customer, /Third reply, while A was down/);
    await customer.say('Still here, on the other server');
    await until(
      () =>
        fake
          .byMethod('chat.postMessage')
          .find((c) => c.args.thread_ts === ts && String(c.args.text).includes('other server')),
      60_000,
      'the message after the move in the thread',
    );

    // A comes back; Close is clicked on A, the customer on B is told, and the bot answers again.
    await a.start();
    const handoffId = (
      announcement.args.blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>
    )
      .flatMap((x) => x.elements ?? [])
      .find((e) => e.action_id === 'handoff_close')!.value!;
    await slack.click(a.url, 'UAGENT', CHANNEL, 'handoff_close', handoffId);
    await waitFor(customer, /My colleague has left the chat/);
    await customer.say('hello');
    await waitFor(customer, /Tell me what you're looking for/);

    // Exactly once each, none lost.
    for (const text of ['First reply, through B', 'Second reply, through A', 'Third reply, while A was down'])
      expect(
        fromOthers(customer).filter((x) => x.text?.includes(text)),
        text,
      ).toHaveLength(1);
    expect(a.errorLines.concat(b.errorLines)).toEqual([]);
  }, 300_000);
});
