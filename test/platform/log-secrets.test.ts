// No secret in any log line: the real server (`server/main.ts`, what `npm start` runs) as a child
// process at LOG_LEVEL=debug, traffic over web chat (token in the WebSocket URL and in ?t=, the
// identity cookie, refreshes, bad tokens), the admin API (a real key by header and as Bearer, a bad
// key) and Slack (signed events), then every captured line is searched for the actual values.
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApiKeyStore } from '../../server/security/index.js';
import { startFakeSlackApi, type FakeSlackApi } from '../bots/fake-slack-api.js';
import { prepareServerGround, type ServerGround } from '../support/server-ground.js';
import { ChildServer, TEST_ENCRYPTION_KEY, TEST_TOKEN_SECRET } from '../support/server-process.js';
import { HttpClient } from './directline-client.js';

const SLACK_BOT_TOKEN = `xoxb-${randomBytes(12).toString('hex')}`;
const SLACK_SIGNING_SECRET = randomBytes(16).toString('hex');
const SHOP_USER_TOKEN_SECRET = randomBytes(24).toString('hex');

let ground: ServerGround;
let slackApi: FakeSlackApi;
let server: ChildServer;

beforeAll(async () => {
  ground = await prepareServerGround('logscan');
  slackApi = await startFakeSlackApi();
  server = await ChildServer.start({
    keepLog: true,
    env: {
      DATABASE_URL: ground.databaseUrl,
      DATA_DIR: ground.dataDir,
      LOG_LEVEL: 'debug',
      SLACK_BOT_TOKEN,
      SLACK_SIGNING_SECRET,
      SLACK_API_URL: `${slackApi.url}/api/`,
      SLACK_ALLOWED_TEAMS: 'T1',
      SHOP_USER_TOKEN_SECRET,
    },
  });
}, 400_000);

afterAll(async () => {
  await server?.stop();
  await slackApi?.close();
  await ground?.close();
});

function slackSigned(body: string): Record<string, string> {
  const ts = Math.floor(Date.now() / 1000);
  const sig = `v0=${createHmac('sha256', SLACK_SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return {
    'content-type': 'application/json',
    'x-slack-signature': sig,
    'x-slack-request-timestamp': String(ts),
  };
}

describe('server logs', () => {
  it('hold no token, cookie, API key or secret, with request URLs logged', async () => {
    const http = new HttpClient(server.url);
    const secrets: string[] = [
      TEST_TOKEN_SECRET,
      TEST_ENCRYPTION_KEY,
      SLACK_BOT_TOKEN,
      SLACK_SIGNING_SECRET,
      SHOP_USER_TOKEN_SECRET,
    ];

    // Web chat: a token, the identity cookie, a conversation, the stream (token in its URL).
    const gen = await http.postJson('/v3/directline/tokens/generate', {});
    const cookie = gen.headers['set-cookie']![0]!.split(';')[0]!;
    const { token } = gen.json<{ token: string }>();
    const conv = await http.send('POST', '/v3/directline/conversations', {
      body: '{}',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, cookie },
    });
    const {
      conversationId,
      streamUrl,
      token: convToken,
    } = conv.json<{
      conversationId: string;
      streamUrl: string;
      token: string;
    }>();
    secrets.push(token, convToken, cookie.split('=')[1]!);
    const ws = new WebSocket(streamUrl);
    await new Promise((ok, fail) => ws.once('open', ok).once('error', fail));
    const said = await http.postJson(
      `/v3/directline/conversations/${conversationId}/activities`,
      { type: 'message', from: { id: 'x' }, text: 'hello there' },
      convToken,
    );
    expect(said.status).toBe(200);
    const polled = await http.send(
      'GET',
      `/v3/directline/conversations/${conversationId}/activities?watermark=&t=${encodeURIComponent(convToken)}`,
    );
    expect(polled.status).toBe(200);
    const refreshed = await http.postJson('/v3/directline/tokens/refresh', {}, convToken);
    secrets.push(refreshed.json<{ token: string }>().token);
    // A forged token in the query of a route that logs a warning.
    const forged = `${convToken.slice(0, -6)}AAAAAA`;
    secrets.push(forged);
    expect(
      (await http.send('GET', `/v3/directline/conversations/${conversationId}/activities?t=${forged}`))
        .status,
    ).toBe(403);
    ws.close();

    // Admin API: a real key by x-api-key and by Bearer, a bad one, a key-looking string in a path.
    const db = await ground.database();
    const { key } = await createApiKeyStore(db.prisma).create('log scan', 'admin');
    const badKey = `mkt_AAAAAAAA_${randomBytes(32).toString('base64url')}`;
    secrets.push(key, badKey);
    expect((await http.send('GET', '/api/admin/v1/products', { headers: { 'x-api-key': key } })).status).toBe(
      200,
    );
    expect(
      (await http.send('GET', '/api/admin/v1/products', { headers: { authorization: `Bearer ${key}` } }))
        .status,
    ).toBe(200);
    expect(
      (await http.send('GET', '/api/admin/v1/products', { headers: { 'x-api-key': badKey } })).status,
    ).toBe(401);
    await http.send('GET', `/no-such-page?api_key=${encodeURIComponent(key)}&token=${convToken}`);

    // Slack: a signed event (the bot token goes out to the stand-in Slack API).
    const event = JSON.stringify({
      type: 'event_callback',
      team_id: 'T1',
      event_id: `Ev${randomBytes(4).toString('hex')}`,
      event_time: 1,
      event: { type: 'app_mention', user: 'U1', text: '<@UBOT> help', channel: 'C1', ts: '1.1', team: 'T1' },
    });
    expect(
      (await http.send('POST', '/slack/events', { body: event, headers: slackSigned(event) })).status,
    ).toBe(200);
    http.close();
    // The event is answered in the background (a post to C1 on the stand-in Slack API, with the bot
    // token): the scan starts once that reply went out and the request lines are in, not after a guess.
    const answered = () => slackApi.calls.some((call) => call.args.channel === 'C1');
    const expected = [
      `/v3/directline/conversations/${conversationId}/stream?t=[redacted]`,
      '/api/admin/v1/products',
      '/slack/events',
    ];
    const deadline = Date.now() + 60_000;
    while (!answered() || !expected.every((line) => server.log.some((logged) => logged.includes(line)))) {
      if (Date.now() > deadline) break;
      await new Promise((ok) => setTimeout(ok, 100));
    }

    const log = server.log.join('\n');
    // The test means something only if Slack was answered and the request URLs were logged.
    expect(answered()).toBe(true);
    expect(log).toContain(`/v3/directline/conversations/${conversationId}/stream?t=[redacted]`);
    expect(log).toContain('/api/admin/v1/products');
    expect(log).toContain('/slack/events');
    const found = secrets.filter((secret) => log.includes(secret));
    expect(found.map((s) => `${s.slice(0, 6)}… (${s.length} chars)`)).toEqual([]);
  }, 120_000);
});
