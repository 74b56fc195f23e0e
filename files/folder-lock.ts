import { randomBytes } from 'node:crypto';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

// One writer at a time for an artifact folder. Inside a process, writes to the same folder queue
// behind each other (a job and an update handler may save the same index at once); across
// processes sharing the data folder, a lock file created with O_EXCL beside the folder decides. A
// lock left by a process that died is taken over once it is older than STALE_MS (no writer holds
// one that long), judged by the file's age, which also works for processes on other machines.

/** A lock older than this is taken to be left by a dead process. */
const STALE_MS = 120_000;
const RETRY_MS = 25;

/** Writers queued per folder in this process. The map is process-wide on purpose: the lock is. */
const queues = new Map<string, Promise<unknown>>();

/** Runs `work` holding the folder's lock, in this process and across processes. */
export async function withFolderLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const key = resolve(dir);
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => withLockFile(key, work));
  queues.set(key, run);
  try {
    return await run;
  } finally {
    if (queues.get(key) === run) queues.delete(key);
  }
}

async function withLockFile<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const lock = join(dirname(dir), `.${basename(dir)}.lock`);
  const token = `${process.pid}:${randomBytes(6).toString('hex')}`;
  for (;;) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(token);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        // The parent folder does not exist yet.
        await mkdir(dirname(lock), { recursive: true });
        continue;
      }
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_MS) await rm(lock, { force: true });
      else await new Promise((ok) => setTimeout(ok, RETRY_MS + Math.random() * RETRY_MS));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { force: true });
  }
}

/** A temporary file name beside `file` that no other writer (process or call) uses. */
export function uniqueTempName(file: string): string {
  return `${file}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
}
