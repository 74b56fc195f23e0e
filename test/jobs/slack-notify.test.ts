// slack.notify through the real in-process queue and the local Slack Web API stand-in: a message
// (in a thread) is posted and its ts returned; a channel the app is not in fails at once, without
// retries, with Slack's reason; no token fails at once too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createInProcessQueue, jobDefinitions, type JobEvent } from '../../jobs/index.js';
import { slackNotifyProcessor } from '../../server/handoff/notify-processor.js';
import { startFakeSlackApi, type FakeSlackApi } from '../bots/fake-slack-api.js';

let fake: FakeSlackApi;
beforeAll(async () => {
  fake = await startFakeSlackApi();
});
afterAll(async () => {
  await fake?.close();
});

async function runOnce(
  config: { SLACK_BOT_TOKEN?: string; SLACK_API_URL?: string },
  payload: { channel: string; text: string; threadTs?: string },
) {
  const queue = createInProcessQueue({ definitions: jobDefinitions });
  const events: JobEvent[] = [];
  queue.on((e) => events.push(e));
  await queue.process({ 'slack.notify': slackNotifyProcessor(config, pino({ level: 'silent' })) });
  const { id } = await queue.enqueue('slack.notify', payload);
  for (
    let i = 0;
    i < 200 && !events.some((e) => e.id === id && (e.type === 'completed' || e.type === 'failed'));
    i++
  )
    await new Promise((r) => setTimeout(r, 25));
  await queue.close({ timeoutMs: 1_000 });
  return events.filter((e) => e.id === id);
}

describe('slack.notify', () => {
  it('posts in a thread and completes', async () => {
    const events = await runOnce(
      { SLACK_BOT_TOKEN: 'xoxb-notify', SLACK_API_URL: fake.url },
      { channel: 'CNOTIFY', text: 'Customer: hello', threadTs: '1700000000.000001' },
    );
    expect(events.map((e) => e.type)).toEqual(['completed']);
    const posted = fake.byMethod('chat.postMessage').filter((c) => c.args.channel === 'CNOTIFY');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.args).toMatchObject({ text: 'Customer: hello', thread_ts: '1700000000.000001' });
  });

  it('fails at once, without retries, when the app is not in the channel or Slack is not configured', async () => {
    const refused = await runOnce(
      { SLACK_BOT_TOKEN: 'xoxb-notify', SLACK_API_URL: fake.url },
      { channel: 'CNOTIN', text: 'x' },
    );
    expect(refused.map((e) => e.type)).toEqual(['failed']);
    expect(String((refused[0] as { error?: unknown }).error)).toContain('not_in_channel');
    expect(fake.byMethod('chat.postMessage').filter((c) => c.args.channel === 'CNOTIN')).toHaveLength(1);
    const unconfigured = await runOnce({}, { channel: 'CNOTIFY', text: 'y' });
    expect(unconfigured.map((e) => e.type)).toEqual(['failed']);
  });
});
