import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SecurityError } from './errors.js';

// AES-256-GCM for personal fields at rest. Each value carries the id of the key that sealed it
// ("v1:<keyId>:<iv>:<tag>:<ciphertext>", base64url parts), so keys rotate: new values use the
// current key, old values still open with any configured previous key until re-encrypted.

/** A named 32-byte key. */
export interface EncryptionKey {
  readonly id: string;
  readonly key: Buffer;
}

/** Encrypts and decrypts personal fields. */
export interface FieldCipher {
  readonly currentKeyId: string;
  /** Seals a value; `context` (e.g. "Customer.email") is authenticated, so a value moved to another field no longer opens. */
  encrypt(plain: string, context?: string): string;
  /** Opens a value sealed by any configured key. */
  decrypt(sealed: string, context?: string): string;
  /** True when the value looks like our ciphertext. */
  isEncrypted(value: string): boolean;
  /** True when the value was sealed with an older key (rotation pending). */
  needsReencryption(sealed: string): boolean;
  /** Opens with the old key and seals with the current one. */
  reencrypt(sealed: string, context?: string): string;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const SEALED = /^v1:([A-Za-z0-9_-]{1,32}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22}):([A-Za-z0-9_-]*)$/;

/** Parses a key written as 64 hex characters or base64 of 32 bytes. */
export function parseKey(text: string, what = 'encryption key'): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32 || (!/^[0-9a-f]{64}$/i.test(trimmed) && key.toString('base64') !== trimmed)) {
    throw new SecurityError(
      'SECURITY_KEY_INVALID',
      `${what} must be 32 bytes written as 64 hex characters or base64`,
    );
  }
  return key;
}

/** Parses "id:key,id:key" (previous keys kept for decryption during a rotation). */
export function parseKeyList(text: string | undefined): EncryptionKey[] {
  if (!text || text.trim() === '') return [];
  return text.split(',').map((item) => {
    const [id, key] = item.trim().split(':');
    if (!id || !KEY_ID.test(id) || !key) {
      throw new SecurityError(
        'SECURITY_KEY_INVALID',
        'previous keys must be written "id:key,id:key" with ids of A-Z a-z 0-9 _ -',
      );
    }
    return { id, key: parseKey(key, `previous key "${id}"`) };
  });
}

/** A fresh random 32-byte key as hex. */
export function generateKeyHex(): string {
  return randomBytes(32).toString('hex');
}

/** Builds the cipher from the current key and any previous keys. */
export function createFieldCipher(options: {
  current: EncryptionKey;
  previous?: EncryptionKey[];
}): FieldCipher {
  const keys = new Map<string, Buffer>();
  for (const { id, key } of [...(options.previous ?? []), options.current]) {
    if (!KEY_ID.test(id)) throw new SecurityError('SECURITY_KEY_INVALID', `invalid key id "${id}"`);
    if (key.length !== 32) throw new SecurityError('SECURITY_KEY_INVALID', `key "${id}" is not 32 bytes`);
    keys.set(id, key);
  }
  const currentKeyId = options.current.id;
  const aad = (keyId: string, context?: string): Buffer =>
    Buffer.from(context ? `v1:${keyId}:${context}` : `v1:${keyId}`);

  const encrypt = (plain: string, context?: string): string => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', keys.get(currentKeyId)!, iv);
    cipher.setAAD(aad(currentKeyId, context));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1:${currentKeyId}:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${body.toString('base64url')}`;
  };

  const decrypt = (sealed: string, context?: string): string => {
    const match = SEALED.exec(sealed);
    if (!match) throw new SecurityError('SECURITY_NOT_ENCRYPTED', 'value is not in the v1 encrypted format');
    const [, keyId, iv, tag, body] = match as unknown as [string, string, string, string, string];
    const key = keys.get(keyId);
    if (!key) {
      throw new SecurityError(
        'SECURITY_UNKNOWN_KEY',
        `value was encrypted with key "${keyId}", which is not configured (add it to the previous keys)`,
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(aad(keyId, context));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch (error) {
      throw new SecurityError(
        'SECURITY_DECRYPT_FAILED',
        `cannot decrypt a value sealed with key "${keyId}": wrong key, wrong field or tampered data`,
        {
          cause: error,
        },
      );
    }
  };

  return {
    currentKeyId,
    encrypt,
    decrypt,
    isEncrypted: (value) => SEALED.test(value),
    needsReencryption: (sealed) => SEALED.exec(sealed)?.[1] !== currentKeyId,
    reencrypt: (sealed, context) => encrypt(decrypt(sealed, context), context),
  };
}
