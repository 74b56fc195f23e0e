// One process owns the embedded database: a second server, a worker or a writing `mkt` command on
// the same DATA_DIR refuses at once (real child processes), and a lock left by a dead process is
// taken over.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, loadConfig, lockFilePath, openPlatform } from '../../server/index.js';
import { REPO_ROOT, runCli } from '../support/cli.js';

const dirs: string[] = [];
const newDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'mkt-lock-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs `npm start`'s entry on a folder; resolves with its exit code and stderr. */
function startSecondServer(dataDir: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', PORT: '0', LOG_LEVEL: 'warn' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('the data folder lock', () => {
  it('a second server and a writing command refuse while a process owns the folder; released on close', async () => {
    const dataDir = newDir();
    const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' });
    const owner = await openPlatform({ role: 'server', config });
    try {
      const lock = JSON.parse(readFileSync(lockFilePath(dataDir), 'utf8')) as { pid: number; role: string };
      expect(lock).toMatchObject({ pid: process.pid, role: 'server' });

      const second = await startSecondServer(dataDir);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`error: ${dataDir} is in use by server (pid ${process.pid}`);
      expect(second.stderr).toContain('Stop that process first, or start this one with another DATA_DIR');

      const create = await runCli(['apikeys', 'create', 'ops', '--role', 'admin'], {
        DATA_DIR: dataDir,
        DATABASE_URL: '',
      });
      expect(create.code).toBe(1);
      expect(create.stderr).toContain(
        `error: mkt apikeys create cannot open the embedded database in ${dataDir} while server (pid ${process.pid}`,
      );
      expect(create.stderr).toContain('Instead: POST /api/admin/v1/api-keys on the running server');

      // The same process cannot open it twice either (two PGlite instances on one folder).
      await expect(openPlatform({ role: 'mkt db seed', config })).rejects.toBeInstanceOf(DataDirLockedError);
    } finally {
      await owner.close();
    }
    expect(existsSync(lockFilePath(dataDir))).toBe(false);
    const created = await runCli(['apikeys', 'create', 'ops', '--role', 'admin', '--json'], {
      DATA_DIR: dataDir,
      DATABASE_URL: '',
    });
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'ops', role: 'admin' });
    expect(existsSync(lockFilePath(dataDir))).toBe(false);
  }, 240_000);

  it('a lock left by a process that has died is taken over', async () => {
    const dataDir = newDir();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const deadPid = Number(dead.stdout);
    expect(deadPid).toBeGreaterThan(0);
    writeFileSync(
      lockFilePath(dataDir),
      JSON.stringify({ pid: deadPid, role: 'server', processStart: 0, since: '2026-01-01T00:00:00.000Z' }),
    );
    const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' });
    const platform = await openPlatform({ role: 'server', config });
    try {
      expect(JSON.parse(readFileSync(lockFilePath(dataDir), 'utf8'))).toMatchObject({ pid: process.pid });
    } finally {
      await platform.close();
    }
  }, 120_000);
});
