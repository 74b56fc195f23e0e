import type { Config } from '../config.js';
import { createFieldCipher, type FieldCipher } from './field-cipher.js';
import { loadEncryptionKeys, type LoadedKeys } from './key-file.js';
import { createLookupHasher, deriveLookupKey, type LookupHasher } from './lookup-hash.js';

type LogFn = (object: Record<string, unknown>, message: string) => void;

/** What the composition root needs for personal data: the cipher and the lookup hasher. */
export interface FieldSecurity {
  cipher: FieldCipher;
  lookup: LookupHasher;
  /** where the key came from (for the start-up log line) */
  source: LoadedKeys['source'];
}

/**
 * Loads the keys (environment or generated key file) and builds the cipher and lookup hasher.
 * `previousKeys` ("id:key,...") keeps old keys readable during a rotation.
 */
export function createFieldSecurity(
  config: Pick<Config, 'ENCRYPTION_KEY' | 'ENCRYPTION_KEY_ID' | 'dataDir' | 'database' | 'REDIS_URL'>,
  options: { logger: { info: LogFn; warn: LogFn }; previousKeys?: string },
): FieldSecurity {
  const keys = loadEncryptionKeys(config, options);
  return {
    cipher: createFieldCipher({ current: keys.current, previous: keys.previous }),
    // Derived from the current key: rotating the key means re-hashing Customer.emailHash too.
    lookup: createLookupHasher(deriveLookupKey(keys.current.key)),
    source: keys.source,
  };
}
