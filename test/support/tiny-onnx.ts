// Builds a tiny BERT-shaped ONNX model folder (config.json, tokenizer.json, tokenizer_config.json,
// onnx/model.onnx) so the transformers.js path is tested for real without downloading weights.
// The ONNX file is written by the project's own ONNX writer (nlu/onnx/onnx-proto.ts).
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../../random/index.js';
import {
  encodeOnnxModel,
  floatTensor,
  int64Tensor,
  onnxNode as node,
  ONNX_FLOAT as FLOAT,
  ONNX_INT64 as INT64,
  valueInfo,
  type OnnxGraphSpec,
  type OnnxNode,
  type OnnxTensor,
} from '../../nlu/onnx/onnx-proto.js';

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

/** Builds the ONNX graph of the tiny model. */
function buildGraph(task: TinyOnnxTask, vocab: string[]): OnnxGraphSpec {
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
  const initializer: OnnxTensor[] = [
    floatTensor('word_embeddings', [vocab.length, HIDDEN], wordEmb),
    floatTensor('token_type_embeddings', [2, HIDDEN], typeEmb),
    floatTensor('dense_weight', [HIDDEN, HIDDEN], weight),
    floatTensor('dense_bias', [HIDDEN], bias),
    int64Tensor('axis_last', [2]),
  ];
  const nodes: OnnxNode[] = [
    node('Gather', ['word_embeddings', 'input_ids'], ['word_vectors']),
    node('Gather', ['token_type_embeddings', 'token_type_ids'], ['type_vectors']),
    node('Add', ['word_vectors', 'type_vectors'], ['embedded']),
    node('MatMul', ['embedded', 'dense_weight'], ['projected']),
    node('Add', ['projected', 'dense_bias'], ['biased']),
    node('Tanh', ['biased'], ['activated']),
    node('Cast', ['attention_mask'], ['mask_float'], { to: FLOAT }),
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
      node('ReduceSum', ['last_hidden_state', 'axis_sequence'], ['summed'], { keepdims: 0 }),
      node('ReduceSum', ['mask_3d', 'axis_sequence'], ['counted'], { keepdims: 0 }),
      node('Div', ['summed', 'counted'], ['pooled']),
      node('MatMul', ['pooled', 'classifier_weight'], ['scores']),
      node('Add', ['scores', 'classifier_bias'], ['logits']),
    );
    outputs = [valueInfo('logits', FLOAT, ['batch_size', 2])];
  }
  return {
    name: `tiny-${task}`,
    producer: 'mkt-tiny-onnx',
    opset: 14,
    nodes,
    initializers: initializer,
    inputs,
    outputs,
  };
}

/** Encodes the tiny model to ONNX protobuf bytes. */
export function encodeTinyOnnxModel(task: TinyOnnxTask): Uint8Array {
  return encodeOnnxModel(buildGraph(task, tinyVocabulary()));
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
