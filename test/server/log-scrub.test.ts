// The line scrubber behind every log line: credential shapes and configured secret values go,
// the rest of the line (paths, ids, the public prefix of an API key) stays readable.
import { describe, expect, it } from 'vitest';
import { scrubSecrets, secretValuesOf } from '../../server/security/index.js';

describe('scrubSecrets', () => {
  it('removes tokens from URLs, auth headers, JWTs, Slack tokens, API keys and the chat cookie', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJjb252IjoiYWJjIn0.c2lnbmF0dXJlLXZhbHVl';
    const key = `mkt_AbCd1234_${'k'.repeat(43)}`;
    const line = JSON.stringify({
      url: `/v3/directline/conversations/abc/stream?watermark=5&t=${jwt}`,
      auth: 'Bearer sometoken.value',
      slack: 'xoxb-123-456-abcdef and xapp-1-A0-xyz',
      key: `x-api-key ${key}`,
      cookie: `mkt_chat_id=opaque-cookie-value; other=1`,
    });
    const out = scrubSecrets(line);
    expect(out).toContain('/v3/directline/conversations/abc/stream?watermark=5&t=[redacted]');
    expect(out).toContain('Bearer [redacted]');
    expect(out).toContain('[slack-token] and [slack-token]');
    expect(out).toContain('mkt_AbCd1234_[redacted]');
    expect(out).toContain('mkt_chat_id=[redacted]; other=1');
    for (const secret of [jwt, 'sometoken.value', 'xoxb-123', 'k'.repeat(43), 'opaque-cookie-value'])
      expect(out).not.toContain(secret);
  });

  it('replaces configured secret values anywhere, and finds them in an environment', () => {
    const env = {
      TOKEN_SECRET: 'a-long-token-secret-value',
      ENCRYPTION_PREVIOUS_KEYS: 'k0:0123456789abcdef0123,k9:fedcba9876543210fedc',
      DATABASE_URL: 'postgresql://app:db-password-1@db:5432/app',
      BRAND_NAME: 'Northwind Outfitters',
      PORT: '3000',
    };
    const secrets = secretValuesOf(env);
    expect(secrets).toEqual(
      expect.arrayContaining(['a-long-token-secret-value', '0123456789abcdef0123', 'db-password-1']),
    );
    expect(secrets).not.toContain('Northwind Outfitters');
    const out = scrubSecrets('failed: db-password-1 / a-long-token-secret-value / Northwind', secrets);
    expect(out).toBe('failed: [secret] / [secret] / Northwind');
  });
});
