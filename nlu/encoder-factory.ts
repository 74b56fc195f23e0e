import type { SentenceEncoder } from './encoder.js';
import { NluError } from './errors.js';
import { createUseLiteEncoder, type UseLiteOptions } from './use-lite-encoder.js';

/** Shape of the module `./onnx-encoder.js` (transformers.js, local model folders). */
interface OnnxEncoderModule {
  createOnnxEncoder(folder: string): Promise<SentenceEncoder>;
}

/**
 * Creates the encoder named by a spec (the `NLU_ENCODER` setting): "use-lite" or "onnx:<folder>".
 * The ONNX path is imported lazily so that transformers.js only loads when it is used.
 */
export async function createEncoder(spec: string, options: UseLiteOptions = {}): Promise<SentenceEncoder> {
  const trimmed = spec.trim();
  if (trimmed === 'use-lite') return createUseLiteEncoder(options);
  if (trimmed.startsWith('onnx:') && trimmed.length > 'onnx:'.length) {
    const folder = trimmed.slice('onnx:'.length);
    let mod: OnnxEncoderModule;
    try {
      // Imported lazily so that transformers.js and onnxruntime load only when configured.
      mod = (await import('./onnx-encoder.js')) as OnnxEncoderModule;
    } catch (error) {
      throw new NluError(
        'NLU_ENCODER_UNAVAILABLE',
        `the ONNX encoder module could not be loaded for "${trimmed}"`,
        {
          cause: error,
        },
      );
    }
    return mod.createOnnxEncoder(folder);
  }
  throw new NluError(
    'NLU_ENCODER_UNAVAILABLE',
    `unknown encoder "${spec}": use "use-lite" or "onnx:<model folder>"`,
  );
}
