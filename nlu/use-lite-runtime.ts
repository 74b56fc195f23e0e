// The interface both USE-lite back ends (tfjs, onnxruntime) implement, in a file of its own so the
// encoder can load them lazily without an import cycle between the encoder and its back ends.

/** A loaded USE-lite model: batches of token-id lists in, one raw sentence vector per list out. */
export interface UseLiteRuntime {
  forward(batch: readonly number[][]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}
