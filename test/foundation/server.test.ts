import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { startServer, type RunningServer } from '../../server/start.js';
import { createEmptyPostgresDatabase } from '../support/db.js';

// One data folder for both runs: the second reuses the intent models the first trained (they are
// keyed by training-data hash and encoder), so the suite trains them once.
const dataDir = mkdtempSync(join(tmpdir(), 'mkt-server-'));

describe.each(['pglite', 'postgres'] as const)('server on %s', (kind) => {
  let server: RunningServer | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await server?.close();
    await drop?.();
  });

  it('migrates, starts and serves /healthz and /readyz', async () => {
    const env: NodeJS.ProcessEnv = {
      DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'silent',
      SEED_DEMO: 'false',
    };
    if (kind === 'postgres') {
      const empty = await createEmptyPostgresDatabase();
      drop = empty.drop;
      env.DATABASE_URL = empty.url;
    }
    server = await startServer(loadConfig(env));
    expect(server.url).toMatch(/^http:\/\/localhost:\d+$/);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: { ok: true } } });
    expect(server.db.kind).toBe(kind);
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const tables = await server.db.prisma.$queryRaw<
      Array<{ n: bigint }>
    >`SELECT count(*) AS n FROM "_prisma_migrations"`;
    expect(Number(tables[0]!.n)).toBeGreaterThan(0);
  }, 600_000);
});
