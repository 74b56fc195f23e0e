// Chooses the sentiment analyzer at start: a local ONNX classifier when configured
// (NLU_SENTIMENT_MODEL), else the head shipped in nlu/data/sentiment-model when it was built for the
// current encoder, else a head trained at start on the shipped sentences (cached in `cacheDir`).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SentenceEncoder } from '../encoder.js';
import { NluError } from '../errors.js';
import {
  loadSentimentHead,
  persistSentimentHead,
  readSentimentManifest,
  type SentimentManifest,
} from './artifact.js';
import { loadShippedSentimentData } from './data.js';
import { trainSentimentHead } from './head.js';
import type { SentimentAnalyzer } from './types.js';

/** Folder of the pre-trained head that ships in the repository (USE-lite + lexical features). */
export const SHIPPED_SENTIMENT_MODEL_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'data',
  'sentiment-model',
);

/** How to build the sentiment analyzer. */
export interface SentimentAnalyzerOptions {
  /** A local ONNX text-classification model folder (NLU_SENTIMENT_MODEL); replaces the trained head. */
  onnxModel?: string | undefined;
  /** Encoder whose embeddings feed the head; null or absent = lexical features only. */
  encoder?: SentenceEncoder | null;
  /** Where a head trained at start is persisted and reused (e.g. `<DATA_DIR>/nlu/sentiment`). */
  cacheDir?: string | undefined;
  /** Override of the shipped artifact folder (tests). */
  shippedDir?: string;
}

function matches(manifest: SentimentManifest, encoder: SentenceEncoder | null): boolean {
  if (!manifest.encoder) return encoder === null;
  return encoder !== null && manifest.encoder.id === encoder.id && manifest.encoder.dims === encoder.dims;
}

async function manifestIfPresent(dir: string | undefined): Promise<SentimentManifest | null> {
  if (!dir) return null;
  try {
    return await readSentimentManifest(dir);
  } catch (error) {
    // Missing is expected before the first training; a corrupt cache is rebuilt below.
    if (error instanceof NluError) return null;
    throw error;
  }
}

/** Builds the analyzer described by `options`; see the module comment for the order of choices. */
export async function createSentimentAnalyzer(
  options: SentimentAnalyzerOptions = {},
): Promise<SentimentAnalyzer> {
  if (options.onnxModel) {
    // Imported lazily so that transformers.js (and onnxruntime) load only when a model is configured.
    const { createOnnxSentimentAnalyzer } = await import('./onnx-sentiment.js');
    return createOnnxSentimentAnalyzer(options.onnxModel);
  }
  const encoder = options.encoder ?? null;
  const shippedDir = options.shippedDir ?? SHIPPED_SENTIMENT_MODEL_DIR;
  const shipped = await manifestIfPresent(shippedDir);
  if (shipped && matches(shipped, encoder)) return loadSentimentHead(shippedDir, encoder);
  const cacheDir = options.cacheDir && join(options.cacheDir, encoderFolder(encoder));
  const cached = await manifestIfPresent(cacheDir);
  if (cacheDir && cached && matches(cached, encoder)) return loadSentimentHead(cacheDir, encoder);
  // Fixed λ (no cross-validation) keeps training at start to the embedding time plus ~1 s.
  const head = await trainSentimentHead(await loadShippedSentimentData(), { encoder });
  if (cacheDir) await persistSentimentHead(head, cacheDir);
  return head;
}

/** A folder name per encoder so switching encoders never reuses a mismatched cache. */
function encoderFolder(encoder: SentenceEncoder | null): string {
  return encoder ? encoder.id.replace(/[^A-Za-z0-9._-]+/g, '_') : 'lexical';
}
