// Builds a tiny BERT-shaped ONNX model folder (config.json, tokenizer.json, tokenizer_config.json,
// onnx/model.onnx) so the transformers.js path is tested for real without downloading weights.
// The ONNX file is written with protobufjs from a hand-written subset of the official onnx.proto
// (only the messages and fields the graph needs; field numbers match onnx.proto exactly).
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { mulberry32 } from '../../random/index.js';

const ONNX_SUBSET_PROTO = `
syntax = "proto2";
package onnx;
message AttributeProto {
  enum AttributeType { UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; FLOATS = 6; INTS = 7; }
  optional string name = 1;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  optional TensorProto t = 5;
  repeated float floats = 7;
  repeated int64 ints = 8;
  optional AttributeType type = 20;
}
message ValueInfoProto { optional string name = 1; optional TypeProto type = 2; }
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  repeated AttributeProto attribute = 5;
  optional string domain = 7;
}
message ModelProto {
  optional int64 ir_version = 1;
  optional string producer_name = 2;
  optional GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8;
}
message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
  repeated ValueInfoProto value_info = 13;
}
message TensorProto {
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  repeated float float_data = 4 [packed = true];
  repeated int64 int64_data = 7 [packed = true];
  optional string name = 8;
  optional bytes raw_data = 9;
}
message TensorShapeProto {
  message Dimension { oneof value { int64 dim_value = 1; string dim_param = 2; } }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { optional int32 elem_type = 1; optional TensorShapeProto shape = 2; }
  oneof value { Tensor tensor_type = 1; }
}
message OperatorSetIdProto { optional string domain = 1; optional int64 version = 2; }
`;

const FLOAT = 1;
const INT64 = 7;
const HIDDEN = 16;
const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const POSITIVE_WORDS = ['good', 'great', 'love', 'excellent', 'nice'];
const NEGATIVE_WORDS = ['bad', 'terrible', 'hate', 'awful', 'broken'];
const WORDS = [
  'the',
  'cat',
  'running',
  'hello',
  'world',
  'this',
  'is',
  'a',
  'it',
  'was',
  'not',
  'very',
  'i',
  'product',
  'price',
  'shoes',
  'red',
  'blue',
  'cheap',
  'and',
  '!',
  '?',
  '.',
  ',',
  ...POSITIVE_WORDS,
  ...NEGATIVE_WORDS,
];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');

/** Variant of the tiny model: plain encoder, or a 2-label sentiment classifier (NEGATIVE/POSITIVE). */
export type TinyOnnxTask = 'feature-extraction' | 'text-classification';

/** The vocabulary of the tiny WordPiece tokenizer, index = token id. */
export function tinyVocabulary(): string[] {
  // Single letters and "##" letters let WordPiece spell any ASCII word instead of emitting [UNK].
  return [...SPECIAL, ...WORDS, '##s', ...LETTERS, ...LETTERS.map((l) => `##${l}`)];
}

// Seeded PRNG: the model must be byte-identical on every run so tests are stable.
const rng = mulberry32;

function floatTensor(name: string, dims: number[], values: Float32Array): Record<string, unknown> {
  return {
    name,
    dims,
    dataType: FLOAT,
    rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  };
}

function int64Tensor(name: string, values: number[]): Record<string, unknown> {
  const data = BigInt64Array.from(values.map((v) => BigInt(v)));
  return { name, dims: [values.length], dataType: INT64, rawData: new Uint8Array(data.buffer) };
}

function valueInfo(name: string, elemType: number, dims: Array<number | string>): Record<string, unknown> {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

function node(
  opType: string,
  input: string[],
  output: string[],
  attribute: unknown[] = [],
): Record<string, unknown> {
  return { opType, input, output, name: `${opType}_${output[0]}`, attribute };
}

/** Builds the ONNX graph as a plain object shaped like onnx.ModelProto. */
function buildModelProto(task: TinyOnnxTask, vocab: string[]): Record<string, unknown> {
  const random = rng(task === 'feature-extraction' ? 42 : 7);
  const wordEmb = new Float32Array(vocab.length * HIDDEN).map(() => (random() - 0.5) * 0.8);
  const weight = new Float32Array(HIDDEN * HIDDEN).map(() => (random() - 0.5) * 0.8);
  const bias = new Float32Array(HIDDEN).map(() => (random() - 0.5) * 0.1);
  if (task === 'text-classification') {
    // Dimension 0 carries the polarity of a few words and passes through an identity projection,
    // so the classifier gives sensible labels ("good" → POSITIVE) that tests can assert.
    weight.fill(0);
    for (let i = 0; i < HIDDEN; i += 1) weight[i * HIDDEN + i] = 1;
    bias.fill(0);
    vocab.forEach((token, id) => {
      const polarity = POSITIVE_WORDS.includes(token) ? 2 : NEGATIVE_WORDS.includes(token) ? -2 : 0;
      wordEmb[id * HIDDEN] = polarity === 0 ? wordEmb[id * HIDDEN]! * 0.05 : polarity;
    });
  }
  const typeEmb = new Float32Array(2 * HIDDEN).map(() => (random() - 0.5) * 0.1);
  const initializer = [
    floatTensor('word_embeddings', [vocab.length, HIDDEN], wordEmb),
    floatTensor('token_type_embeddings', [2, HIDDEN], typeEmb),
    floatTensor('dense_weight', [HIDDEN, HIDDEN], weight),
    floatTensor('dense_bias', [HIDDEN], bias),
    int64Tensor('axis_last', [2]),
  ];
  const nodes = [
    node('Gather', ['word_embeddings', 'input_ids'], ['word_vectors']),
    node('Gather', ['token_type_embeddings', 'token_type_ids'], ['type_vectors']),
    node('Add', ['word_vectors', 'type_vectors'], ['embedded']),
    node('MatMul', ['embedded', 'dense_weight'], ['projected']),
    node('Add', ['projected', 'dense_bias'], ['biased']),
    node('Tanh', ['biased'], ['activated']),
    node('Cast', ['attention_mask'], ['mask_float'], [{ name: 'to', i: FLOAT, type: 2 }]),
    node('Unsqueeze', ['mask_float', 'axis_last'], ['mask_3d']),
    node('Mul', ['activated', 'mask_3d'], ['last_hidden_state']),
  ];
  const ids = ['batch_size', 'sequence_length'];
  const inputs = ['input_ids', 'attention_mask', 'token_type_ids'].map((n) => valueInfo(n, INT64, ids));
  let outputs = [valueInfo('last_hidden_state', FLOAT, [...ids, HIDDEN])];
  if (task === 'text-classification') {
    const classifier = new Float32Array(HIDDEN * 2);
    classifier[0] = -3; // row 0 (polarity dimension) → NEGATIVE column
    classifier[1] = 3; // → POSITIVE column
    initializer.push(floatTensor('classifier_weight', [HIDDEN, 2], classifier));
    initializer.push(floatTensor('classifier_bias', [2], new Float32Array([0, 0])));
    initializer.push(int64Tensor('axis_sequence', [1]));
    nodes.push(
      node(
        'ReduceSum',
        ['last_hidden_state', 'axis_sequence'],
        ['summed'],
        [{ name: 'keepdims', i: 0, type: 2 }],
      ),
      node('ReduceSum', ['mask_3d', 'axis_sequence'], ['counted'], [{ name: 'keepdims', i: 0, type: 2 }]),
      node('Div', ['summed', 'counted'], ['pooled']),
      node('MatMul', ['pooled', 'classifier_weight'], ['scores']),
      node('Add', ['scores', 'classifier_bias'], ['logits']),
    );
    outputs = [valueInfo('logits', FLOAT, ['batch_size', 2])];
  }
  return {
    irVersion: 8,
    producerName: 'mkt-tiny-onnx',
    opsetImport: [{ domain: '', version: 14 }],
    graph: { name: `tiny-${task}`, node: nodes, initializer, input: inputs, output: outputs },
  };
}

/** Encodes the tiny model to ONNX protobuf bytes. */
export function encodeTinyOnnxModel(task: TinyOnnxTask): Uint8Array {
  const root = protobuf.parse(ONNX_SUBSET_PROTO, { keepCase: false }).root;
  const ModelProto = root.lookupType('onnx.ModelProto');
  const payload = buildModelProto(task, tinyVocabulary());
  const problem = ModelProto.verify(payload);
  if (problem) throw new Error(`tiny ONNX model does not match the proto subset: ${problem}`);
  return ModelProto.encode(ModelProto.fromObject(payload)).finish();
}

function tokenizerJson(vocab: string[]): Record<string, unknown> {
  const ids = Object.fromEntries(vocab.map((token, id) => [token, id]));
  const special = (content: string) => ({
    id: ids[content],
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const specialEntry = (token: string) => ({ id: token, ids: [ids[token]], tokens: [token] });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map(special),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': specialEntry('[CLS]'), '[SEP]': specialEntry('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: ids,
    },
  };
}

/** Writes a complete tiny model folder for `task` inside `parent` (a new temp folder by default). */
export async function writeTinyOnnxModel(task: TinyOnnxTask, parent?: string): Promise<string> {
  const base = parent ?? (await mkdtemp(join(tmpdir(), 'mkt-tiny-onnx-')));
  const folder = join(base, task === 'feature-extraction' ? 'tiny-bert' : 'tiny-bert-sentiment');
  await mkdir(join(folder, 'onnx'), { recursive: true });
  const vocab = tinyVocabulary();
  const config: Record<string, unknown> = {
    model_type: 'bert',
    architectures: [task === 'feature-extraction' ? 'BertModel' : 'BertForSequenceClassification'],
    hidden_size: HIDDEN,
    num_attention_heads: 1,
    num_hidden_layers: 1,
    intermediate_size: HIDDEN,
    max_position_embeddings: 512,
    type_vocab_size: 2,
    vocab_size: vocab.length,
  };
  if (task === 'text-classification') {
    config.id2label = { 0: 'NEGATIVE', 1: 'POSITIVE' };
    config.label2id = { NEGATIVE: 0, POSITIVE: 1 };
  }
  const tokenizerConfig = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: 512,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  };
  await writeFile(join(folder, 'config.json'), JSON.stringify(config, null, 2));
  await writeFile(join(folder, 'tokenizer.json'), JSON.stringify(tokenizerJson(vocab)));
  await writeFile(join(folder, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig, null, 2));
  await writeFile(join(folder, 'onnx', 'model.onnx'), encodeTinyOnnxModel(task));
  return folder;
}
