// Reading and writing the intent model's artifact folder:
//   manifest.json     the common artifact manifest (files/artifact-manifest.ts); `params` holds
//                     labels, thresholds, the out-of-scope model and the `tensors` table
//   metrics.json      validation metrics (also inside the manifest; a separate file for tools)
//   vocabulary.json   TF-IDF terms in feature order
//   weights.bin       little-endian float32 tensors, located by the manifest's `tensors` table
import { join } from 'node:path';
import { z } from 'zod';
import {
  writeArtifactFolder,
  type ArtifactManifest,
  type LegacyManifest,
  type TypedManifest,
} from '../../files/index.js';
import { readNluFiles, readNluManifest } from '../artifact-files.js';
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

/** `kind` of an intent model's manifest (written as 'intent-classifier' before the common manifest). */
export const INTENT_KIND = 'intent-model';

/** How to rebuild, repeated in every artifact error. */
export const RETRAIN_HINT = 'Retrain it with `mkt nlu train --data <intents.yml> --out <model dir>`.';

const ZTensorEntry = z.object({
  name: z.string(),
  offset: z.number().int().min(0),
  length: z.number().int().min(0),
});

/** The intent model's own part of its manifest (`params`). */
export const ZIntentParams = z.object({
  labels: z.array(z.string()).min(2),
  outOfScopeLabels: z.array(z.string()),
  /** Training parameters (tf-idf, heads, tags, input limit). */
  training: z.record(z.string(), z.unknown()),
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
  /** Where each tensor lies in weights.bin (float32 offsets in bytes, lengths in values). */
  tensors: z.array(ZTensorEntry),
});
/** The intent model's own part of its manifest. */
export type IntentParams = z.infer<typeof ZIntentParams>;
type Encoder = { id: string; dims: number };
/** manifest.json of an intent model (always built with an encoder). */
export type IntentManifest = TypedManifest<IntentParams> & { encoder: Encoder };

/** Everything stored in the folder. */
export interface IntentArtifact {
  manifest: Pick<IntentManifest, 'encoder' | 'dataHash' | 'metrics'> & {
    params: Omit<IntentParams, 'tensors'>;
  };
  vocabulary: readonly string[];
  tensors: Record<string, Float32Array>;
}

/** Writes the artifact folder; each file is replaced atomically, manifest last. */
export async function writeIntentArtifact(dir: string, artifact: IntentArtifact): Promise<void> {
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
  const { manifest } = artifact;
  await writeArtifactFolder(
    dir,
    {
      kind: INTENT_KIND,
      formatVersion: INTENT_FORMAT_VERSION,
      encoder: manifest.encoder,
      dataHash: manifest.dataHash,
      metrics: manifest.metrics,
      params: { ...manifest.params, tensors: entries },
    },
    {
      'weights.bin': weights,
      'vocabulary.json': JSON.stringify(artifact.vocabulary),
      // Also inside the manifest; a separate file for tools.
      'metrics.json': `${JSON.stringify(manifest.metrics, null, 2)}\n`,
    },
  );
}

/** Reads only the manifest (validated); used to check the encoder before loading weights. */
export async function readIntentManifest(dir: string): Promise<IntentManifest> {
  const manifest = await readNluManifest(
    dir,
    { params: ZIntentParams, legacy: fromLegacy, check: checkVersion },
    RETRAIN_HINT,
  );
  const { encoder } = manifest;
  if (!encoder) throw new NluModelCorruptError(join(dir, 'manifest.json'), 'encoder: required', RETRAIN_HINT);
  return { ...manifest, encoder };
}

function checkVersion(manifest: ArtifactManifest, file: string): void {
  if (manifest.kind !== INTENT_KIND)
    throw new NluModelCorruptError(file, `holds a ${manifest.kind}, not an intent model`, RETRAIN_HINT);
  if (manifest.formatVersion !== INTENT_FORMAT_VERSION) {
    throw new NluModelCorruptError(
      file,
      `artifact format version ${manifest.formatVersion}, but this version of the software reads only format ${INTENT_FORMAT_VERSION}`,
      RETRAIN_HINT,
    );
  }
}

// Before the common manifest, the model's fields sat at the top level, its training parameters
// in `params` and the checksums in a `files` map of name to sha256.
function fromLegacy(json: Record<string, unknown>): LegacyManifest {
  const { formatVersion, kind: _kind, createdAt, encoder, dataHash, metrics, files, params, ...model } = json;
  return {
    kind: INTENT_KIND,
    formatVersion,
    createdAt,
    dataHash,
    encoder,
    metrics,
    params: { ...model, training: params },
    files: Object.entries(files as Record<string, string>).map(([name, sha256]) => ({ name, sha256 })),
  }; // the common schema and ZIntentParams validate it next
}

/** Reads and verifies the whole artifact (sizes, checksums, tensor bounds). */
export async function readIntentArtifact(
  dir: string,
  manifest?: IntentManifest,
): Promise<{ vocabulary: string[]; tensors: Record<string, Float32Array> }> {
  const m = manifest ?? (await readIntentManifest(dir));
  const weightsFile = join(dir, 'weights.bin');
  const vocabFile = join(dir, 'vocabulary.json');
  const files = await readNluFiles(dir, m, RETRAIN_HINT);
  const weights = files.get('weights.bin');
  const vocabRaw = files.get('vocabulary.json');
  if (!weights) throw new NluModelCorruptError(weightsFile, 'not listed in the manifest', RETRAIN_HINT);
  if (!vocabRaw) throw new NluModelCorruptError(vocabFile, 'not listed in the manifest', RETRAIN_HINT);
  let vocabulary: string[];
  try {
    vocabulary = z.array(z.string()).parse(JSON.parse(vocabRaw.toString('utf8')));
  } catch (error) {
    throw new NluModelCorruptError(vocabFile, 'not a JSON list of strings', RETRAIN_HINT, { cause: error });
  }
  const tensors: Record<string, Float32Array> = {};
  for (const e of m.params.tensors) {
    if (e.offset + e.length * 4 > weights.length) {
      throw new NluModelCorruptError(weightsFile, `tensor ${e.name} lies outside the file`, RETRAIN_HINT);
    }
    // Copy into an aligned buffer (Buffer slices may not be 4-byte aligned).
    const bytes = weights.subarray(e.offset, e.offset + e.length * 4);
    tensors[e.name] = new Float32Array(Uint8Array.from(bytes).buffer);
  }
  return { vocabulary, tensors };
}
