import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { startServer, type RunningServer } from '../../server/start.js';
import { createEmptyPostgresDatabase } from '../support/db.js';

describe.each(['pglite', 'postgres'] as const)('server on %s', (kind) => {
  let server: RunningServer | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await server?.close();
    await drop?.();
  });

  it('migrates, starts and serves /healthz and /readyz', async () => {
    const env: NodeJS.ProcessEnv = {
      DATA_DIR: mkdtempSync(join(tmpdir(), 'mkt-server-')),
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
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: kind });
    const tables = await server.db.prisma.$queryRaw<
      Array<{ n: bigint }>
    >`SELECT count(*) AS n FROM "_prisma_migrations"`;
    expect(Number(tables[0]!.n)).toBeGreaterThan(0);
  });
});
