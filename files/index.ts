// Files shared by every artifact writer (intent models, sentiment heads, the model registry's
// pointer, recsys indexes, encoder caches): atomic replacement and one writer at a time per folder.
export { uniqueTempName, withFolderLock } from './folder-lock.js';
export { writeFileAtomic } from './atomic-write.js';
export {
  ManifestReadError,
  readArtifactFiles,
  readArtifactManifest,
  sha256Hex,
  writeArtifactFolder,
  ZArtifactFile,
  ZArtifactManifest,
  type ArtifactFile,
  type ArtifactManifest,
  type LegacyManifest,
  type ManifestDraft,
  type ManifestReading,
  type TypedManifest,
} from './artifact-manifest.js';
