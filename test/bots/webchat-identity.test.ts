// Who a web-chat user is: decided by the server (a fresh id bound to a signed HttpOnly cookie, or
// a shop's signed user token), never by the id a client puts in POST /tokens/generate.
import { ActivityHandler } from 'botbuilder';
import Fastify, { type FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VISITOR_COOKIE } from '../../bots/channels/webchat/identity.js';
import { directLinePlugin } from '../../bots/channels/webchat/plugin.js';

const SECRET = 'identity-test-token-secret-0123456789abcdef';
const SHOP_SECRET = 'identity-test-shop-user-secret-0123456789';

let app: FastifyInstance;
let plain: FastifyInstance;

beforeAll(async () => {
  app = Fastify();
  await app.register(directLinePlugin, {
    bot: new ActivityHandler(),
    tokenSecret: SECRET,
    shopUserTokenSecret: SHOP_SECRET,
  });
  // A server without SHOP_USER_TOKEN_SECRET refuses user tokens.
  plain = Fastify();
  await plain.register(directLinePlugin, { bot: new ActivityHandler(), tokenSecret: SECRET });
});

afterAll(async () => {
  await app.close();
  await plain.close();
});

type Generated = { userId: string; token: string; conversationId: string };

async function generate(
  body: unknown,
  cookie?: string,
  server = app,
): Promise<{ status: number; json: Generated & { error?: { message: string } }; cookie?: string }> {
  const res = await server.inject({
    method: 'POST',
    url: '/v3/directline/tokens/generate',
    payload: body as object,
    headers: cookie ? { cookie } : {},
  });
  const setCookie = res.headers['set-cookie'];
  const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  return { status: res.statusCode, json: res.json(), cookie: first };
}

function shopToken(
  claims: Record<string, unknown>,
  secret = SHOP_SECRET,
  expiresIn: string | number = '10m',
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}

describe('web-chat identity', () => {
  it('ignores a client-chosen user id and issues a fresh one with an HttpOnly SameSite cookie', async () => {
    const first = await generate({ user: { id: 'dl_victim123' } });
    expect(first.status).toBe(200);
    expect(first.json.userId).toMatch(/^dl_[0-9a-f]{32}$/);
    expect(first.cookie).toMatch(new RegExp(`^${VISITOR_COOKIE}=[\\w-]+\\.[\\w-]+\\.[\\w-]+;`));
    expect(first.cookie).toContain('HttpOnly');
    expect(first.cookie).toContain('SameSite=Strict');
    expect(first.cookie).toContain('Path=/v3/directline');
    const again = await generate({ user: { id: 'dl_victim123' } });
    expect(again.json.userId).not.toBe(first.json.userId);
  });

  it('gives a returning visitor their id back from the cookie, in the token too', async () => {
    const first = await generate({});
    const cookie = first.cookie!.split(';')[0]!;
    const back = await generate({ user: { id: 'dl_someone_else' } }, cookie);
    expect(back.json.userId).toBe(first.json.userId);
    const conv = await app.inject({
      method: 'POST',
      url: '/v3/directline/tokens/refresh',
      headers: { authorization: `Bearer ${back.json.token}` },
    });
    expect(conv.json()).toMatchObject({ userId: first.json.userId });
  });

  it('gives a forged, tampered or foreign-key cookie a fresh id', async () => {
    const first = await generate({});
    const value = first.cookie!.split(';')[0]!.slice(VISITOR_COOKIE.length + 1);
    const [h, p, s] = value.split('.');
    const tampered = `${VISITOR_COOKIE}=${h}.${p}.${s!.slice(0, -2)}xx`;
    expect((await generate({}, tampered)).json.userId).not.toBe(first.json.userId);
    // Signed with the token secret itself (not the derived cookie key), claiming the victim.
    const foreign = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('mkt-visitor')
      .setSubject(first.json.userId)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    expect((await generate({}, `${VISITOR_COOKIE}=${foreign}`)).json.userId).not.toBe(first.json.userId);
    // A Direct Line token is not a visitor cookie.
    expect((await generate({}, `${VISITOR_COOKIE}=${first.json.token}`)).json.userId).not.toBe(
      first.json.userId,
    );
  });

  it("maps a shop's signed user token to dl_shop_<sub>, without a cookie", async () => {
    const res = await generate({ userToken: await shopToken({ sub: 'cust-42' }) });
    expect(res.status).toBe(200);
    expect(res.json.userId).toBe('dl_shop_cust-42');
    expect(res.cookie).toBeUndefined();
  });

  it('refuses bad shop user tokens with 401/403 and a reason', async () => {
    const wrongKey = await generate({ userToken: await shopToken({ sub: 'cust-42' }, 'x'.repeat(40)) });
    expect(wrongKey.status).toBe(403);
    const expired = await generate({
      userToken: await shopToken({ sub: 'cust-42' }, SHOP_SECRET, Math.floor(Date.now() / 1000) - 5),
    });
    expect(expired.status).toBe(401);
    const tooLong = await generate({ userToken: await shopToken({ sub: 'cust-42' }, SHOP_SECRET, '30d') });
    expect(tooLong.status).toBe(403);
    expect(tooLong.json.error?.message).toContain('24 hours');
    const badSub = await generate({ userToken: await shopToken({ sub: '../admin' }) });
    expect(badSub.status).toBe(403);
    const noExp = await generate({
      userToken: await new SignJWT({ sub: 'cust-42' })
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode(SHOP_SECRET)),
    });
    expect(noExp.status).toBe(403);
    const disabled = await generate({ userToken: await shopToken({ sub: 'cust-42' }) }, undefined, plain);
    expect(disabled.status).toBe(403);
    expect(disabled.json.error?.message).toContain('SHOP_USER_TOKEN_SECRET');
  });
});
