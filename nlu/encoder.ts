/** A sentence encoder: turns texts into fixed-size vectors (L2-normalised). */
export interface SentenceEncoder {
  /** Stable identifier recorded in every artifact built on these vectors, e.g. "use-lite" or "onnx:minilm". */
  readonly id: string;
  /** Vector length. */
  readonly dims: number;
  /** Embeds texts in order; equal texts give equal vectors. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /** Releases native or wasm resources. */
  dispose(): Promise<void>;
}
