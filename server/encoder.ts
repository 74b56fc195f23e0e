// The one place a process builds its sentence encoder (intent models, sentiment, product and
// knowledge-base vectors all share it).
import { createEncoder, type SentenceEncoder } from '../nlu/index.js';
import type { Config } from './config.js';
import { createThreadedEncoder } from './nlu-thread/threaded-encoder.js';

/**
 * The configured encoder. A server runs it on its own thread unless NLU_ENCODER_THREAD=false and
 * warms it up, so that the first shoppers after a start do not pay for the model's JIT and wasm
 * tier-up; commands and workers use it in-thread and cold (they embed in batches).
 */
export async function createConfiguredEncoder(
  config: Config,
  use: { serving: boolean } = { serving: true },
): Promise<SentenceEncoder> {
  if (!use.serving) return createEncoder(config.NLU_ENCODER);
  const encoder = config.NLU_ENCODER_THREAD
    ? await createThreadedEncoder(config.NLU_ENCODER)
    : await createEncoder(config.NLU_ENCODER);
  await encoder.warmUp?.();
  return encoder;
}
