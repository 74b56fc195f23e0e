// Artifact folder of a sentiment head: manifest.json (format version, parameters, encoder, dims,
// data hash, metrics), vocabulary.json (TF-IDF terms and idf) and weights.bin (float32 little-endian:
// sparse weights | dense weights | bias).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { withFolderLock, writeFileAtomic } from '../../files/index.js';
import type { SentenceEncoder } from '../encoder.js';
import { readArtifactFile, readManifestFile } from '../artifact-files.js';
import { NluEncoderMismatchError, NluModelCorruptError } from '../errors.js';
import { LEXICON_FEATURES, TfidfVectorizer } from './features.js';
import { SentimentHead } from './head.js';

/** Current artifact format. */
export const SENTIMENT_FORMAT_VERSION = 1;

const HOW_TO_REBUILD =
  'Rebuild it with `npx mkt sentiment train --out <folder>` (or delete the folder to retrain at start).';

/** manifest.json of a sentiment head. */
export const ZSentimentManifest = z.object({
  formatVersion: z.literal(SENTIMENT_FORMAT_VERSION),
  kind: z.literal('sentiment-head'),
  createdAt: z.string(),
  parameters: z.object({
    l2: z.number().nonnegative(),
    /** Feature blocks in use (absent in heads written before the selection existed: both on). */
    features: z.object({ tfidf: z.boolean(), lexicon: z.boolean() }).default({ tfidf: true, lexicon: true }),
    epochs: z.number().int().positive(),
    learningRate: z.number().positive(),
    minDf: z.number().int().positive(),
    neutralBand: z.number().min(0).max(1),
  }),
  encoder: z.object({ id: z.string().min(1), dims: z.number().int().positive() }).nullable(),
  dims: z.object({ sparse: z.number().int().nonnegative(), dense: z.number().int().nonnegative() }),
  dataHash: z.string(),
  trainingSize: z.number().int().positive(),
  metrics: z.record(z.string(), z.number()),
  files: z.object({ vocabulary: z.literal('vocabulary.json'), weights: z.literal('weights.bin') }),
});
/** manifest.json of a sentiment head. */
export type SentimentManifest = z.infer<typeof ZSentimentManifest>;

const ZVocabulary = z.object({ terms: z.array(z.string()), idf: z.array(z.number()) });

/** Writes the head to `dir` (created if needed); each file is replaced atomically, manifest last, so a crash leaves no half artifact. */
export async function persistSentimentHead(
  head: SentimentHead,
  dir: string,
  extraMetrics: Record<string, number> = {},
): Promise<SentimentManifest> {
  const { state } = head;
  await mkdir(dir, { recursive: true });
  const vectorizerState = state.vectorizer.toState();
  const weights = new Float32Array(state.weights.sparse.length + state.weights.dense.length + 1);
  weights.set(state.weights.sparse, 0);
  weights.set(state.weights.dense, state.weights.sparse.length);
  weights[weights.length - 1] = state.weights.bias;
  const manifest: SentimentManifest = {
    formatVersion: SENTIMENT_FORMAT_VERSION,
    kind: 'sentiment-head',
    createdAt: new Date().toISOString(),
    parameters: state.parameters,
    encoder: state.encoder,
    dims: { sparse: state.weights.sparse.length, dense: state.weights.dense.length },
    dataHash: state.dataHash,
    trainingSize: state.trainingSize,
    metrics: { ...state.metrics, ...extraMetrics },
    files: { vocabulary: 'vocabulary.json', weights: 'weights.bin' },
  };
  const files: Array<[string, string | Uint8Array]> = [
    ['vocabulary.json', JSON.stringify(vectorizerState)],
    ['weights.bin', new Uint8Array(weights.buffer)],
    ['manifest.json', `${JSON.stringify(manifest, null, 2)}\n`], // last: its presence marks a complete artifact
  ];
  // One writer at a time (a retrain job and `mkt sentiment train` may share DATA_DIR).
  await withFolderLock(dir, async () => {
    for (const [name, content] of files) await writeFileAtomic(join(dir, name), content);
  });
  return manifest;
}

/** Reads only the manifest (to check the encoder before loading the rest). */
export async function readSentimentManifest(dir: string): Promise<SentimentManifest> {
  return readManifestFile(join(dir, 'manifest.json'), ZSentimentManifest, HOW_TO_REBUILD);
}

/** Loads a head; the encoder must be the one it was trained with (or none for a lexical head). */
export async function loadSentimentHead(
  dir: string,
  encoder: SentenceEncoder | null = null,
): Promise<SentimentHead> {
  const manifest = await readSentimentManifest(dir);
  const current = encoder ? { id: encoder.id, dims: encoder.dims } : { id: 'none', dims: 0 };
  const expected = manifest.encoder ?? { id: 'none', dims: 0 };
  if (current.id !== expected.id || current.dims !== expected.dims) {
    throw new NluEncoderMismatchError(expected, current, HOW_TO_REBUILD);
  }
  if (manifest.dims.dense !== LEXICON_FEATURES + expected.dims) {
    throw new NluModelCorruptError(
      join(dir, 'manifest.json'),
      `dims.dense ${manifest.dims.dense} does not match the encoder`,
      HOW_TO_REBUILD,
    );
  }
  const vocabPath = join(dir, manifest.files.vocabulary);
  const vocabulary = ZVocabulary.safeParse(safeJson(await readArtifactFile(vocabPath, HOW_TO_REBUILD)));
  if (
    !vocabulary.success ||
    vocabulary.data.terms.length !== manifest.dims.sparse ||
    vocabulary.data.idf.length !== manifest.dims.sparse
  ) {
    throw new NluModelCorruptError(
      vocabPath,
      `expected ${manifest.dims.sparse} terms with idf values`,
      HOW_TO_REBUILD,
    );
  }
  const weightsPath = join(dir, manifest.files.weights);
  const bytes = await readArtifactFile(weightsPath, HOW_TO_REBUILD);
  const expectedBytes = (manifest.dims.sparse + manifest.dims.dense + 1) * 4;
  if (bytes.byteLength !== expectedBytes) {
    throw new NluModelCorruptError(
      weightsPath,
      `${bytes.byteLength} bytes, expected ${expectedBytes}`,
      HOW_TO_REBUILD,
    );
  }
  // Copy into an aligned buffer: a Buffer from readFile may sit at an odd offset of a shared pool.
  const all = new Float32Array(new Uint8Array(bytes).buffer);
  const { sparse, dense } = manifest.dims;
  return new SentimentHead(
    {
      parameters: manifest.parameters,
      encoder: manifest.encoder,
      vectorizer: TfidfVectorizer.fromState(vocabulary.data),
      weights: {
        sparse: all.slice(0, sparse),
        dense: all.slice(sparse, sparse + dense),
        bias: all[sparse + dense]!,
      },
      dataHash: manifest.dataHash,
      trainingSize: manifest.trainingSize,
      metrics: manifest.metrics,
    },
    encoder,
  );
}

function safeJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}
