import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ZEnv } from '../../server/config.js';

// docker-compose.yml cannot be started here (no Docker in CI); check what can go wrong silently:
// services and wiring, and that every variable it sets is one the config module reads.

const compose = parse(readFileSync(resolve(import.meta.dirname, '../../docker-compose.yml'), 'utf8'), {
  merge: true,
}) as {
  services: Record<
    string,
    {
      command?: string[];
      environment?: Record<string, string>;
      depends_on?: Record<string, { condition: string }>;
      volumes?: string[];
    }
  >;
};

describe('docker-compose.yml', () => {
  it('runs app, worker, postgres and redis, with the worker after a healthy (migrated) app', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['app', 'worker', 'postgres', 'redis']),
    );
    expect(compose.services.worker!.command).toEqual(expect.arrayContaining(['cli/main.ts', 'worker']));
    expect(compose.services.worker!.depends_on).toMatchObject({ app: { condition: 'service_healthy' } });
    expect(compose.services.app!.depends_on).toMatchObject({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
  });

  it('gives app and worker the same database, Redis, secrets and data volume', () => {
    const app = compose.services.app!;
    const worker = compose.services.worker!;
    for (const key of [
      'DATABASE_URL',
      'REDIS_URL',
      'ENCRYPTION_KEY',
      'ENCRYPTION_KEY_ID',
      'TOKEN_SECRET',
      'DATA_DIR',
    ]) {
      expect(app.environment?.[key]).toBeDefined();
      expect(worker.environment?.[key]).toBe(app.environment?.[key]);
    }
    expect(app.volumes).toContain('appdata:/data');
    expect(worker.volumes).toContain('appdata:/data');
  });

  it('sets only variables the config module knows', () => {
    const known = new Set(Object.keys(ZEnv.shape));
    for (const name of ['app', 'worker']) {
      for (const key of Object.keys(compose.services[name]!.environment ?? {}))
        expect({ service: name, key, known: known.has(key) }).toEqual({ service: name, key, known: true });
    }
  });
});
