// Direct Line tokens: a verified token is remembered, but never past its expiry and never for
// another conversation.
import { describe, expect, it } from 'vitest';
import { TokenService } from '../../bots/channels/webchat/tokens.js';

describe('TokenService', () => {
  const service = new TokenService('s'.repeat(40), 1);

  it('accepts its own token repeatedly, only for its conversation', async () => {
    const { token } = await service.issue({ conversationId: 'c1', userId: 'u1' }, 60);
    expect(await service.verify(token, 'c1')).toEqual({ conversationId: 'c1', userId: 'u1' });
    expect(await service.verify(token)).toEqual({ conversationId: 'c1', userId: 'u1' });
    await expect(service.verify(token, 'c2')).rejects.toMatchObject({ code: 'BOT_TOKEN_FORBIDDEN' });
    const tampered = `${token.slice(0, -2)}${token.endsWith('A') ? 'B' : 'A'}A`;
    await expect(service.verify(tampered, 'c1')).rejects.toMatchObject({ code: 'BOT_TOKEN_FORBIDDEN' });
    const other = new TokenService('t'.repeat(40));
    await expect(other.verify(token, 'c1')).rejects.toMatchObject({ code: 'BOT_TOKEN_FORBIDDEN' });
  });

  it('rejects a remembered token once it has expired', async () => {
    const { token } = await service.issue({ conversationId: 'c3', userId: 'u3' });
    expect((await service.verify(token, 'c3')).userId).toBe('u3');
    await new Promise((r) => setTimeout(r, 2100));
    await expect(service.verify(token, 'c3')).rejects.toMatchObject({ code: 'BOT_TOKEN_EXPIRED' });
    await expect(service.verify(token, 'c3')).rejects.toMatchObject({ code: 'BOT_TOKEN_EXPIRED' });
  });
});
