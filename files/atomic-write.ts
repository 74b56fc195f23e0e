import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { uniqueTempName } from './folder-lock.js';

/**
 * Replaces `file` with `data` all at once: written to a temporary name no other writer uses,
 * flushed to disk (fsync), then renamed over the old file, so a reader or a crash sees the old
 * content or the new, never a mix, and two writers never rename each other's files away.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = uniqueTempName(file);
  try {
    const handle = await open(tmp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  await syncFolder(dirname(file));
}

// The rename is durable once the folder's entry is on disk; some file systems refuse to open or
// sync a folder (EISDIR, EPERM, EINVAL), and there the rename is as durable as they make it.
async function syncFolder(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort, see above
  }
}
