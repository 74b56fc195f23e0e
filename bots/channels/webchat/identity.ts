// Who a web-chat visitor is, decided by the server only. A client-chosen user id would let anyone
// who learns a customer's id read their record, resume their survey or delete them, so the id is
// either issued here (and bound to the browser by a signed HttpOnly cookie) or vouched for by the
// shop, which signs its signed-in user's id with a secret it shares with this server.
import { createHmac, randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { BotConfigError, TokenError } from '../../errors.js';

/** Name of the cookie that brings a returning anonymous visitor back to their id. */
export const VISITOR_COOKIE = 'mkt_chat_id';
/** The cookie is only sent to the Direct Line routes. */
const COOKIE_PATH = '/v3/directline';
const VISITOR_ISSUER = 'mkt-visitor';
const VISITOR_DAYS = 365;
/** A shop's user id: the part after "dl_shop_" in the chat's user id. */
const SHOP_SUBJECT = /^[A-Za-z0-9_-]{1,64}$/;
/** A shop token may not outlive a day: it is minted per page view, not stored. */
const SHOP_TOKEN_MAX_SECONDS = 24 * 3600;

/** Where a proven identity came from. */
export type IdentitySource = 'shop' | 'cookie' | 'new';

/** Options of the identity service. */
export interface VisitorIdentityOptions {
  /** TOKEN_SECRET: the cookie is signed with a key derived from it. */
  tokenSecret: string;
  /** SHOP_USER_TOKEN_SECRET: HS256 key of the shop's user tokens; without it they are refused. */
  shopUserTokenSecret?: string;
  /** Mark the cookie Secure (the site is served over https). */
  secureCookie?: boolean;
}

/** Issues anonymous ids, binds them to a cookie, and verifies shop user tokens. */
export class VisitorIdentity {
  private readonly cookieKey: Uint8Array;
  private readonly shopKey?: Uint8Array;

  constructor(private readonly options: VisitorIdentityOptions) {
    // A separate key, so a visitor cookie can never pass as a Direct Line token nor the reverse.
    this.cookieKey = createHmac('sha256', options.tokenSecret).update('mkt-visitor-cookie').digest();
    if (options.shopUserTokenSecret !== undefined) {
      if (options.shopUserTokenSecret.length < 32)
        throw new BotConfigError('SHOP_USER_TOKEN_SECRET must be at least 32 characters');
      this.shopKey = new TextEncoder().encode(options.shopUserTokenSecret);
    }
  }

  /** A fresh anonymous id ("dl_" and 32 hex digits; never contains "_" after the prefix). */
  newAnonymousId(): string {
    return `dl_${randomUUID().replaceAll('-', '')}`;
  }

  /** The id a valid visitor cookie carries, or undefined (absent, forged, expired). */
  async fromCookie(cookieHeader: string | undefined): Promise<string | undefined> {
    const value = readCookie(cookieHeader, VISITOR_COOKIE);
    if (!value) return undefined;
    try {
      const { payload } = await jwtVerify(value, this.cookieKey, {
        issuer: VISITOR_ISSUER,
        algorithms: ['HS256'],
      });
      return typeof payload.sub === 'string' && /^dl_[0-9a-f]{32}$/.test(payload.sub)
        ? payload.sub
        : undefined;
    } catch {
      return undefined;
    }
  }

  /** The Set-Cookie value binding this browser to `userId` for a year. */
  async cookieFor(userId: string): Promise<string> {
    const jwt = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(VISITOR_ISSUER)
      .setSubject(userId)
      .setIssuedAt()
      .setExpirationTime(`${VISITOR_DAYS}d`)
      .sign(this.cookieKey);
    const secure = this.options.secureCookie ? '; Secure' : '';
    return `${VISITOR_COOKIE}=${jwt}; Path=${COOKIE_PATH}; Max-Age=${VISITOR_DAYS * 86400}; HttpOnly; SameSite=Strict${secure}`;
  }

  /** The chat user id of a shop's signed-in user; throws TokenError when the token is not valid. */
  async fromShopToken(token: string): Promise<{ userId: string; name?: string }> {
    if (!this.shopKey)
      throw new TokenError('BOT_TOKEN_FORBIDDEN', 'user tokens are not enabled (set SHOP_USER_TOKEN_SECRET)');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.shopKey, {
        algorithms: ['HS256'],
        requiredClaims: ['exp'],
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired)
        throw new TokenError('BOT_TOKEN_EXPIRED', 'user token expired', { cause: err });
      throw new TokenError('BOT_TOKEN_FORBIDDEN', 'user token not valid', { cause: err });
    }
    const sub = payload.sub;
    if (typeof sub !== 'string' || !SHOP_SUBJECT.test(sub))
      throw new TokenError('BOT_TOKEN_FORBIDDEN', 'user token: sub must be 1-64 letters, digits, _ or -');
    if ((payload.exp as number) - Date.now() / 1000 > SHOP_TOKEN_MAX_SECONDS)
      throw new TokenError('BOT_TOKEN_FORBIDDEN', 'user token: exp more than 24 hours ahead');
    const name = typeof payload.name === 'string' ? payload.name.slice(0, 100) : undefined;
    return { userId: `dl_shop_${sub}`, name };
  }
}

/** One cookie's value from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
