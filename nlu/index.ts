// Public entry of the NLU capability: other folders import only from here.

export type { SentenceEncoder } from './encoder.js';
export * from './errors.js';
export { createEncoder } from './encoder-factory.js';
export { withDiskCache, type DiskCachedEncoder } from './disk-cached-encoder.js';
export { createUseLiteEncoder, type UseLiteOptions } from './use-lite-encoder.js';
export { everydayEnglishWords } from './everyday-words.js';
export { LruCache } from './lru-cache.js';

// Intent classification with out-of-scope detection, and its versioned models.
export {
  IntentClassifier,
  type IntentPrediction,
  type IntentTrainOptions,
  type RankedIntent,
} from './intent/intent-classifier.js';
export {
  examplesFromDocument,
  hashExamples,
  normaliseExamples,
  readTrainingFile,
  ZIntentExample,
  ZIntentTrainingFile,
  type IntentExample,
  type IntentTrainingFile,
} from './intent/training-data.js';
export { readIntentManifest, ZIntentParams, type IntentManifest, type IntentParams } from './intent/artifact.js';
export { validationMask } from './intent/calibration.js';
export { cleanInput, type CleanedInput, type RejectReason } from './intent/input-hygiene.js';
export {
  classificationScores,
  percentile,
  scorePredictions,
  type EvalRow,
  type IntentEvalReport,
} from './intent/evaluation.js';
export {
  evaluateIntentClassifier,
  type IntentEvalOptions,
  type IntentEvalResult,
} from './intent/evaluation-run.js';
export {
  ModelRegistry,
  validationAccuracy,
  ZRegistryPointer,
  type ModelRegistryOptions,
  type RegistryPointer,
  type RetrainOptions,
  type RetrainResult,
} from './model-registry.js';

// Sentiment, entities, PII and language check. Local ONNX models load lazily (transformers.js is
// imported only when NLU_ENCODER=onnx:… or NLU_SENTIMENT_MODEL is set).
export {
  createSentimentAnalyzer,
  SHIPPED_SENTIMENT_MODEL_DIR,
  type SentimentAnalyzerOptions,
} from './sentiment/analyzer.js';
export { trainSentimentHead, SentimentHead, type TrainSentimentOptions } from './sentiment/head.js';
export {
  loadSentimentHead,
  persistSentimentHead,
  readSentimentManifest,
  ZSentimentParams,
  type SentimentManifest,
  type SentimentParams,
} from './sentiment/artifact.js';
export {
  loadShippedSentimentData,
  parseLabelledSentences,
  readLabelledSentences,
  ZLabelledSentence,
  type LabelledSentence,
} from './sentiment/data.js';
export { SentimentLexicon } from './sentiment/lexicon.js';
export { trainLogistic, type LogisticOptions } from './sentiment/logistic.js';
export { binaryMetrics, type BinaryMetrics } from './sentiment/metrics.js';
export type { SentimentAnalyzer, SentimentLabel, SentimentResult } from './sentiment/types.js';
export {
  detectPII,
  ibanValid,
  isCardNumber,
  isPhoneNumber,
  luhnValid,
  maskPII,
  PII_PLACEHOLDERS,
  type PiiKind,
  type PiiMatch,
} from './pii.js';
export { checkLanguage, type LanguageCheck } from './language.js';
export { extractEntities, noEntities, type Entities, type ExtractOptions } from './entities/extract.js';
export {
  Gazetteer,
  type GazetteerEntry,
  type GazetteerMatch,
  type GazetteerOptions,
} from './entities/gazetteer.js';
export { extractMoney, extractPriceRanges, parseAmount } from './entities/money.js';
export { extractNumbers, parseNumberWords, type NumberEntity } from './entities/numbers.js';
export { extractDates } from './entities/dates.js';
export { extractColours, extractSizes } from './entities/attributes.js';
export type {
  ColourEntity,
  CurrencyCode,
  DateRangeEntity,
  MoneyEntity,
  PriceRange,
  SizeEntity,
  Span,
} from './entities/types.js';
