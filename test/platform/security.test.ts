import { mkdtempSync, readFileSync, rmSync, statSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { maskPII } from '../../nlu/index.js';
import { loadConfig } from '../../server/config.js';
import {
  basicMaskPII,
  can,
  createFieldCipher,
  createFieldSecurity,
  createLookupHasher,
  createSecureLogger,
  deriveLookupKey,
  generateApiKey,
  generateKeyHex,
  hashApiKey,
  keyFilePath,
  loadEncryptionKeys,
  looksLikeApiKey,
  parseKey,
  parseKeyList,
  PERMISSIONS,
  SecurityError,
} from '../../server/security/index.js';

const k1 = { id: 'k1', key: Buffer.alloc(32, 1) };
const k2 = { id: 'k2', key: Buffer.alloc(32, 2) };
const code = (fn: () => unknown): string => {
  try {
    fn();
    return 'no error';
  } catch (error) {
    return error instanceof SecurityError ? error.code : String(error);
  }
};

describe('field encryption (AES-256-GCM)', () => {
  it('round-trips text in the v1 format with a fresh IV each time', () => {
    const cipher = createFieldCipher({ current: k1 });
    for (const plain of ['ana@example.com', '', 'Zoë 🚀 ünïcödé', 'x'.repeat(10_000)]) {
      const sealed = cipher.encrypt(plain, 'Customer.email');
      expect(sealed).toMatch(/^v1:k1:[\w-]{16}:[\w-]{22}:[\w-]*$/);
      expect(sealed).not.toContain(plain || '\u0000');
      expect(cipher.decrypt(sealed, 'Customer.email')).toBe(plain);
    }
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
    expect(cipher.isEncrypted(cipher.encrypt('a'))).toBe(true);
    expect(cipher.isEncrypted('ana@example.com')).toBe(false);
  });

  it('rejects tampered data, another field, and unknown keys', () => {
    const cipher = createFieldCipher({ current: k1 });
    const sealed = cipher.encrypt('secret text', 'Message.text');
    const parts = sealed.split(':');
    const flipped = Buffer.from(parts[4]!, 'base64url');
    flipped[0]! ^= 1;
    expect(
      code(() =>
        cipher.decrypt([...parts.slice(0, 4), flipped.toString('base64url')].join(':'), 'Message.text'),
      ),
    ).toBe('SECURITY_DECRYPT_FAILED');
    expect(code(() => cipher.decrypt(sealed, 'Customer.email'))).toBe('SECURITY_DECRYPT_FAILED');
    // the key id is authenticated too: relabelling a value does not open it with another key
    const relabelled = sealed.replace('v1:k1:', 'v1:k2:');
    expect(
      code(() => createFieldCipher({ current: k2, previous: [k1] }).decrypt(relabelled, 'Message.text')),
    ).toBe('SECURITY_DECRYPT_FAILED');
    expect(code(() => createFieldCipher({ current: k2 }).decrypt(sealed, 'Message.text'))).toBe(
      'SECURITY_UNKNOWN_KEY',
    );
    expect(code(() => cipher.decrypt('plain text'))).toBe('SECURITY_NOT_ENCRYPTED');
  });

  it('rotates keys: old values open with a previous key and re-encrypt under the current one', () => {
    const old = createFieldCipher({ current: k1 });
    const sealed = old.encrypt('+1 555 0100', 'Customer.phone');
    const rotated = createFieldCipher({ current: k2, previous: [k1] });
    expect(rotated.decrypt(sealed, 'Customer.phone')).toBe('+1 555 0100');
    expect(rotated.needsReencryption(sealed)).toBe(true);
    const resealed = rotated.reencrypt(sealed, 'Customer.phone');
    expect(resealed.startsWith('v1:k2:')).toBe(true);
    expect(rotated.needsReencryption(resealed)).toBe(false);
    expect(createFieldCipher({ current: k2 }).decrypt(resealed, 'Customer.phone')).toBe('+1 555 0100');
  });

  it('parses keys as hex or base64 and key lists as id:key pairs', () => {
    const hex = generateKeyHex();
    expect(parseKey(hex)).toEqual(Buffer.from(hex, 'hex'));
    const b64 = Buffer.alloc(32, 7).toString('base64');
    expect(parseKey(b64)).toEqual(Buffer.alloc(32, 7));
    expect(code(() => parseKey('abc'))).toBe('SECURITY_KEY_INVALID');
    expect(code(() => parseKey(Buffer.alloc(16).toString('base64')))).toBe('SECURITY_KEY_INVALID');
    expect(parseKeyList(`old:${hex}, older:${b64}`).map((k) => k.id)).toEqual(['old', 'older']);
    expect(parseKeyList(undefined)).toEqual([]);
    expect(code(() => parseKeyList('nocolon'))).toBe('SECURITY_KEY_INVALID');
  });
});

describe('encryption key loading', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'mkt-keys-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const capture = () => {
    const lines: Array<{ level: string; message: string }> = [];
    return {
      lines,
      logger: {
        info: (_o: Record<string, unknown>, message: string) => void lines.push({ level: 'info', message }),
        warn: (_o: Record<string, unknown>, message: string) => void lines.push({ level: 'warn', message }),
      },
    };
  };

  it('generates a 0600 key file on first start, says so, and reuses it afterwards', () => {
    const dataDir = tempDir();
    const config = loadConfig({ DATA_DIR: dataDir });
    const first = capture();
    const a = loadEncryptionKeys(config, first);
    expect(a.source).toBe('generated');
    expect(statSync(keyFilePath(config.dataDir)).mode & 0o777).toBe(0o600);
    expect(first.lines).toHaveLength(1);
    expect(first.lines[0]).toMatchObject({ level: 'info' });
    expect(first.lines[0]!.message).toMatch(/generated an encryption key/);
    const second = capture();
    const b = loadEncryptionKeys(config, second);
    expect(b.source).toBe('key file');
    expect(b.current.key.equals(a.current.key)).toBe(true);
    expect(b.current.id).toBe('k1');
    expect(second.lines).toEqual([]);
    expect(readFileSync(keyFilePath(config.dataDir), 'utf8').trim()).toBe(a.current.key.toString('hex'));
  });

  it('prefers ENCRYPTION_KEY, fixes a loose key file mode, and warns when processes must share a key', () => {
    const hex = generateKeyHex();
    const fromEnv = loadEncryptionKeys(
      loadConfig({ DATA_DIR: tempDir(), ENCRYPTION_KEY: hex, ENCRYPTION_KEY_ID: 'prod1' }),
      capture(),
    );
    expect(fromEnv).toMatchObject({ source: 'environment', current: { id: 'prod1' } });
    expect(fromEnv.current.key.toString('hex')).toBe(hex);

    const dataDir = tempDir();
    const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://u@127.0.0.1/x' });
    const log = capture();
    loadEncryptionKeys(config, log);
    expect(log.lines.map((l) => l.level)).toEqual(['warn']);
    chmodSync(keyFilePath(config.dataDir), 0o644);
    const again = capture();
    loadEncryptionKeys(config, again);
    expect(statSync(keyFilePath(config.dataDir)).mode & 0o777).toBe(0o600);
    expect(again.lines.some((l) => /mode set to 0600/.test(l.message))).toBe(true);
  });
});

describe('field security setup', () => {
  it('builds a cipher and lookup hasher that agree across restarts on the same data folder', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mkt-setup-'));
    try {
      const config = loadConfig({ DATA_DIR: dataDir });
      const logger = { info: () => undefined, warn: () => undefined };
      const first = createFieldSecurity(config, { logger });
      const second = createFieldSecurity(config, { logger });
      expect([first.source, second.source]).toEqual(['generated', 'key file']);
      expect(second.cipher.decrypt(first.cipher.encrypt('ana@example.com'))).toBe('ana@example.com');
      expect(second.lookup.email('ANA@example.com')).toBe(first.lookup.email('ana@example.com'));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('lookup hashes', () => {
  it('hashes equal addresses equally and depends on the key', () => {
    const hasher = createLookupHasher(deriveLookupKey(k1.key));
    expect(hasher.email('  Ana@Example.COM ')).toBe(hasher.email('ana@example.com'));
    expect(hasher.email('ana@example.com')).toMatch(/^[0-9a-f]{64}$/);
    expect(hasher.email('ana@example.com')).not.toBe(hasher.email('bob@example.com'));
    expect(createLookupHasher(deriveLookupKey(k2.key)).email('ana@example.com')).not.toBe(
      hasher.email('ana@example.com'),
    );
    expect(deriveLookupKey(k1.key).equals(k1.key)).toBe(false);
  });
});

describe('API keys and roles', () => {
  it('generates unguessable keys whose sha256 and prefix are stored', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).toMatch(/^mkt_[A-Za-z0-9]{8}_[\w-]{43}$/);
    expect(a.key.startsWith(`${a.prefix}_`)).toBe(true);
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.key).not.toBe(b.key);
    expect(looksLikeApiKey(a.key)).toBe(true);
    expect(looksLikeApiKey('Bearer x')).toBe(false);
  });

  it('gives admin every permission and the others a strict subset', () => {
    for (const permission of Object.keys(PERMISSIONS) as Array<keyof typeof PERMISSIONS>)
      expect(can('admin', permission)).toBe(true);
    expect(can('marketer', 'catalog.write')).toBe(true);
    expect(can('viewer', 'catalog.write')).toBe(false);
    expect(can('marketer', 'apikeys.manage')).toBe(false);
    expect(can('viewer', 'customers.export')).toBe(false);
    expect(can('viewer', 'catalog.read')).toBe(true);
  });
});

describe('secure logger', () => {
  const collect = () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    return { lines, stream, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
  };

  it('redacts secrets and direct personal fields', () => {
    const out = collect();
    const logger = createSecureLogger({ destination: out.stream });
    logger.info(
      {
        req: {
          method: 'GET',
          url: '/x',
          headers: { authorization: 'Bearer mkt_abcdefgh_secret', cookie: 'sid=1', 'x-api-key': 'k' },
        },
        config: { ENCRYPTION_KEY: 'deadbeef', SLACK_BOT_TOKEN: 'xoxb-1', PORT: 3000 },
        customer: { id: 'c1', email: 'ana@example.com', phone: '+1 555 0100' },
        token: 'tok',
      },
      'request',
    );
    const text = out.lines.join('');
    for (const secret of [
      'mkt_abcdefgh_secret',
      'sid=1',
      'deadbeef',
      'xoxb-1',
      'ana@example.com',
      '555 0100',
      '"tok"',
    ])
      expect(text).not.toContain(secret);
    const [line] = out.parsed();
    expect(line).toMatchObject({
      config: { PORT: 3000, ENCRYPTION_KEY: '[redacted]' },
      customer: { id: 'c1', email: '[redacted]' },
    });
  });

  it('masks personal data in messages and free-text fields with the masker it is given', () => {
    const out = collect();
    createSecureLogger({ destination: out.stream }).info(
      { text: 'mail me at ana@example.com or +44 20 7946 0958' },
      'user wrote ana@example.com',
    );
    const [line] = out.parsed();
    expect(line).toMatchObject({ text: 'mail me at [email] or [number]', msg: 'user wrote [email]' });

    const custom = collect();
    createSecureLogger({
      destination: custom.stream,
      maskPII: (text) => text.replace(/Ana/g, '[name]'),
    }).warn({ utterance: 'I am Ana' }, 'hi Ana');
    expect(custom.parsed()[0]).toMatchObject({ utterance: 'I am [name]', msg: 'hi [name]' });
  });

  it("plugs in the NLU module's maskPII", () => {
    const out = collect();
    createSecureLogger({ destination: out.stream, maskPII }).info(
      { message: 'card 4111 1111 1111 1111, mail ana@example.com' },
      'from +44 20 7946 0958',
    );
    const [line] = out.parsed();
    expect(line!.message).toBe(maskPII('card 4111 1111 1111 1111, mail ana@example.com'));
    expect(JSON.stringify(line)).not.toMatch(/4111|ana@example|7946/);
  });

  it('keeps ordinary numbers and ids readable in the fallback masker', () => {
    expect(basicMaskPII('order 1234 for 3 items, id 4f0c2a1e-1b2c-4d5e-8f90-123456789abc')).toBe(
      'order 1234 for 3 items, id 4f0c2a1e-1b2c-4d5e-8f90-123456789abc',
    );
  });
});
