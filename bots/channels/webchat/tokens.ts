// Direct Line tokens: HS256 JWTs (jose) binding one conversation to one user, with an expiry.
// A token is the only key to its conversation, so every route checks the conversation claim.
import { randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { BotConfigError, TokenError } from '../../errors.js';

const ISSUER = 'mkt-directline';

/** What a token grants. */
export interface DirectLineGrant {
  conversationId: string;
  userId: string;
}

// Every Direct Line request carries the token, and a web chat sends the same one for up to its
// lifetime: verifying the signature once and remembering the result (keyed by the exact token, until
// its own expiry) saves an HMAC through WebCrypto per request. Bounded; oldest entries go first.
const VERIFIED_CACHE_SIZE = 10_000;

/** Signs and verifies Direct Line tokens. */
export class TokenService {
  private readonly key: Uint8Array;
  private readonly verified = new Map<string, DirectLineGrant & { expiresAt: number }>();

  /** `secret` must be at least 32 characters; `ttlSeconds` is the token lifetime. */
  constructor(
    secret: string,
    readonly ttlSeconds = 1800,
  ) {
    if (secret.length < 32)
      throw new BotConfigError('Direct Line token secret must be at least 32 characters (set TOKEN_SECRET)');
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1)
      throw new BotConfigError('Direct Line token lifetime must be a positive integer');
    this.key = new TextEncoder().encode(secret);
  }

  /** A new conversation id for a fresh token. */
  newConversationId(): string {
    return randomUUID().replaceAll('-', '');
  }

  /** Issues a token for a grant. */
  async issue(
    grant: DirectLineGrant,
    ttlSeconds = this.ttlSeconds,
  ): Promise<{ token: string; expires_in: number }> {
    const token = await new SignJWT({ conv: grant.conversationId, user: grant.userId })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
      .sign(this.key);
    return { token, expires_in: ttlSeconds };
  }

  /** Verifies a token; throws TokenError (expired, invalid, or for another conversation). */
  async verify(token: string | undefined, conversationId?: string): Promise<DirectLineGrant> {
    if (!token) throw new TokenError('BOT_TOKEN_INVALID', 'missing token');
    const grant = this.verified.get(token) ?? (await this.verifySignature(token));
    if (Date.now() >= grant.expiresAt) {
      this.verified.delete(token);
      throw new TokenError('BOT_TOKEN_EXPIRED', 'token expired');
    }
    if (conversationId !== undefined && grant.conversationId !== conversationId)
      throw new TokenError('BOT_TOKEN_FORBIDDEN', 'token is for another conversation');
    return { conversationId: grant.conversationId, userId: grant.userId };
  }

  private async verifySignature(token: string): Promise<DirectLineGrant & { expiresAt: number }> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired)
        throw new TokenError('BOT_TOKEN_EXPIRED', 'token expired', { cause: err });
      throw new TokenError('BOT_TOKEN_FORBIDDEN', 'token not valid', { cause: err });
    }
    const conv = payload.conv;
    const user = payload.user;
    if (typeof conv !== 'string' || typeof user !== 'string' || typeof payload.exp !== 'number')
      throw new TokenError('BOT_TOKEN_FORBIDDEN', 'token has no conversation');
    const grant = { conversationId: conv, userId: user, expiresAt: payload.exp * 1000 };
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, grant);
    return grant;
  }
}

/** Extracts the token from "Authorization: Bearer x". */
export function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m?.[1];
}
