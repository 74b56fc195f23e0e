// The common artifact manifest (files/artifact-manifest.ts) as the NLU models read it: every
// failure becomes an NLU error naming the file and how to rebuild it.
import {
  ManifestReadError,
  readArtifactFiles,
  readArtifactManifest,
  type ManifestReading,
  type TypedManifest,
} from '../files/index.js';
import { NluModelCorruptError, NluModelMissingError } from './errors.js';

/** Reads and validates dir/manifest.json (old formats converted by `reading.legacy`). */
export function readNluManifest<P>(
  dir: string,
  reading: ManifestReading<P>,
  howToFix: string,
): Promise<TypedManifest<P>> {
  return asNluError(readArtifactManifest(dir, reading), howToFix);
}

/** Reads the data files listed in the manifest, checking sizes and checksums. */
export function readNluFiles(
  dir: string,
  manifest: Pick<TypedManifest<unknown>, 'files'>,
  howToFix: string,
): Promise<Map<string, Buffer>> {
  return asNluError(readArtifactFiles(dir, manifest), howToFix);
}

async function asNluError<T>(work: Promise<T>, howToFix: string): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof ManifestReadError)) throw error;
    if (error.reason === 'missing') throw new NluModelMissingError(error.file, howToFix, { cause: error });
    throw new NluModelCorruptError(error.file, error.detail, howToFix, { cause: error });
  }
}
