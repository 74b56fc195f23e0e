// Artifact folder of a sentiment head: manifest.json (the common artifact manifest,
// files/artifact-manifest.ts; `params` holds the training parameters, dims and training size),
// vocabulary.json (TF-IDF terms and idf) and weights.bin (float32 little-endian: sparse weights |
// dense weights | bias).
import { join } from 'node:path';
import { z } from 'zod';
import { writeArtifactFolder, type LegacyManifest, type TypedManifest } from '../../files/index.js';
import type { SentenceEncoder } from '../encoder.js';
import { readNluFiles, readNluManifest } from '../artifact-files.js';
import { NluEncoderMismatchError, NluModelCorruptError } from '../errors.js';
import { LEXICON_FEATURES, TfidfVectorizer } from './features.js';
import { SentimentHead } from './head.js';

/** Current artifact format. */
export const SENTIMENT_FORMAT_VERSION = 1;
const KIND = 'sentiment-head';

const HOW_TO_REBUILD =
  'Rebuild it with `npx mkt sentiment train --out <folder>` (or delete the folder to retrain at start).';

/** The sentiment head's own part of its manifest (`params`). */
export const ZSentimentParams = z.object({
  training: z.object({
    l2: z.number().nonnegative(),
    /** Feature blocks in use (absent in heads written before the selection existed: both on). */
    features: z.object({ tfidf: z.boolean(), lexicon: z.boolean() }).default({ tfidf: true, lexicon: true }),
    epochs: z.number().int().positive(),
    learningRate: z.number().positive(),
    minDf: z.number().int().positive(),
    neutralBand: z.number().min(0).max(1),
  }),
  dims: z.object({ sparse: z.number().int().nonnegative(), dense: z.number().int().nonnegative() }),
  trainingSize: z.number().int().positive(),
});
/** The sentiment head's own part of its manifest. */
export type SentimentParams = z.infer<typeof ZSentimentParams>;
/** manifest.json of a sentiment head. */
export type SentimentManifest = TypedManifest<SentimentParams>;

const ZVocabulary = z.object({ terms: z.array(z.string()), idf: z.array(z.number()) });
const ZMetrics = z.record(z.string(), z.number());

/** Writes the head to `dir` (created if needed); each file is replaced atomically, manifest last, so a crash leaves no half artifact. */
export async function persistSentimentHead(
  head: SentimentHead,
  dir: string,
  extraMetrics: Record<string, number> = {},
): Promise<SentimentManifest> {
  const { state } = head;
  const weights = new Float32Array(state.weights.sparse.length + state.weights.dense.length + 1);
  weights.set(state.weights.sparse, 0);
  weights.set(state.weights.dense, state.weights.sparse.length);
  weights[weights.length - 1] = state.weights.bias;
  // One writer at a time (a retrain job and `mkt sentiment train` may share DATA_DIR).
  return writeArtifactFolder(
    dir,
    {
      kind: KIND,
      formatVersion: SENTIMENT_FORMAT_VERSION,
      encoder: state.encoder,
      dataHash: state.dataHash,
      metrics: { ...state.metrics, ...extraMetrics },
      params: {
        training: state.parameters,
        dims: { sparse: state.weights.sparse.length, dense: state.weights.dense.length },
        trainingSize: state.trainingSize,
      },
    },
    {
      'vocabulary.json': JSON.stringify(state.vectorizer.toState()),
      'weights.bin': new Uint8Array(weights.buffer),
    },
  );
}

/** Reads only the manifest (to check the encoder before loading the rest); old-format manifests are converted. */
export async function readSentimentManifest(dir: string): Promise<SentimentManifest> {
  return readNluManifest(
    dir,
    {
      params: ZSentimentParams,
      legacy: fromLegacy,
      check: (manifest, file) => {
        if (manifest.kind !== KIND || manifest.formatVersion !== SENTIMENT_FORMAT_VERSION)
          throw new NluModelCorruptError(
            file,
            `holds ${manifest.kind} v${manifest.formatVersion}, expected ${KIND} v${SENTIMENT_FORMAT_VERSION}`,
            HOW_TO_REBUILD,
          );
      },
    },
    HOW_TO_REBUILD,
  );
}

// Before the common manifest (the shipped model still has it): `parameters`, `dims` and
// `trainingSize` at the top level and a `files` map of role to file name, without checksums.
function fromLegacy(json: Record<string, unknown>): LegacyManifest {
  const { parameters, dims, trainingSize, files, ...common } = json;
  return {
    ...common,
    params: { training: parameters, dims, trainingSize },
    files: Object.values(files as Record<string, string>).map((name) => ({ name })),
  }; // the common schema and ZSentimentParams validate it next
}

/** Loads a head; the encoder must be the one it was trained with (or none for a lexical head). */
export async function loadSentimentHead(
  dir: string,
  encoder: SentenceEncoder | null = null,
): Promise<SentimentHead> {
  const manifest = await readSentimentManifest(dir);
  const manifestFile = join(dir, 'manifest.json');
  const current = encoder ? { id: encoder.id, dims: encoder.dims } : { id: 'none', dims: 0 };
  const expected = manifest.encoder ?? { id: 'none', dims: 0 };
  if (current.id !== expected.id || current.dims !== expected.dims) {
    throw new NluEncoderMismatchError(expected, current, HOW_TO_REBUILD);
  }
  const { dims, training, trainingSize } = manifest.params;
  if (dims.dense !== LEXICON_FEATURES + expected.dims) {
    throw new NluModelCorruptError(
      manifestFile,
      `dims.dense ${dims.dense} does not match the encoder`,
      HOW_TO_REBUILD,
    );
  }
  const metrics = ZMetrics.safeParse(manifest.metrics);
  if (!metrics.success)
    throw new NluModelCorruptError(manifestFile, 'metrics: numbers expected', HOW_TO_REBUILD);
  const files = await readNluFiles(dir, manifest, HOW_TO_REBUILD);
  const vocabPath = join(dir, 'vocabulary.json');
  const vocabulary = ZVocabulary.safeParse(safeJson(files.get('vocabulary.json')));
  if (
    !vocabulary.success ||
    vocabulary.data.terms.length !== dims.sparse ||
    vocabulary.data.idf.length !== dims.sparse
  ) {
    throw new NluModelCorruptError(
      vocabPath,
      `expected ${dims.sparse} terms with idf values`,
      HOW_TO_REBUILD,
    );
  }
  const weightsPath = join(dir, 'weights.bin');
  const bytes = files.get('weights.bin') ?? Buffer.alloc(0);
  const expectedBytes = (dims.sparse + dims.dense + 1) * 4;
  if (bytes.byteLength !== expectedBytes) {
    throw new NluModelCorruptError(
      weightsPath,
      `${bytes.byteLength} bytes, expected ${expectedBytes}`,
      HOW_TO_REBUILD,
    );
  }
  // Copy into an aligned buffer: a Buffer from readFile may sit at an odd offset of a shared pool.
  const all = new Float32Array(new Uint8Array(bytes).buffer);
  const { sparse, dense } = dims;
  return new SentimentHead(
    {
      parameters: training,
      encoder: manifest.encoder,
      vectorizer: TfidfVectorizer.fromState(vocabulary.data),
      weights: {
        sparse: all.slice(0, sparse),
        dense: all.slice(sparse, sparse + dense),
        bias: all[sparse + dense]!,
      },
      dataHash: manifest.dataHash,
      trainingSize,
      metrics: metrics.data,
    },
    encoder,
  );
}

function safeJson(bytes: Buffer | undefined): unknown {
  try {
    return bytes ? JSON.parse(bytes.toString('utf8')) : undefined;
  } catch {
    return undefined;
  }
}
