// USE-lite on the tfjs wasm backend bundled by @energetic-ai/core: the package's own runtime, kept
// as the reference that the ONNX Runtime graph is checked against (test/nlu/use-lite-onnx.test.ts).
import type { UseLiteRuntime } from './use-lite-runtime.js';

/** A tfjs tensor, as far as this adapter uses it. */
interface TensorLike {
  data(): Promise<ArrayLike<number>>;
  dispose(): void;
}

/** The tfjs graph model of the @energetic-ai embeddings model. */
export interface TfjsGraphModelLike {
  executeAsync(inputs: Record<string, TensorLike>): Promise<TensorLike | TensorLike[]>;
  dispose(): void;
}

/** Tensor constructors of the tfjs build bundled by @energetic-ai/core. */
export interface TensorFactory {
  tensor2d(values: Int32Array, shape: [number, number], dtype: 'int32'): TensorLike;
  tensor1d(values: Int32Array, dtype: 'int32'): TensorLike;
}

const DIMS = 512;

/**
 * One forward pass per batch of token-id lists. The model takes a sparse [sentence, position] → id
 * input; it is built here in typed arrays (the package's own `embed` grows a nested array with
 * `concat` per sentence and reads the output back as nested arrays).
 */
export class TfjsUseLite implements UseLiteRuntime {
  constructor(
    private readonly model: TfjsGraphModelLike,
    private readonly tensors: TensorFactory,
  ) {}

  async forward(batch: readonly number[][]): Promise<Float32Array[]> {
    let n = 0;
    for (const ids of batch) n += ids.length;
    const positions = new Int32Array(n * 2);
    const values = new Int32Array(n);
    let k = 0;
    batch.forEach((ids, row) => {
      for (let j = 0; j < ids.length; j++, k++) {
        positions[2 * k] = row;
        positions[2 * k + 1] = j;
        values[k] = ids[j]!;
      }
    });
    const indicesTensor = this.tensors.tensor2d(positions, [n, 2], 'int32');
    const valuesTensor = this.tensors.tensor1d(values, 'int32');
    let output: TensorLike | TensorLike[];
    try {
      output = await this.model.executeAsync({ indices: indicesTensor, values: valuesTensor });
    } finally {
      indicesTensor.dispose();
      valuesTensor.dispose();
    }
    const result = Array.isArray(output) ? output[0]! : output;
    try {
      const raw = await result.data();
      const data = raw instanceof Float32Array ? raw : Float32Array.from(raw);
      return batch.map((_, row) => data.slice(row * DIMS, (row + 1) * DIMS));
    } finally {
      if (Array.isArray(output)) for (const t of output) t.dispose();
      else output.dispose();
    }
  }

  async dispose(): Promise<void> {
    this.model.dispose();
  }
}
