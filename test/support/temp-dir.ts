import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suiteResource } from './suite-resource.js';

/** A temporary folder shared by the tests of a file or describe block. */
export interface SuiteTempDir {
  /** the folder; only inside tests and hooks, since it is made in `beforeAll` */
  readonly path: string;
  /** a path inside the folder */
  join(...parts: string[]): string;
}

/** Makes a temporary folder before the suite's tests and removes it after them. */
export function suiteTempDir(prefix: string): SuiteTempDir {
  const dir = suiteResource(
    `suiteTempDir(${prefix})`,
    () => mkdtemp(join(tmpdir(), prefix)),
    (path) => rm(path, { recursive: true, force: true }),
  );
  return {
    get path() {
      return dir.current;
    },
    join: (...parts) => join(dir.current, ...parts),
  };
}

/** Runs `work` in a fresh temporary folder and removes the folder afterwards, pass or fail. */
export async function withTempDir<T>(prefix: string, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
