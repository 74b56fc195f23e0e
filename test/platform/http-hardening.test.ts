import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  HARDENED_SERVER_OPTIONS,
  parseCorsOrigins,
  perConversationLimit,
  registerHttpHardening,
} from '../../server/http-hardening.js';
import { sharedRedisConnection, uniquePrefix } from '../jobs/redis-support.js';
import { appsClosedAfterEach } from '../support/fastify-apps.js';

const SHOP = 'https://shop.example';

describe('HTTP hardening', () => {
  const apps = appsClosedAfterEach();
  const redis = sharedRedisConnection();

  const build = async (options: Partial<Parameters<typeof registerHttpHardening>[1]> = {}) => {
    const app = Fastify(HARDENED_SERVER_OPTIONS);
    apps.push(app);
    await registerHttpHardening(app, { corsOrigins: [SHOP], ...options });
    app.get('/healthz', async () => ({ ok: true }));
    app.get('/page', async (_request, reply) => reply.type('text/html').send('<p>chat</p>'));
    app.post('/echo', async (request) => ({ got: request.body }));
    app.post<{ Params: { id: string } }>(
      '/conversations/:id/messages',
      {
        onRequest: app.rateLimit(
          perConversationLimit((request) => (request.params as { id: string }).id, { max: 2 }),
        ),
      },
      async () => ({ ok: true }),
    );
    await app.ready();
    return app;
  };

  it('parses the CORS allow-list', () => {
    expect(parseCorsOrigins(' https://a.example/, https://b.example ,')).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(parseCorsOrigins(undefined)).toEqual([]);
  });

  it('answers CORS only for allowed origins', async () => {
    const app = await build();
    const allowed = await app.inject({ url: '/healthz', headers: { origin: SHOP } });
    expect(allowed.headers['access-control-allow-origin']).toBe(SHOP);
    const foreign = await app.inject({ url: '/healthz', headers: { origin: 'https://evil.example' } });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/echo',
      headers: {
        origin: SHOP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
  });

  it('sends secure headers and a CSP that allows only same-origin scripts', async () => {
    const app = await build({ publicUrl: 'https://chat.shop.example' });
    const page = await app.inject('/page');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain(`frame-ancestors 'self' ${SHOP}`);
    expect(csp).toContain("connect-src 'self' wss://chat.shop.example");
    expect(csp).toContain('upgrade-insecure-requests');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['strict-transport-security']).toContain('max-age=');
    expect(page.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(page.headers['x-powered-by']).toBeUndefined();
    // plain http (local default): no HSTS, no upgrade
    expect(
      contentSecurityPolicy({ corsOrigins: [], publicUrl: 'http://localhost:3000' })[
        'upgrade-insecure-requests'
      ],
    ).toBeNull();
  });

  it('limits body size and rejects prototype-pollution keys', async () => {
    const app = await build();
    const echo = (payload: string) =>
      app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload });
    expect((await echo(JSON.stringify({ a: 'x'.repeat(300 * 1024) }))).statusCode).toBe(413);
    expect((await echo('{"__proto__":{"admin":true}}')).statusCode).toBe(400);
    expect((await echo('{"constructor":{"prototype":{"admin":true}}}')).statusCode).toBe(400);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('limits requests per IP, exempts health probes, and adds a per-conversation limit', async () => {
    const app = await build({ rateLimit: { max: 5, timeWindowMs: 60_000 } });
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await app.inject('/page')).statusCode);
    expect(codes).toEqual([200, 200, 200, 200, 200, 429]);
    for (let i = 0; i < 8; i++) expect((await app.inject('/healthz')).statusCode).toBe(200);

    const chat = await build({ rateLimit: { max: 100, timeWindowMs: 60_000 } });
    const post = (id: string) =>
      chat.inject({ method: 'POST', url: `/conversations/${id}/messages`, payload: {} });
    expect([
      (await post('a')).statusCode,
      (await post('a')).statusCode,
      (await post('a')).statusCode,
    ]).toEqual([200, 200, 429]);
    expect((await post('b')).statusCode).toBe(200);
  });

  it('shares per-IP counters between processes through Redis', async () => {
    // Two app instances stand for two server processes behind one load balancer.
    const window = 60_000 + Math.floor(Math.random() * 1000);
    const redisPrefix = `${uniquePrefix('hardening')}:`;
    const a = await build({ rateLimit: { max: 4, timeWindowMs: window }, redis, redisPrefix });
    const b = await build({ rateLimit: { max: 4, timeWindowMs: window }, redis, redisPrefix });
    const ip = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.7`;
    const codes: number[] = [];
    for (const app of [a, b, a, b, a])
      codes.push((await app.inject({ url: '/page', remoteAddress: ip })).statusCode);
    expect(codes).toEqual([200, 200, 200, 200, 429]);
  });
});
