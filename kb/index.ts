// Public entry of the knowledge-base capability: other folders import only from here.

export * from './errors.js';
export {
  ZDocumentKind,
  ZKbDocument,
  type DocumentKind,
  type KbAnswer,
  type KbChunk,
  type KbDocument,
  type KbHit,
  MAX_ALT_QUESTIONS,
} from './types.js';
export { chunkDocument, DEFAULT_CHUNKING, type ChunkOptions } from './chunking.js';
export {
  EQUAL_WEIGHTS,
  fuse,
  reciprocalRankFusion,
  type ChannelScores,
  type FusionWeights,
} from './fusion.js';
export {
  calibrateGate,
  calibrateLearnedGate,
  confidenceOf,
  DEFAULT_TARGET_PRECISION,
  ZGate,
  type Gate,
  type GateRow,
  type LearnedGateRow,
} from './gate.js';
export {
  fitConfidenceModel,
  GATE_FEATURES,
  gateFeatures,
  modelConfidence,
  ZConfidenceModel,
  type ConfidenceModel,
  type DocumentScores,
  type GateFeatureName,
  type GateFeatures,
} from './confidence.js';
export { extractAnswer } from './extract.js';
export {
  answersOnlyInPassing,
  mentionsOnlyInPassing,
  pageTerms,
  type PageTerms,
} from './coverage.js';
export {
  answerPrompt,
  readWrittenAnswer,
  shownSoFar,
  type AnswerWriter,
  type OnAnswerText,
  type WrittenAnswer,
} from './answer-writer.js';
export {
  KnowledgeBase,
  marginOf,
  type ChannelSelection,
  type KnowledgeBaseOptions,
  type Ranking,
} from './knowledge-base.js';
export {
  faqDocuments,
  parseEvalQueries,
  parseFaq,
  ZEvalQuery,
  ZFaqEntry,
  type EvalQuery,
  type FaqEntry,
} from './faq-file.js';
export { foldOf } from './folds.js';
export {
  rankQueries,
  summarise,
  type GateSignal,
  type KbEvalReport,
  type LabelledQuery,
  type QueryOutcome,
} from './evaluation.js';
export {
  importFile,
  importPath,
  MAX_FILE_BYTES,
  type ImportResult,
  type SkippedSource,
} from './import/files.js';
export { crawlSite, DEFAULT_CRAWL, sitemapUrls, type CrawlOptions } from './import/crawl.js';
export { htmlDocument, readHtml, type HtmlPage } from './import/html.js';
export { markdownDocument, markdownToText } from './import/markdown.js';
export { pdfDocument } from './import/pdf.js';
export {
  documentHash,
  MemoryKbStore,
  planSync,
  vectorKey,
  type AskedQuestion,
  type KbChange,
  type KbStore,
  type StoredDocument,
  type SyncPlan,
  type UnansweredQuestion,
  withKeptPhrasings,
  type KeptPhrasing,
} from './store.js';
export { storedVectorEncoder } from './stored-encoder.js';
export {
  calibrateOnAltQuestions,
  DEMO_HELP_CENTRE_DIR,
  DEMO_HELP_CENTRE_ORIGIN,
  KbService,
  seedDemoHelpCentre,
  syncDocuments,
  MIN_CALIBRATION_QUESTIONS,
  type ImportReport,
} from './service.js';
