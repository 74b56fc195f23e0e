import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ArtifactError } from './errors.js';
import { withFolderLock, writeFileAtomic } from '../files/index.js';

// The shared lifecycle of trainable recsys things (HNSW index, rule set, item-kNN): an artifact
// folder with data files and a manifest.json that records parameters, encoder, dims, a data hash,
// metrics and a sha256 per file, so a truncated or edited file is detected before it is parsed.

/** manifest.json of a recsys artifact folder. */
export const ZManifest = z.object({
  kind: z.string(),
  formatVersion: z.number().int(),
  parameters: z.record(z.string(), z.unknown()),
  encoderId: z.string().nullable(),
  dims: z.number().int().nullable(),
  dataHash: z.string(),
  metrics: z.record(z.string(), z.unknown()),
  /** Extra kind-specific facts (catalog version, element count, ...). */
  extra: z.record(z.string(), z.unknown()).default({}),
  /** sha256 of each data file, by file name. */
  files: z.record(z.string(), z.string()),
  createdAt: z.string(),
});
/** manifest.json of a recsys artifact folder. */
export type Manifest = z.infer<typeof ZManifest>;

/** Hex sha256 of bytes or text. */
export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Writes data files, then the manifest last, so an interrupted write never looks complete. One
 * writer at a time per folder (in this process and across processes sharing the data folder), each
 * through temporary files no other writer uses, so two saves of one index cannot rename each
 * other's files away (ENOENT) or mix their files under one manifest.
 */
export async function writeArtifact(
  dir: string,
  manifest: Omit<Manifest, 'files' | 'createdAt'>,
  files: Record<string, Buffer | string>,
): Promise<Manifest> {
  await mkdir(dir, { recursive: true });
  return withFolderLock(dir, async () => {
    const sums: Record<string, string> = {};
    for (const [name, data] of Object.entries(files)) {
      await writeFileAtomic(join(dir, name), data);
      sums[name] = sha256(data);
    }
    const full: Manifest = { ...manifest, files: sums, createdAt: new Date().toISOString() };
    await writeFileAtomic(join(dir, 'manifest.json'), `${JSON.stringify(full, null, 2)}\n`);
    return full;
  });
}

/** `writeArtifact` for models that embed nothing (rules, item-kNN): no encoder, no dimensions. */
export function writeModelArtifact(
  dir: string,
  manifest: Pick<Manifest, 'kind' | 'formatVersion' | 'parameters' | 'dataHash' | 'metrics'>,
  files: Record<string, Buffer | string>,
): Promise<Manifest> {
  return writeArtifact(dir, { ...manifest, encoderId: null, dims: null, extra: {} }, files);
}

/** Reads and checks an artifact folder: manifest shape, kind, format version and every file checksum. */
export async function readArtifact(
  dir: string,
  kind: string,
  formatVersion: number,
): Promise<{ manifest: Manifest; files: Map<string, Buffer> }> {
  const manifestFile = join(dir, 'manifest.json');
  let raw: string;
  try {
    raw = await readFile(manifestFile, 'utf8');
  } catch (error) {
    throw new ArtifactError('RECSYS_ARTIFACT_MISSING', manifestFile, 'not found', { cause: error });
  }
  let manifest: Manifest;
  try {
    manifest = ZManifest.parse(JSON.parse(raw));
  } catch (error) {
    throw new ArtifactError('RECSYS_ARTIFACT_CORRUPT', manifestFile, 'not a valid manifest', {
      cause: error,
    });
  }
  if (manifest.kind !== kind || manifest.formatVersion !== formatVersion) {
    throw new ArtifactError(
      'RECSYS_ARTIFACT_CORRUPT',
      manifestFile,
      `holds ${manifest.kind} v${manifest.formatVersion}, expected ${kind} v${formatVersion}`,
    );
  }
  const files = new Map<string, Buffer>();
  for (const [name, sum] of Object.entries(manifest.files)) {
    const file = join(dir, name);
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch (error) {
      throw new ArtifactError('RECSYS_ARTIFACT_MISSING', file, 'not found', { cause: error });
    }
    if (sha256(data) !== sum)
      throw new ArtifactError('RECSYS_ARTIFACT_CORRUPT', file, 'checksum does not match the manifest');
    files.set(name, data);
  }
  return { manifest, files };
}
