// `npm run bench -- fuzz [--requests 10000] [--seed 15] [--concurrency 8]`
// Hostile requests over real HTTP against the real server (`server/main.ts` as a child process on a
// fresh PostgreSQL database, Slack on with a local stand-in for its Web API) over every route it
// serves: random methods and paths, garbage and oversized bodies, JSON 5,000 levels deep,
// prototype-pollution keys, repeated query parameters, forged/expired/unsigned tokens, bad API
// keys, unsigned Slack events, hostile headers. Sent from 250 loopback addresses so the per-address
// limit does not turn the run into 429s. Result: requests, status counts, 5xx count (must be 0) and
// whether the server still answers /healthz afterwards.
import { randomBytes } from 'node:crypto';
import { startFakeSlackApi } from '../test/bots/fake-slack-api.js';
import { HttpClient, loopbackAddress, prng } from '../test/platform/directline-client.js';
import { prepareServerGround } from '../test/support/server-ground.js';
import { ChildServer } from '../test/support/server-process.js';

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < 1) throw new Error(`--${name} must be a positive number`);
  return value;
}

const ADDRESSES = 250;

/** Every route the server serves, with ":id"-style holes filled by the generator. */
const ROUTES = [
  'GET /',
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /docs',
  'GET /webchat/webchat.js',
  'GET /static/chat.js',
  'GET /product-image/:sku',
  'POST /v3/directline/tokens/generate',
  'POST /v3/directline/tokens/refresh',
  'POST /v3/directline/conversations',
  'GET /v3/directline/conversations/:conv',
  'GET /v3/directline/conversations/:conv/activities',
  'POST /v3/directline/conversations/:conv/activities',
  'GET /v3/directline/conversations/:conv/stream',
  'GET /api/admin/v1/api-keys',
  'POST /api/admin/v1/api-keys',
  'DELETE /api/admin/v1/api-keys/:id',
  'GET /api/admin/v1/products',
  'GET /api/admin/v1/products/:sku',
  'PUT /api/admin/v1/products/:sku',
  'GET /api/admin/v1/segments',
  'GET /api/admin/v1/customers',
  'GET /api/admin/v1/customers/:id/export',
  'DELETE /api/admin/v1/customers/:id',
  'GET /api/admin/v1/audit-log',
  'GET /api/admin/v1/jobs/failed',
  'POST /api/admin/v1/jobs/retry',
  'POST /api/admin/v1/jobs/discard',
  'POST /slack/events',
  'POST /slack/commands',
  'POST /slack/interactions',
];

/** Runs the fuzz benchmark; progress goes to stderr, the figures are returned. */
export default async function (args: string[]): Promise<object> {
  const total = arg(args, 'requests', 10_000);
  const seed = arg(args, 'seed', 15);
  const concurrency = Math.min(arg(args, 'concurrency', 8), 32);
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const text = (n: number) =>
    Array.from({ length: Math.floor(random() * n) }, () =>
      String.fromCodePoint(pick([32 + Math.floor(random() * 95), Math.floor(random() * 0xd7ff), 0x1f600, 0])),
    ).join('');

  const ground = await prepareServerGround('fuzz-bench');
  const slack = await startFakeSlackApi();
  process.stderr.write('starting the server...\n');
  const server = await ChildServer.start({
    env: {
      DATABASE_URL: ground.databaseUrl,
      DATA_DIR: ground.dataDir,
      SLACK_BOT_TOKEN: 'xoxb-fuzz-bench',
      SLACK_SIGNING_SECRET: randomBytes(16).toString('hex'),
      SLACK_API_URL: `${slack.url}/api/`,
    },
  });
  const clients = Array.from({ length: ADDRESSES }, (_, i) => new HttpClient(server.url, loopbackAddress(i)));
  try {
    // A real conversation, so authorised routes are fuzzed too, not only the token check.
    const own = clients[0]!;
    const token = (await own.postJson('/v3/directline/tokens/generate', {})).json<{ token: string }>().token;
    const conv = (await own.postJson('/v3/directline/conversations', {}, token)).json<{
      conversationId: string;
      token: string;
    }>();
    const tokens = [
      conv.token,
      'garbage',
      `${conv.token.slice(0, -4)}AAAA`,
      `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(`{"conv":"${conv.conversationId}","user":"dl_x"}`).toString('base64url')}.`,
      '',
    ];
    const bodies = (): string | undefined =>
      pick([
        undefined,
        '{}',
        '{"type":"message","from":{"id":"x"},"text":"hello"}',
        JSON.stringify({ type: 'message', from: { id: 'dl_x' }, text: text(300) }),
        '['.repeat(5000) + ']'.repeat(5000),
        '{"a":'.repeat(3000) + '1' + '}'.repeat(3000),
        '{"__proto__":{"polluted":1}}',
        '{"constructor":{"prototype":{"polluted":1}}}',
        '{"user":{"id":"dl_victim1"}}',
        '{"userToken":"not.a.token"}',
        'x'.repeat(300 * 1024),
        '{"text":',
        text(200),
        `{"type":"message","text":"' OR 1=1 --","channelData":{"clientActivityID":"${text(10)}"}}`,
      ]);
    const fill = (route: string) =>
      route
        .replace(':conv', pick([conv.conversationId, conv.conversationId, 'x', '..%2f..%2fetc', text(20)]))
        .replace(':sku', pick(['SKU-1', 'x.svg', '%00', text(30)]))
        .replace(':id', pick([randomBytes(16).toString('hex'), '1', text(20)]));
    const query = () =>
      pick([
        '',
        '?label=a&label=b',
        '?watermark=abc',
        '?watermark=1&watermark=2',
        `?t=${pick(tokens)}`,
        '?limit=-1',
        '?limit=99999999999999999999',
        `?q=${encodeURIComponent(text(40))}`,
        '?__proto__[x]=1',
      ]);

    const statusCounts: Record<string, number> = {};
    let sent = 0;
    let networkErrors = 0;
    const networkErrorKinds: Record<string, number> = {};
    const started = performance.now();
    const one = async (i: number) => {
      const client = clients[i % ADDRESSES]!;
      const [method, route] =
        random() < 0.9
          ? pick(ROUTES).split(' ')
          : [pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']), `/r/${text(20)}`];
      const body = method === 'GET' || method === 'DELETE' ? undefined : bodies();
      const headers: Record<string, string> = {};
      if (body !== undefined)
        headers['content-type'] = pick([
          'application/json',
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
        ]);
      if (route!.startsWith('/v3') && random() < 0.9) headers.authorization = `Bearer ${pick(tokens)}`;
      if (route!.startsWith('/api/admin') && random() < 0.9)
        headers['x-api-key'] = pick([
          'mkt_AAAAAAAA_' + randomBytes(32).toString('base64url'),
          'wrong',
          text(20),
        ]);
      if (route!.startsWith('/slack')) {
        headers['x-slack-request-timestamp'] = String(pick([Math.floor(Date.now() / 1000), 0, 'abc']));
        headers['x-slack-signature'] = `v0=${randomBytes(32).toString('hex')}`;
      }
      if (random() < 0.1) headers['x-forwarded-for'] = pick(['1.2.3.4', 'garbage', '::1, 10.0.0.1']);
      if (random() < 0.05) headers.cookie = `mkt_chat_id=${pick(tokens)}`;
      for (const [k, v] of Object.entries(headers)) headers[k] = v.replace(/[^\x20-\x7e]/g, '');
      try {
        const res = await client.send(method!, fill(route!) + query(), { body, headers, timeoutMs: 30_000 });
        statusCounts[res.status] = (statusCounts[res.status] ?? 0) + 1;
      } catch (error) {
        // The server may close the connection on a body it refuses before reading it all.
        networkErrors++;
        const reason = `${method} ${route} ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
        networkErrorKinds[reason] = (networkErrorKinds[reason] ?? 0) + 1;
      }
      sent++;
      if (sent % 1000 === 0) process.stderr.write(`${sent} requests\n`);
    };
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) await one(next++);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const health = await own.send('GET', '/healthz').catch(() => ({ status: 0 }));
    const fiveXX = Object.entries(statusCounts)
      .filter(([status]) => Number(status) >= 500)
      .reduce((sum, [, n]) => sum + n, 0);
    return {
      requests: sent,
      statusCounts,
      fiveXX,
      networkErrors,
      networkErrorKinds,
      serverAlive: server.alive && health.status === 200,
      errorLines: server.errorLines.length,
      seconds: Math.round(seconds * 10) / 10,
      addresses: ADDRESSES,
      seed,
      verdict: { zeroFiveXX: fiveXX === 0, serverAlive: server.alive && health.status === 200 },
    };
  } finally {
    for (const c of clients) c.close();
    await server.stop();
    await slack.close();
    await ground.close();
  }
}
