// Live handoff end to end in headless Chromium: the shopper's page (official Web Chat over our
// Direct Line), signed Slack Events API requests and interactive payloads, and the local Slack Web
// API stand-in. The shopper asks for a person → the announcement is posted → the agent's thread
// reply appears in the page with their name → the shopper's answer is posted in the thread →
// Close → the assistant answers again.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, launchChromium, send, waitForText } from '../support/chromium.js';
import { startChatServer, type ChatServer } from './chat-server.js';
import { startFakeSlackApi, type FakeSlackApi, type RecordedCall } from './fake-slack-api.js';
import { SlackSender, until } from './slack-signing.js';

const SECRET = 'handoff-e2e-signing-secret';
const CHANNEL = 'CHANDOFFE2E';

let ARTIFACTS: string;
let fake: FakeSlackApi;
let server: ChatServer;
let browser: Browser;
const slack = new SlackSender(SECRET);

beforeAll(async () => {
  ARTIFACTS = artifactsDir('handoff');
  fake = await startFakeSlackApi();
  server = await startChatServer('postgres', {
    SLACK_BOT_TOKEN: 'xoxb-handoff-e2e',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.url,
    SLACK_ALLOWED_TEAMS: 'T1',
    SLACK_ADMINS: 'T1:UANNA',
    SLACK_HANDOFF_CHANNEL: CHANNEL,
  });
  browser = await launchChromium();
}, 600_000); // a cold model cache on a loaded machine: training and seeding beside other servers

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fake?.close();
});

const threadTexts = (ts: string) =>
  fake
    .byMethod('chat.postMessage')
    .filter((c) => c.args.thread_ts === ts)
    .map((c) => String(c.args.text));
const handoffIdOf = (call: RecordedCall): string =>
  (call.args.blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>)
    .flatMap((b) => b.elements ?? [])
    .find((e) => e.action_id === 'handoff_close')!.value!;

describe('live handoff in a real browser', () => {
  it('person asked for → announced → agent reply in the page → answer in the thread → Close → the bot answers', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await waitForText(page, 'the Northwind Outfitters assistant');

    await send(page, 'I want to talk to a person');
    await waitForText(page, 'asked a colleague to join');
    const announcement = await until(
      () => fake.byMethod('chat.postMessage').find((c) => c.args.channel === CHANNEL && !c.args.thread_ts),
      60_000,
      'the announcement',
    );
    const ts = String(announcement.result?.ts);
    // The channel sees no customer's words; the agent (an admin) reads them with Transcript.
    expect(JSON.stringify(announcement.args.blocks)).not.toContain('talk to a person');
    await slack.click(server.url, 'UANNA', CHANNEL, 'handoff_transcript', handoffIdOf(announcement));
    const shown = await until(
      () => fake.byMethod('chat.postEphemeral').find((c) => c.args.user === 'UANNA'),
      60_000,
      'the transcript',
    );
    expect(JSON.stringify(shown.args.blocks)).toContain('Customer: I want to talk to a person');

    await slack.event(server.url, {
      type: 'message',
      channel: CHANNEL,
      user: 'UANNA',
      text: 'Hello! Anna here, how can I help?',
      ts: '1700000100.000200',
      thread_ts: ts,
    });
    await waitForText(page, 'Anna here, how can I help?');
    await waitForText(page, 'Agent UANNA');
    await page.screenshot({ path: `${ARTIFACTS}/1-agent-reply.png` });

    await send(page, 'My parcel 4711 has not arrived');
    await until(
      () => threadTexts(ts).find((t) => t === 'Customer: My parcel 4711 has not arrived'),
      60_000,
      "the shopper's answer in the thread",
    );

    await slack.click(server.url, 'UANNA', CHANNEL, 'handoff_close', handoffIdOf(announcement));
    await waitForText(page, 'My colleague has left the chat');
    await page.screenshot({ path: `${ARTIFACTS}/2-closed.png` });
    await send(page, 'I need a warm jacket under 100');
    await waitForText(page, 'Here is what I found');
    await page.screenshot({ path: `${ARTIFACTS}/3-bot-again.png` });
    // The assistant said nothing while the person had the chat: one answer, to the jacket.
    expect(await page.locator('.webchat__bubble__content', { hasText: 'Here is what I found' }).count()).toBe(
      1,
    );
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
