// The web chat's token secret when TOKEN_SECRET is not set: one file in DATA_DIR.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';

/**
 * Without TOKEN_SECRET, the secret is generated once into DATA_DIR/secrets/token.secret (mode 0600),
 * so web-chat tokens survive restarts; several machines must set TOKEN_SECRET to share it.
 */
export function tokenSecretFromFile(dataDir: string, logger: Logger): string {
  const dir = join(dataDir, 'secrets');
  const file = join(dir, 'token.secret');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    // 'wx': two processes starting together cannot both write; the loser reads the winner's secret.
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    logger.info({ file }, 'generated the web-chat token secret');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}
