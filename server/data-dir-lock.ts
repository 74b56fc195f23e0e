// The embedded database (PGlite) is single-writer: two processes on one folder corrupt it or fail
// late. The process that opens it writes DATA_DIR/owner.lock (its pid) first; another process on
// the same folder refuses at once, naming the owner. A lock left by a process that died is taken over.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Who holds a data folder. */
export interface DataDirOwner {
  pid: number;
  /** `server`, `worker` or the mkt command (`mkt db seed`) */
  role: string;
  /** when the owning process started (ms since epoch): tells a reused pid from the owner */
  processStart: number;
  since: string;
}

/** A held lock; `release` deletes the file if it is still ours. */
export interface DataDirLock {
  readonly file: string;
  release(): void;
}

/** Thrown when a live process already owns the folder. */
export class DataDirLockedError extends Error {
  readonly code = 'DATA_DIR_LOCKED';
  constructor(
    readonly dataDir: string,
    readonly owner: DataDirOwner,
    message: string,
  ) {
    super(message);
    this.name = 'DataDirLockedError';
  }
}

/** The lock file of a data folder. */
export function lockFilePath(dataDir: string): string {
  return join(dataDir, 'owner.lock');
}

// Rounded: uptime and Date.now() are read at slightly different instants.
const thisProcessStart = (): number => Math.round((Date.now() - process.uptime() * 1000) / 1000) * 1000;

function readOwner(file: string): DataDirOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<DataDirOwner>;
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid)) return undefined;
    return {
      pid: parsed.pid,
      role: String(parsed.role ?? 'unknown'),
      processStart: Number(parsed.processStart ?? 0),
      since: String(parsed.since ?? ''),
    };
  } catch {
    return undefined; // missing, half-written or not ours: treated as no owner
  }
}

function alive(owner: DataDirOwner): boolean {
  // Same pid as this process: ours only if it is this incarnation (containers reuse small pids).
  if (owner.pid === process.pid) return Math.abs(owner.processStart - thisProcessStart()) <= 2000;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}

/** The live owner of a data folder, if any. */
export function dataDirOwner(dataDir: string): DataDirOwner | undefined {
  const owner = readOwner(lockFilePath(dataDir));
  return owner && alive(owner) ? owner : undefined;
}

/**
 * Takes the folder for this process or throws DataDirLockedError (message from `refusal`).
 * The file is created with O_EXCL so two processes starting together cannot both win.
 */
export function acquireDataDirLock(
  dataDir: string,
  role: string,
  refusal: (owner: DataDirOwner, dataDir: string) => string = (owner, dir) => serverRefusal(dir, owner),
): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = lockFilePath(dataDir);
  const me: DataDirOwner = {
    pid: process.pid,
    role,
    processStart: thisProcessStart(),
    since: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      writeFileSync(file, `${JSON.stringify(me)}\n`, { flag: 'wx', mode: 0o644 });
      return { file, release: () => releaseIfOurs(file) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(file);
    if (owner && alive(owner)) throw new DataDirLockedError(dataDir, owner, refusal(owner, dataDir));
    // Stale (its process is gone): moved aside atomically, then the exclusive create is retried.
    try {
      renameSync(file, `${file}.stale-${process.pid}`);
      rmSync(`${file}.stale-${process.pid}`, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new Error(`could not take ${file}: other processes keep recreating it`);
}

function releaseIfOurs(file: string): void {
  const owner = readOwner(file);
  if (owner?.pid === process.pid) rmSync(file, { force: true });
}

/** "server (pid 123, since 2026-12-04T20:00:00.000Z)" */
export function describeOwner(owner: DataDirOwner): string {
  return `${owner.role} (pid ${owner.pid}, since ${owner.since})`;
}

/** Why a server or worker cannot start on a folder another process owns. */
export function serverRefusal(dataDir: string, owner: DataDirOwner): string {
  return (
    `${dataDir} is in use by ${describeOwner(owner)}: its embedded database takes one process at a ` +
    'time. Stop that process first, or start this one with another DATA_DIR (or DATABASE_URL for a ' +
    'PostgreSQL server that many processes can share).'
  );
}
