// One manifest.json shape for every artifact folder (intent models, sentiment heads, product
// indexes, rule sets, item-kNN models): the common facts at the top, the kind-specific ones in
// `params`, validated by the artifact's own schema. Data files are written first and the manifest
// last, so a folder with a manifest is complete; each file's size and sha256 detect truncation or
// editing before a loader parses it. Manifests written before this shape are converted on read by
// a `legacy` function the artifact supplies.
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { withFolderLock } from './folder-lock.js';
import { writeFileAtomic } from './atomic-write.js';

/** One data file of an artifact folder; sha256 is absent only in manifests converted from old formats. */
export const ZArtifactFile = z.object({
  name: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
/** One data file of an artifact folder. */
export type ArtifactFile = z.infer<typeof ZArtifactFile>;

/** manifest.json of any artifact folder. */
export const ZArtifactManifest = z.object({
  /** What the folder holds: intent-model, sentiment-head, product-index, association-rules, ... */
  kind: z.string().min(1),
  /** Layout of this kind's data files and params; bumped by the kind when they change. */
  formatVersion: z.number().int().positive(),
  createdAt: z.string(),
  dataHash: z.string(),
  /** The sentence encoder the artifact was built with; null when it embeds nothing. */
  encoder: z.object({ id: z.string().min(1), dims: z.number().int().positive() }).nullable(),
  metrics: z.record(z.string(), z.unknown()),
  files: z.array(ZArtifactFile),
  params: z.record(z.string(), z.unknown()),
});
/** manifest.json of any artifact folder. */
export type ArtifactManifest = z.infer<typeof ZArtifactManifest>;
/** A manifest whose `params` passed the kind's schema. */
export type TypedManifest<P> = Omit<ArtifactManifest, 'params'> & { params: P };
/** What a writer supplies; files and createdAt are filled in while writing. */
export type ManifestDraft<P = Record<string, unknown>> = Omit<TypedManifest<P>, 'files' | 'createdAt'>;
/**
 * An old-format manifest converted by its kind into the common fields; the common schema checks
 * them after the reader has filled in each file's size from the folder.
 */
export type LegacyManifest = Record<string, unknown> & { files: Array<Omit<ArtifactFile, 'bytes'>> };

/** Why a manifest or data file cannot be used; each capability maps it to its own error. */
export class ManifestReadError extends Error {
  constructor(
    readonly reason: 'missing' | 'corrupt',
    readonly file: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${file} (${detail})`, options);
    this.name = 'ManifestReadError';
  }
}

/** Hex sha256 of bytes or text. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Writes the data files, then manifest.json last, one writer at a time per folder (in this
 * process and across processes sharing the data folder), each file replaced atomically.
 */
export async function writeArtifactFolder<P extends object>(
  dir: string,
  draft: ManifestDraft<P>,
  files: Record<string, Uint8Array | string>,
): Promise<TypedManifest<P>> {
  await mkdir(dir, { recursive: true });
  return withFolderLock(dir, async () => {
    const listed: ArtifactFile[] = [];
    for (const [name, data] of Object.entries(files)) {
      await writeFileAtomic(join(dir, name), data);
      listed.push({ name, bytes: Buffer.byteLength(data), sha256: sha256Hex(data) });
    }
    const manifest: TypedManifest<P> = { ...draft, createdAt: new Date().toISOString(), files: listed };
    await writeFileAtomic(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  });
}

/** How to read one kind's manifest. */
export interface ManifestReading<P> {
  /** The kind's own schema for `params`. */
  params: z.ZodType<P>;
  /** Converts a manifest written before the common shape (recognised by `files` not being a list). */
  legacy?: (json: Record<string, unknown>) => LegacyManifest;
  /** Checks kind and format version before `params` is validated, to name the real problem. */
  check?: (manifest: ArtifactManifest, file: string) => void;
}

/** Reads and validates `dir/manifest.json`, converting an old format; throws ManifestReadError. */
export async function readArtifactManifest<P>(
  dir: string,
  reading: ManifestReading<P>,
): Promise<TypedManifest<P>> {
  const file = join(dir, 'manifest.json');
  const raw = await readOrThrow(file);
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new ManifestReadError('corrupt', file, 'not valid JSON', { cause: error });
  }
  const isLegacy =
    reading.legacy &&
    json !== null &&
    typeof json === 'object' &&
    !Array.isArray((json as { files?: unknown }).files);
  if (isLegacy) json = await fromLegacy(dir, json as Record<string, unknown>, reading.legacy!);
  const common = ZArtifactManifest.safeParse(json);
  if (!common.success) throw invalid(file, common.error);
  reading.check?.(common.data, file);
  const params = reading.params.safeParse(common.data.params);
  if (!params.success) throw invalid(file, params.error, 'params.');
  return { ...common.data, params: params.data };
}

/** Reads every listed data file, checking its size and (when recorded) sha256. */
export async function readArtifactFiles(
  dir: string,
  manifest: Pick<ArtifactManifest, 'files'>,
): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const entry of manifest.files) {
    const file = join(dir, entry.name);
    const data = await readOrThrow(file);
    // The checksum first: it names the usual failure (an edited or truncated file) the same way
    // whether the size changed or not; the size is what remains for files listed without one.
    if (entry.sha256 && sha256Hex(data) !== entry.sha256)
      throw new ManifestReadError('corrupt', file, 'checksum does not match the manifest');
    if (data.length !== entry.bytes)
      throw new ManifestReadError('corrupt', file, `${data.length} bytes, the manifest says ${entry.bytes}`);
    out.set(entry.name, data);
  }
  return out;
}

async function fromLegacy(
  dir: string,
  json: Record<string, unknown>,
  legacy: (json: Record<string, unknown>) => LegacyManifest,
): Promise<unknown> {
  let converted: LegacyManifest;
  try {
    converted = legacy(json);
  } catch {
    return json; // not convertible: the common schema names the first problem
  }
  const files: ArtifactFile[] = [];
  for (const entry of converted.files) {
    const size = await stat(join(dir, entry.name)).then(
      (s) => s.size,
      (error: unknown) => {
        throw new ManifestReadError('missing', join(dir, entry.name), 'not found', { cause: error });
      },
    );
    files.push({ ...entry, bytes: size });
  }
  return { ...converted, files };
}

async function readOrThrow(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ManifestReadError(
      missing ? 'missing' : 'corrupt',
      file,
      missing ? 'not found' : (error as Error).message,
      {
        cause: error,
      },
    );
  }
}

function invalid(file: string, error: z.ZodError, prefix = ''): ManifestReadError {
  const issue = error.issues[0];
  return new ManifestReadError(
    'corrupt',
    file,
    `${prefix}${issue?.path.join('.') || 'manifest'}: ${issue?.message}`,
    {
      cause: error,
    },
  );
}
