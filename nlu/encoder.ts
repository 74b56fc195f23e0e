/** A sentence encoder: turns texts into fixed-size vectors (L2-normalised). */
export interface SentenceEncoder {
  /** Stable identifier recorded in every artifact built on these vectors, e.g. "use-lite" or "onnx:minilm". */
  readonly id: string;
  /** Vector length. */
  readonly dims: number;
  /** Embeds texts in order; equal texts give equal vectors. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /**
   * Optional: runs a few texts through the model so that the first real requests do not pay for
   * JIT/wasm tier-up (a server calls it once after loading; benchmarks before timing).
   */
  warmUp?(): Promise<void>;
  /** Releases native or wasm resources. */
  dispose(): Promise<void>;
}
