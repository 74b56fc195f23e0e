// Every GET route of the whole app (as `startServer` builds it, on real PostgreSQL) is listed from
// Fastify's own registration and sent odd and repeated query parameters: none answers 5xx or
// echoes an internal message; a repeated parameter its schema names, or one it does not know, is
// a 400 (except where the query is ignored on purpose: the page, the bundle, static files, docs).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyStore } from '../../server/security/index.js';
import type { RunningServer } from '../../server/start.js';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server.js';

let started: InProcessServer;
let server: RunningServer;
let adminKey: string;
let chatToken: string;
let conversationId: string;

beforeAll(async () => {
  // Every request of this file comes from one address.
  started = await startInProcessServer('query-schemas', { RATE_LIMIT_MAX: '100000' });
  server = started.server;
  adminKey = (await createApiKeyStore(server.db.prisma).create('query test', 'admin')).key;
  const gen = (
    await server.app.inject({ method: 'POST', url: '/v3/directline/tokens/generate', payload: {} })
  ).json<{ token: string; conversationId: string }>();
  conversationId = gen.conversationId;
  chatToken = gen.token;
}, 400_000);

afterAll(async () => {
  await started?.close();
});

// Parameters are ignored on purpose on these (campaign links add utm_*, cache busters add ?v=).
const IGNORES_UNKNOWN = new Set(['/', '/webchat/webchat.js']);

const ODD_QUERIES = [
  'a=1&a=2&a=3',
  '__proto__[polluted]=1&constructor[prototype][polluted]=1',
  '%E0%A4%A=1&%ZZ=%',
  `x=${'y'.repeat(10_000)}`,
  Array.from({ length: 300 }, (_, i) => `k${i}=${i}`).join('&'),
  '[]=1&=2&&&=&label[]=x',
  'limit=-1&days=1e309&watermark=99999999999999999999&after=%00',
  'limit=NaN&before=not-a-date&status=%F0%9F%92%A5&t=a&t=b',
];

// What an internal error looks like when it leaks into a body.
const INTERNAL =
  /TypeError|RangeError|ReferenceError|SyntaxError|Cannot read|is not a function|node_modules|\.ts:\d+|\bat \w+ \(|prisma|ECONN|stack/i;

function fill(url: string): string {
  return url
    .replace('/v3/directline/conversations/:id', `/v3/directline/conversations/${conversationId}`)
    .replace(/:\w+/g, 'x')
    .replace('*', 'chat.js');
}

async function get(url: string): Promise<{ status: number; body: string }> {
  // Authorised, so the query is what gets judged: the admin API takes a key, Direct Line a token.
  const headers = url.startsWith('/api/admin/')
    ? { 'x-api-key': adminKey }
    : { authorization: `Bearer ${chatToken}` };
  const res = await server.app.inject({ method: 'GET', url, headers });
  return { status: res.statusCode, body: res.body };
}

describe('query strings of every GET route', () => {
  it('lists every GET route with a schema, but for static files and the API docs', () => {
    const routes = server.app.getRoutes;
    const urls = routes.map((r) => r.url);
    for (const expected of [
      '/healthz',
      '/readyz',
      '/metrics',
      '/',
      '/product-image/:sku',
      '/v3/directline/conversations/:id/activities',
      '/v3/directline/conversations/:id/stream',
      '/api/admin/v1/products',
      '/api/admin/v1/audit-log',
    ])
      expect(urls).toContain(expected);
    for (const route of routes.filter((r) => r.query === 'ignored'))
      expect(route.url).toMatch(/^\/(static|docs)\b/);
  });

  it('answers odd and repeated parameters on every GET route without a 5xx or an internal message', async () => {
    const failures: string[] = [];
    let requests = 0;
    for (const route of server.app.getRoutes) {
      const path = fill(route.url);
      const queries = [...ODD_QUERIES, ...route.keys.map((key) => `${key}=1&${key}=2`), 'unknown_key=1'];
      for (const query of queries) {
        const { status, body } = await get(`${path}?${query}`);
        requests++;
        const label = `GET ${route.url}?${query.slice(0, 60)} -> ${status}`;
        // Refusals are where an internal message would leak (a 2xx body is the resource itself).
        if (status >= 500 || (status >= 400 && INTERNAL.test(body)))
          failures.push(`${label}: ${body.slice(0, 200)}`);
        // A repeated parameter the schema names is an array where a scalar is expected.
        const repeated = route.keys.some((key) => query === `${key}=1&${key}=2`);
        const unknown =
          query === 'unknown_key=1' && route.query === 'validated' && !IGNORES_UNKNOWN.has(route.url);
        if ((repeated || unknown) && status !== 400) failures.push(`${label}: expected 400`);
      }
    }
    console.log(`${requests} requests over ${server.app.getRoutes.length} GET routes`);
    expect(failures).toEqual([]);
  }, 300_000);
});
