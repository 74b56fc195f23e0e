// Reading and writing the intent model's artifact folder:
//   manifest.json     format version, encoder, labels, parameters, data hash, metrics, checksums
//   metrics.json      validation metrics (also inside the manifest; a separate file for tools)
//   vocabulary.json   TF-IDF terms in feature order
//   weights.bin       little-endian float32 tensors, located by the manifest's `tensors` table
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { withFolderLock, writeFileAtomic } from '../../files/index.js';
import { readArtifactFile, readManifestFile } from '../artifact-files.js';
import { NluModelCorruptError } from '../errors.js';

/**
 * Format of the artifact; bump when the layout changes (older artifacts must be retrained).
 * 2: out-of-scope model (`oosScorer`) and the nearest-neighbour tensors (`neighbourMatrix`,
 * `neighbourCounts`, `centroids`) and Gaussian tensors (`whitening`, `classMeans`).
 * 3: no Gaussian tensors; the out-of-scope features are ten (no Mahalanobis distances) and the
 * neighbour search covers the five best-ranked intents.
 * 4: `oosMethod` names the out-of-scope method; the metric methods add a projection head
 * (`metricWeights`, `metricBias`, `metricClassWeights`, `metricDims`) and per-intent `boundaries`.
 */
export const INTENT_FORMAT_VERSION = 4;

/** How to rebuild, repeated in every artifact error. */
export const RETRAIN_HINT = 'Retrain it with `mkt nlu train --data <intents.yml> --out <model dir>`.';

const ZTensorEntry = z.object({
  name: z.string(),
  offset: z.number().int().min(0),
  length: z.number().int().min(0),
});

/** manifest.json of an intent model. */
export const ZIntentManifest = z.object({
  formatVersion: z.literal(INTENT_FORMAT_VERSION),
  kind: z.literal('intent-classifier'),
  createdAt: z.string(),
  encoder: z.object({ id: z.string(), dims: z.number().int().positive() }),
  labels: z.array(z.string()).min(2),
  outOfScopeLabels: z.array(z.string()),
  dataHash: z.string(),
  params: z.record(z.string(), z.unknown()),
  fusionWeight: z.number().min(0).max(1),
  /** Weight of the nearest-neighbour vote (absent in artifacts written before the vote: no vote). */
  neighbourWeight: z.number().min(0).default(0),
  oosMethod: z.enum(['combined', 'combined-metric', 'adb', 'confidence']),
  /** Projected dimensions of the metric head, null when the method does not use it. */
  metricDims: z.number().int().positive().nullable(),
  threshold: z.number().min(0).max(1),
  /** Logistic out-of-scope model over standardised features; null when the top probability is the score. */
  oosScorer: z
    .object({
      features: z.array(z.string()),
      mean: z.array(z.number()),
      std: z.array(z.number()),
      weights: z.array(z.number()),
      bias: z.number(),
    })
    .nullable(),
  tfidfFeatures: z.number().int().min(0),
  tensors: z.array(ZTensorEntry),
  metrics: z.record(z.string(), z.unknown()),
  files: z.record(z.string(), z.string()),
});
export type IntentManifest = z.infer<typeof ZIntentManifest>;

/** Everything stored in the folder. */
export interface IntentArtifact {
  manifest: Omit<IntentManifest, 'tensors' | 'files'>;
  vocabulary: readonly string[];
  tensors: Record<string, Float32Array>;
}

const sha256 = (buf: Buffer | string) => createHash('sha256').update(buf).digest('hex');

/** Writes the artifact folder; each file is replaced atomically, manifest last. */
export async function writeIntentArtifact(dir: string, artifact: IntentArtifact): Promise<void> {
  await mkdir(dir, { recursive: true });
  const entries: Array<z.infer<typeof ZTensorEntry>> = [];
  let offset = 0;
  for (const [name, t] of Object.entries(artifact.tensors)) {
    entries.push({ name, offset, length: t.length });
    offset += t.length * 4;
  }
  const weights = Buffer.alloc(offset);
  for (const e of entries) {
    const t = artifact.tensors[e.name]!;
    for (let i = 0; i < t.length; i++) weights.writeFloatLE(t[i]!, e.offset + i * 4);
  }
  const vocabulary = JSON.stringify(artifact.vocabulary);
  const metrics = `${JSON.stringify(artifact.manifest.metrics, null, 2)}\n`;
  const manifest: IntentManifest = {
    ...artifact.manifest,
    tensors: entries,
    files: { 'weights.bin': sha256(weights), 'vocabulary.json': sha256(vocabulary) },
  };
  // One writer at a time per folder, in this process and across processes sharing DATA_DIR.
  await withFolderLock(dir, async () => {
    await writeFileAtomic(join(dir, 'weights.bin'), weights);
    await writeFileAtomic(join(dir, 'vocabulary.json'), vocabulary);
    await writeFileAtomic(join(dir, 'metrics.json'), metrics);
    await writeFileAtomic(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  });
}

/** Reads only the manifest (validated); used to check the encoder before loading weights. */
export async function readIntentManifest(dir: string): Promise<IntentManifest> {
  const file = join(dir, 'manifest.json');
  return readManifestFile(file, ZIntentManifest, RETRAIN_HINT, (json) => {
    const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
    if (typeof version === 'number' && version !== INTENT_FORMAT_VERSION) {
      throw new NluModelCorruptError(
        file,
        `artifact format version ${version}, but this version of the software reads only format ${INTENT_FORMAT_VERSION}`,
        RETRAIN_HINT,
      );
    }
  });
}

/** Reads and verifies the whole artifact (checksums, tensor bounds). */
export async function readIntentArtifact(dir: string, manifest?: IntentManifest): Promise<IntentArtifact> {
  const m = manifest ?? (await readIntentManifest(dir));
  const weightsFile = join(dir, 'weights.bin');
  const vocabFile = join(dir, 'vocabulary.json');
  const [weights, vocabRaw] = await Promise.all([
    readArtifactFile(weightsFile, RETRAIN_HINT),
    readArtifactFile(vocabFile, RETRAIN_HINT),
  ]);
  if (sha256(weights) !== m.files['weights.bin'])
    throw new NluModelCorruptError(weightsFile, 'checksum mismatch', RETRAIN_HINT);
  if (sha256(vocabRaw) !== m.files['vocabulary.json'])
    throw new NluModelCorruptError(vocabFile, 'checksum mismatch', RETRAIN_HINT);
  let vocabulary: string[];
  try {
    vocabulary = z.array(z.string()).parse(JSON.parse(vocabRaw.toString('utf8')));
  } catch (error) {
    throw new NluModelCorruptError(vocabFile, 'not a JSON list of strings', RETRAIN_HINT, { cause: error });
  }
  const tensors: Record<string, Float32Array> = {};
  for (const e of m.tensors) {
    if (e.offset + e.length * 4 > weights.length) {
      throw new NluModelCorruptError(weightsFile, `tensor ${e.name} lies outside the file`, RETRAIN_HINT);
    }
    // Copy into an aligned buffer (Buffer slices may not be 4-byte aligned).
    const bytes = weights.subarray(e.offset, e.offset + e.length * 4);
    tensors[e.name] = new Float32Array(Uint8Array.from(bytes).buffer);
  }
  const { tensors: _t, files: _f, ...rest } = m;
  return { manifest: rest, vocabulary, tensors };
}
