import { z } from 'zod';
import { ArtifactError } from './errors.js';
import {
  ManifestReadError,
  readArtifactFiles,
  readArtifactManifest,
  sha256Hex,
  writeArtifactFolder,
  type LegacyManifest,
  type ManifestDraft,
  type TypedManifest,
} from '../files/index.js';

// The shared lifecycle of trainable recsys things (HNSW index, rule set, item-kNN): an artifact
// folder with data files and the common manifest.json (files/artifact-manifest.ts) that records
// kind, format, encoder, a data hash, metrics, kind-specific params and each file's size and
// sha256, so a truncated or edited file is detected before it is parsed.

/** Hex sha256 of bytes or text. */
export const sha256 = (data: Buffer | string): string => sha256Hex(data);

/** The recsys manifest before the common shape: parameters and extra facts become `params`. */
const ZLegacyRecsysManifest = z.object({
  kind: z.string(),
  formatVersion: z.number().int(),
  parameters: z.record(z.string(), z.unknown()),
  encoderId: z.string().nullable(),
  dims: z.number().int().nullable(),
  dataHash: z.string(),
  metrics: z.record(z.string(), z.unknown()),
  extra: z.record(z.string(), z.unknown()).default({}),
  files: z.record(z.string(), z.string()),
  createdAt: z.string(),
});

function fromLegacy(json: Record<string, unknown>): LegacyManifest {
  const old = ZLegacyRecsysManifest.parse(json);
  return {
    kind: old.kind,
    formatVersion: old.formatVersion,
    createdAt: old.createdAt,
    dataHash: old.dataHash,
    encoder: old.encoderId !== null && old.dims ? { id: old.encoderId, dims: old.dims } : null,
    metrics: old.metrics,
    params: { ...old.parameters, ...old.extra },
    files: Object.entries(old.files).map(([name, sum]) => ({ name, sha256: sum })),
  };
}

/**
 * Writes data files, then the manifest last, so an interrupted write never looks complete. One
 * writer at a time per folder (in this process and across processes sharing the data folder), each
 * through temporary files no other writer uses, so two saves of one index cannot rename each
 * other's files away (ENOENT) or mix their files under one manifest.
 */
export function writeArtifact<P extends object>(
  dir: string,
  manifest: ManifestDraft<P>,
  files: Record<string, Buffer | string>,
): Promise<TypedManifest<P>> {
  return writeArtifactFolder(dir, manifest, files);
}

/** Reads and checks an artifact folder: manifest shape, kind, format version, params and every file's size and checksum. */
export async function readArtifact<P>(
  dir: string,
  kind: string,
  formatVersion: number,
  params: z.ZodType<P>,
): Promise<{ manifest: TypedManifest<P>; files: Map<string, Buffer> }> {
  try {
    const manifest = await readArtifactManifest(dir, {
      params,
      legacy: fromLegacy,
      check: (m, file) => {
        if (m.kind !== kind || m.formatVersion !== formatVersion)
          throw new ArtifactError(
            'RECSYS_ARTIFACT_CORRUPT',
            file,
            `holds ${m.kind} v${m.formatVersion}, expected ${kind} v${formatVersion}`,
          );
      },
    });
    return { manifest, files: await readArtifactFiles(dir, manifest) };
  } catch (error) {
    if (!(error instanceof ManifestReadError)) throw error;
    if (error.reason === 'missing')
      throw new ArtifactError('RECSYS_ARTIFACT_MISSING', error.file, 'not found', { cause: error });
    throw new ArtifactError('RECSYS_ARTIFACT_CORRUPT', error.file, error.detail, { cause: error });
  }
}
