// Sentence encoder over a local ONNX model folder (e.g. an exported MiniLM) run by transformers.js.
// Offline only: remote model loading is switched off, so a missing file fails fast instead of
// trying the network.
import { access, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import {
  env,
  pipeline,
  type FeatureExtractionPipeline,
  type TextClassificationPipeline,
} from '@huggingface/transformers';
import type { SentenceEncoder } from './encoder.js';
import { NluModelCorruptError, NluModelMissingError } from './errors.js';

/** Files a transformers.js model folder needs (fp32 weights). */
export const ONNX_MODEL_FILES = [
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'onnx/model.onnx',
] as const;

const HOW_TO_FIX =
  'A local ONNX model folder needs config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx ' +
  '(e.g. export a Hugging Face model with Optimum: `optimum-cli export onnx --model <name> <folder>`, ' +
  'then move model.onnx into <folder>/onnx/).';

// Texts per forward pass: bounds memory on 100 kB inputs while keeping batching benefits.
const BATCH = 32;

/** Checks that `folder` holds every file transformers.js will read; throws naming the first missing one. */
export async function assertOnnxModelFolder(folder: string): Promise<string> {
  const absolute = resolve(folder);
  for (const file of ONNX_MODEL_FILES) {
    const path = join(absolute, file);
    try {
      await access(path);
    } catch (error) {
      throw new NluModelMissingError(path, HOW_TO_FIX, { cause: error });
    }
  }
  return absolute;
}

/** Reads `config.json` of a model folder (must be JSON with the given numeric/object keys). */
export async function readModelConfig(folder: string): Promise<Record<string, unknown>> {
  const path = join(folder, 'config.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new NluModelCorruptError(path, 'not valid JSON', HOW_TO_FIX, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null)
    throw new NluModelCorruptError(path, 'not a JSON object', HOW_TO_FIX);
  return parsed as Record<string, unknown>;
}

/** Switches transformers.js to local-only loading (a process-wide library setting, set before each load). */
export function useLocalModelsOnly(): void {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
}

/** Wraps a transformers.js load error (corrupt ONNX, bad tokenizer) into an NLU error naming the folder. */
export function wrapLoadError(folder: string, error: unknown): Error {
  if (error instanceof Error && /not found|ENOENT/i.test(error.message)) {
    return new NluModelMissingError(folder, HOW_TO_FIX, { cause: error });
  }
  const detail = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return new NluModelCorruptError(join(folder, 'onnx/model.onnx'), detail, HOW_TO_FIX, { cause: error });
}

/**
 * Loads a transformers.js pipeline from a local folder, offline only; load errors become NLU
 * errors naming the folder.
 */
export async function loadLocalPipeline<T extends 'feature-extraction' | 'text-classification'>(
  task: T,
  folder: string,
): Promise<T extends 'feature-extraction' ? FeatureExtractionPipeline : TextClassificationPipeline> {
  useLocalModelsOnly();
  try {
    return (await pipeline(task, folder, { dtype: 'fp32' })) as never;
  } catch (error) {
    throw wrapLoadError(folder, error);
  }
}

/** Loads a local feature-extraction model folder as a SentenceEncoder (mean pooling, L2-normalised). */
export async function createOnnxEncoder(folder: string): Promise<SentenceEncoder> {
  const absolute = await assertOnnxModelFolder(folder);
  const config = await readModelConfig(absolute);
  const dims = config.hidden_size;
  if (typeof dims !== 'number' || !Number.isInteger(dims) || dims <= 0) {
    throw new NluModelCorruptError(
      join(absolute, 'config.json'),
      'hidden_size is missing or not a positive integer',
      HOW_TO_FIX,
    );
  }
  const extractor = await loadLocalPipeline('feature-extraction', absolute);
  return {
    id: `onnx:${basename(absolute)}`,
    dims,
    async embed(texts: readonly string[]): Promise<Float32Array[]> {
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += BATCH) {
        const batch = texts.slice(start, start + BATCH);
        const output = await extractor([...batch], { pooling: 'mean', normalize: true });
        const data = output.data as Float32Array;
        for (let row = 0; row < batch.length; row += 1)
          vectors.push(data.slice(row * dims, (row + 1) * dims));
        output.dispose();
      }
      return vectors;
    },
    async dispose(): Promise<void> {
      await extractor.dispose();
    },
  };
}
