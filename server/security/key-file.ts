import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { SecurityError } from './errors.js';
import { generateKeyHex, parseKey, parseKeyList, type EncryptionKey } from './field-cipher.js';

type LogFn = (object: Record<string, unknown>, message: string) => void;

/** Where the encryption keys came from. */
export interface LoadedKeys {
  current: EncryptionKey;
  previous: EncryptionKey[];
  source: 'environment' | 'key file' | 'generated';
  /** the key file, when one was read or written */
  file?: string;
}

/** Path of the generated key file under DATA_DIR. */
export function keyFilePath(dataDir: string): string {
  return join(dataDir, 'secrets', 'encryption.key');
}

/**
 * The current key comes from ENCRYPTION_KEY; without it (the embedded default) from
 * `<DATA_DIR>/secrets/encryption.key`, generated with mode 0600 on first start. Several
 * processes on several machines must share one key, so with DATABASE_URL or REDIS_URL set a
 * generated key is logged as a warning: set ENCRYPTION_KEY instead.
 */
export function loadEncryptionKeys(
  config: Pick<Config, 'ENCRYPTION_KEY' | 'ENCRYPTION_KEY_ID' | 'dataDir' | 'database' | 'REDIS_URL'>,
  options: { previousKeys?: string; logger: { info: LogFn; warn: LogFn } },
): LoadedKeys {
  const previous = parseKeyList(options.previousKeys);
  const id = config.ENCRYPTION_KEY_ID;
  if (config.ENCRYPTION_KEY)
    return {
      current: { id, key: parseKey(config.ENCRYPTION_KEY, 'ENCRYPTION_KEY') },
      previous,
      source: 'environment',
    };

  const file = keyFilePath(config.dataDir);
  const shared = config.database.kind === 'postgres' || config.REDIS_URL !== undefined;
  let source: LoadedKeys['source'] = 'key file';
  try {
    mkdirSync(join(config.dataDir, 'secrets'), { recursive: true, mode: 0o700 });
    // 'wx': two processes starting together cannot both write; the loser reads the winner's key.
    writeFileSync(file, `${generateKeyHex()}\n`, { flag: 'wx', mode: 0o600 });
    source = 'generated';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new SecurityError(
        'SECURITY_KEY_FILE',
        `cannot create the encryption key file ${file}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  let text: string;
  try {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) {
      chmodSync(file, 0o600);
      options.logger.warn(
        { file, mode: mode.toString(8) },
        'encryption key file was readable by others; mode set to 0600',
      );
    }
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SecurityError(
      'SECURITY_KEY_FILE',
      `cannot read the encryption key file ${file}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const key = parseKey(text, `the key in ${file}`);
  // bound: pino's methods need their logger as `this`
  const log = (shared ? options.logger.warn : options.logger.info).bind(options.logger);
  if (source === 'generated') {
    log(
      { file, keyId: id },
      shared
        ? 'ENCRYPTION_KEY is not set: generated an encryption key file; every server and worker must share one key, so set ENCRYPTION_KEY to its content'
        : 'ENCRYPTION_KEY is not set: generated an encryption key for personal data (back it up with the data folder; losing it makes encrypted fields unreadable)',
    );
  } else if (shared) {
    log(
      { file },
      'ENCRYPTION_KEY is not set: using the local key file; every server and worker must share one key, so set ENCRYPTION_KEY',
    );
  }
  return { current: { id, key }, previous, source, file };
}
