// Public entry of the recommendations capability: other folders import only from here.
export * from './errors.js';
export type {
  CatalogProduct,
  Recommendation,
  RecommendationSource,
  ScoredItem,
  BasketRecommender,
  TextEncoder,
  ProgressReporter,
  RecsysLogger,
} from './types.js';
export { productText } from './types.js';
export { readBasketFile } from './baskets.js';
export {
  mineRules,
  compareRules,
  ruleKey,
  ZRuleMiningOptions,
  type AssociationRule,
  type MiningResult,
  type RuleMiningOptions,
} from './association-rules.js';
export { RuleSet, ruleReason } from './rule-set.js';
export { ItemKnn, ZItemKnnOptions, type ItemKnnOptions, type InteractionRow } from './item-knn.js';
export { PopularityRecommender } from './popularity.js';
export { applyBusinessRules, mmr, cosine, type Candidate, type BusinessRules } from './rerank.js';
export {
  leaveOneOut,
  withFallback,
  mulberry32,
  type EvaluatedMethod,
  type LeaveOneOutRow,
} from './evaluation.js';
export {
  ProductIndex,
  DEFAULT_HNSW,
  ZSearchFilter,
  type HnswParams,
  type SearchFilter,
  type SearchHit,
  type IndexedItem,
} from './product-index.js';
export { buildProductIndex, applyCatalogChanges, openProductIndex } from './index-lifecycle.js';
export { LexicalIndex, passesFilter, reciprocalRankFusion } from './lexical-index.js';
export { parseQuery, describeFilters } from './query-parse.js';
export { similarProducts, type RankOptions } from './similar.js';
export { matchText, type TextMatchResult } from './text-match.js';
export {
  buildCatalogVocabulary,
  type CatalogVocabulary,
  type ProductFacts,
  type ProductTypeEntry,
} from './catalog-vocabulary.js';
export { parseProductQuery, type ProductQuery, type TypeMatch, type TypeEvidence } from './product-query.js';
export { parsePrice, type PriceConstraint } from './price-phrases.js';
export { searchProducts, type ProductSearchDeps, type ProductSearchResult } from './product-search.js';
export { describeWanted, type Constraint } from './search-explain.js';
export { compileHardFilters } from './hard-filters.js';
export {
  preferenceVector,
  recommendForCustomer,
  statedInterests,
  traitAdjustments,
} from './customer-recs.js';
export { ZProductRow, toCatalogProduct, type ProductRow } from './catalog-schema.js';
export { importCatalog, type ImportReport, type RowError, type CatalogSink } from './catalog-import.js';
export {
  INTERACTION_WEIGHTS,
  type RecsysStore,
  type CustomerHistory,
  type InteractionKindName,
} from './store.js';
export { RecsysService, DEFAULT_SHOP_RULES, type RecsysServiceOptions } from './recsys-service.js';
export { recsysJobProcessors, type CatalogReindexPayload, type RulesMinePayload } from './jobs.js';
