import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (tests run from anywhere). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Shared data sets beside the repository (CI clones with shared/ next to it). */
export const SHARED_DATA = resolve(REPO_ROOT, '../shared/data');

/** Result of one CLI run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Time for a test that runs the CLI: each run is a new process loading its modules (and often the
 * database or the encoder), seconds each on a loaded CI machine; a test that passes is not slowed.
 */
export const CLI_TEST_TIMEOUT_MS = 300_000;

/** Runs `mkt ARGS` through its real bin entry in a child process. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 300_000): Promise<CliRun> {
  return new Promise((resolvePromise) => {
    execFile(
      process.execPath,
      [resolve(REPO_ROOT, 'cli/bin.js'), ...args],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, LOG_LEVEL: 'silent', ...env },
        timeout: timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolvePromise({ code, stdout, stderr });
      },
    );
  });
}
