// Slack wired by server/bots-wiring.ts over the real capabilities: plain-English mentions go
// through the trained marketer intent model, charts are rendered for real, and a respondent who
// is not a marketer takes the personality survey in a DM with buttons. Fake Web API, real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoRespondents } from '../../prisma/repositories/index.js';
import { startChatServer, type ChatServer } from './chat-server.js';
import { startFakeSlackApi, type FakeSlackApi } from './fake-slack-api.js';
import { SlackSender, until } from './slack-signing.js';

const SECRET = 'live-slack-signing-secret';
let fake: FakeSlackApi;
let server: ChatServer;

beforeAll(async () => {
  fake = await startFakeSlackApi();
  server = await startChatServer('pglite', {
    SLACK_BOT_TOKEN: 'xoxb-live',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.url,
    SLACK_ALLOWED_TEAMS: 'T1',
    SLACK_ADMINS: 'T1:UADMIN',
  });
}, 600_000); // a cold model cache on a loaded machine: training and seeding beside other servers

afterAll(async () => {
  await server?.close();
  await fake?.close();
});

const slack = new SlackSender(SECRET);
const event = async (inner: Record<string, unknown>) => (await slack.event(server.url, inner)).response;

const postsTo = (channel: string) =>
  fake.byMethod('chat.postMessage').filter((c) => c.args.channel === channel);

describe('Slack over the real NLU, analytics and surveys', () => {
  it('routes a plain-English mention through the marketer intent model', async () => {
    await event({
      type: 'app_mention',
      user: 'UADMIN',
      text: '<@UBOT> what was our NPS last month?',
      channel: 'CNPS',
      ts: '1.1',
    });
    const reply = await until(() => postsTo('CNPS')[0]);
    expect(String(reply.args.text)).toMatch(/NPS (answers )?(for|in) last month/);
  });

  it('shows the handoff queue when asked in a DM', async () => {
    await event({
      type: 'message',
      channel_type: 'im',
      user: 'UADMIN',
      text: 'show me the open handoffs',
      channel: 'DADMIN',
      ts: '2.1',
    });
    const reply = await until(() => postsTo('DADMIN')[0]);
    expect(String(reply.args.text)).toBe('No conversations are waiting for a person.');
  });

  it('says there is no data instead of drawing an empty chart, then renders and uploads a real one', async () => {
    await event({
      type: 'app_mention',
      user: 'UADMIN',
      text: '<@UBOT> chart nps last quarter',
      channel: 'CEMPTY',
      ts: '3.0',
    });
    const empty = await until(() => postsTo('CEMPTY')[0]);
    expect(String(empty.args.text)).toMatch(/^No data for last quarter/);
    expect(fake.byMethod('files.completeUploadExternal')).toHaveLength(0);
    // Deterministic demo respondents (6 months of NPS answers); the chart needs no decryption, so
    // the personal fields are sealed with an identity function in this test database.
    await seedDemoRespondents(
      server.db.prisma,
      { encrypt: (plain) => plain, emailHash: (email) => email },
      { count: 80 },
    );
    await event({
      type: 'app_mention',
      user: 'UADMIN',
      text: '<@UBOT> chart nps last quarter',
      channel: 'CCHART',
      ts: '3.1',
    });
    await until(() => fake.byMethod('files.completeUploadExternal')[0]);
    const upload = fake.byMethod('upload')[0]!;
    expect(upload.head!.includes(Buffer.from([0x89, 0x50, 0x4e, 0x47]))).toBe(true);
    expect(upload.bytes).toBeGreaterThan(1000);
  });

  it('lets a respondent take the survey in a DM with buttons', async () => {
    await event({
      type: 'message',
      channel_type: 'im',
      user: 'URESP',
      text: 'I want to take the personality survey',
      channel: 'DRESP',
      ts: '4.1',
      client_msg_id: 'm1',
    });
    const consent = await until(() => postsTo('DRESP')[0]);
    const blocks = JSON.stringify(consent.args.blocks);
    expect(blocks).toContain('Yes, I agree');
    expect((await slack.click(server.url, 'URESP', 'DRESP', 'customer_reply_0', 'yes')).status).toBe(200);
    const first = await until(() => postsTo('DRESP').find((c) => String(c.args.text).includes('(1 of 20)')));
    expect(JSON.stringify(first.args.blocks)).toContain('Very accurate');
    await event({
      type: 'message',
      channel_type: 'im',
      user: 'URESP',
      text: 'strongly agree',
      channel: 'DRESP',
      ts: '4.2',
      client_msg_id: 'm2',
    });
    await until(() => postsTo('DRESP').find((c) => String(c.args.text).includes('(2 of 20)')));
    const session = await server.db.prisma.surveySession.findFirst({
      where: { channel: 'slack' },
      include: { answers: true },
    });
    expect(session?.answers).toHaveLength(1);
  });
});
