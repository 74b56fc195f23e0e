import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

describe('loadConfig', () => {
  it('works with an empty environment: embedded database under ./data, port 3000', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.database.kind).toBe('pglite');
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(config.NLU_ENCODER).toBe('use-lite');
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.CHAT_WARM_UP_SENTENCES).toBe(400);
  });

  it('switches to PostgreSQL when DATABASE_URL is a postgres URL', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://app@127.0.0.1:5432/shop' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgresql://app@127.0.0.1:5432/shop' });
  });

  it.each([
    ['PORT', 'eighty', /^invalid configuration: PORT /],
    ['PORT', '70000', /^invalid configuration: PORT /],
    ['DATABASE_URL', 'mysql://x@y/z', /DATABASE_URL must be a postgres/],
    ['REDIS_URL', 'localhost:6379', /REDIS_URL must be a redis/],
    ['NLU_ENCODER', 'bert', /NLU_ENCODER must be "use-lite" or "onnx:/],
    ['SEED_DEMO', 'maybe', /^invalid configuration: SEED_DEMO /],
    ['CHAT_WARM_UP_SENTENCES', '-1', /^invalid configuration: CHAT_WARM_UP_SENTENCES /],
    ['CHAT_WARM_UP_SENTENCES', 'all', /^invalid configuration: CHAT_WARM_UP_SENTENCES /],
  ])('rejects %s=%s with one line naming the variable', (key, value, pattern) => {
    let error: unknown;
    try {
      loadConfig({ [key]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(pattern);
    expect(message).not.toContain('\n');
  });

  it('never echoes a secret or a URL password in the error', () => {
    expect(() => loadConfig({ ENCRYPTION_KEY: 'tooshort-secret' })).toThrow(
      /ENCRYPTION_KEY .*\(got "\*\*\*"\)/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'mysql://me:hunter2@db/x' })).toThrow(
      /mysql:\/\/me:\*\*\*@db\/x/,
    );
  });
});
