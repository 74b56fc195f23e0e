import { join } from 'node:path';
import type { RuleMiningOptions } from './association-rules.js';
import { buildCatalogVocabulary, type CatalogVocabulary } from './catalog-vocabulary.js';
import { recommendForCustomer } from './customer-recs.js';
import { EmptyCatalogError, UnknownCustomerError, UnknownProductError } from './errors.js';
import { applyCatalogChanges, buildProductIndex, openProductIndex } from './index-lifecycle.js';
import { ItemKnn } from './item-knn.js';
import { LexicalIndex } from './lexical-index.js';
import { PopularityRecommender } from './popularity.js';
import { DEFAULT_HNSW, type HnswParams, type ProductIndex } from './product-index.js';
import { RuleSet } from './rule-set.js';
import { finish, similarProducts, type RankOptions, type VectorDeps } from './similar.js';
import type { RecsysStore } from './store.js';
import { parseProductQuery, type ProductQuery } from './product-query.js';
import { searchProducts, type ProductSearchResult } from './product-search.js';
import { matchText, type TextMatchResult } from './text-match.js';
import type { CatalogProduct, ProgressReporter, Recommendation, RecsysLogger, TextEncoder } from './types.js';

/** Dependencies and settings of the recommendation service. */
export interface RecsysServiceOptions {
  store: RecsysStore;
  encoder: TextEncoder;
  /** Folder of recsys artifacts (the HNSW index goes in `<dataDir>/product-index`). */
  dataDir: string;
  hnsw?: HnswParams;
  /** Thresholds for frequently-bought-together rules mined from orders. */
  rules?: RuleMiningOptions;
  logger?: RecsysLogger;
  progress?: ProgressReporter;
  /** Everyday English words, so query typo correction leaves real words alone (see CatalogVocabulary). */
  commonWords?: ReadonlySet<string>;
}

/** Default rule thresholds for a shop's orders (lower than groceries: catalogs are wider). */
export const DEFAULT_SHOP_RULES: RuleMiningOptions = { minSupport: 0.002, minConfidence: 0.1, maxLength: 4 };

/**
 * The recommendation capability wired over a store and an encoder: loads (or rebuilds) the
 * index, keeps catalog, lexical index and models in memory, and answers the four kinds of
 * request. Explicit start/stop; no module state.
 */
export class RecsysService {
  private index!: ProductIndex;
  private readonly lexical = new LexicalIndex();
  private readonly catalog = new Map<string, CatalogProduct>();
  private vocabulary: CatalogVocabulary = buildCatalogVocabulary([]);
  private rules = new RuleSet([]);
  private knn?: ItemKnn;
  private popularity?: PopularityRecommender;
  private syncedAt = new Date(0);
  private started = false;

  constructor(private readonly options: RecsysServiceOptions) {}

  /** Loads the catalog, opens or rebuilds the index, and trains the lightweight models. */
  async start(): Promise<this> {
    const { store, encoder, dataDir, logger } = this.options;
    this.syncedAt = new Date();
    const products = await store.listProducts();
    for (const p of products) this.catalog.set(p.sku, p);
    this.lexical.upsert(products);
    this.vocabulary = buildCatalogVocabulary(products, this.options.commonWords);
    const { index } = await openProductIndex({
      dir: join(dataDir, 'product-index'),
      encoder,
      params: this.options.hnsw ?? DEFAULT_HNSW,
      catalogVersion: await store.catalogVersion(),
      loadProducts: async () => products,
      logger,
      progress: this.options.progress,
    });
    this.index = index;
    const stored = await store.loadRules();
    this.rules = stored.length > 0 ? new RuleSet(stored) : new RuleSet([]);
    await this.retrainModels();
    if (stored.length === 0 && this.popularity) await this.refreshRules();
    this.started = true;
    return this;
  }

  /** Releases memory; the store and encoder belong to the caller. */
  async stop(): Promise<void> {
    this.catalog.clear();
    this.started = false;
  }

  /** Number of active products. */
  get productCount(): number {
    return this.catalog.size;
  }

  /** Incremental index update (the job calls this after catalog changes); persists the index. */
  async syncCatalog(): Promise<{ upserted: number; removed: number }> {
    const since = this.syncedAt;
    this.syncedAt = new Date();
    const changed = await this.options.store.productsChangedSince(since);
    for (const p of changed) {
      if (p.active) this.catalog.set(p.sku, p);
      else this.catalog.delete(p.sku);
    }
    this.lexical.upsert(changed);
    if (changed.length > 0) this.vocabulary = buildCatalogVocabulary([...this.catalog.values()], this.options.commonWords);
    const result = await applyCatalogChanges(this.index, this.options.encoder, {
      upserted: changed,
      catalogVersion: await this.options.store.catalogVersion(),
    });
    await this.index.persist(join(this.options.dataDir, 'product-index'));
    return result;
  }

  /** Rebuilds the whole index from the catalog (the reindex job without a product list) and persists it. */
  async rebuildIndex(): Promise<{ products: number }> {
    const { store, encoder, dataDir } = this.options;
    const products = await store.listProducts();
    this.syncedAt = new Date();
    this.catalog.clear();
    for (const p of products) this.catalog.set(p.sku, p);
    this.lexical.upsert(products);
    this.vocabulary = buildCatalogVocabulary(products, this.options.commonWords);
    this.index = await buildProductIndex(products, encoder, {
      params: this.options.hnsw ?? DEFAULT_HNSW,
      catalogVersion: await store.catalogVersion(),
      progress: this.options.progress,
    });
    await this.index.persist(join(dataDir, 'product-index'));
    return { products: this.index.size };
  }

  /** Re-mines bought-together rules from all orders and stores them (the rules job). */
  async refreshRules(
    options: RuleMiningOptions = this.options.rules ?? DEFAULT_SHOP_RULES,
  ): Promise<{ baskets: number; rules: number }> {
    const baskets = await this.options.store.orderBaskets();
    this.rules = RuleSet.train(baskets, options);
    await this.options.store.replaceRules(this.rules.rules);
    this.popularity = PopularityRecommender.train(baskets);
    return { baskets: baskets.length, rules: this.rules.rules.length };
  }

  /** Retrains item-kNN and popularity from interactions and orders. */
  async retrainModels(): Promise<void> {
    const rows = await this.options.store.interactionRows();
    this.knn = rows.length > 0 ? ItemKnn.train(rows, { neighbours: 50 }) : undefined;
    const baskets = await this.options.store.orderBaskets();
    this.popularity = baskets.length > 0 ? PopularityRecommender.train(baskets) : undefined;
  }

  /** "More like this" / "like this but cheaper". */
  similar(sku: string, options: RankOptions & { cheaper?: boolean } = {}): Recommendation[] {
    this.requireProducts();
    return similarProducts(this.deps(), sku, options);
  }

  /** Hybrid text match ("waterproof jacket under 100"). */
  async query(text: string, options: RankOptions = {}): Promise<TextMatchResult> {
    this.requireProducts();
    return matchText(this.deps(), text, options);
  }

  /**
   * Product search with query understanding: hard filters (type, colour, size, attributes, brand,
   * category, price) are never violated; when nothing matches, `status` is `no-match` and
   * `alternatives` holds the nearest products, labelled as such.
   */
  async search(text: string, options: RankOptions = {}): Promise<ProductSearchResult> {
    this.requireProducts();
    return searchProducts({ ...this.deps(), vocabulary: this.vocabulary }, text, options);
  }

  /** How a message reads as a product request (types, brands, colours, sizes, price, uses). */
  understand(text: string): ProductQuery {
    return parseProductQuery(text, this.vocabulary);
  }

  /** The catalog's vocabulary (product types, brands, categories, attribute values, words). */
  catalogVocabulary(): CatalogVocabulary {
    return this.vocabulary;
  }

  /** Frequently bought together with one or more products: rules first, then item-kNN. */
  boughtTogether(skus: string | readonly string[], options: RankOptions = {}): Recommendation[] {
    this.requireProducts();
    const basket = typeof skus === 'string' ? [skus] : [...skus];
    for (const sku of basket) if (!this.catalog.has(sku)) throw new UnknownProductError(sku);
    const k = options.k ?? 10;
    const nameOf = (s: string) => this.catalog.get(s)?.name ?? s;
    const fromRules = this.rules.recommend(basket, 4 * k, nameOf);
    const seen = new Set(fromRules.map((r) => r.item));
    const fromKnn = (this.knn?.recommend(basket, 4 * k, nameOf) ?? []).filter((r) => !seen.has(r.item));
    // rules (confidence in 0..1) rank above kNN-only items, whose scores are squashed below 0.1
    const candidates = [
      ...fromRules.map((r) => ({ sku: r.item, score: 1 + r.score, reason: r.reason })),
      ...fromKnn.map((r) => ({ sku: r.item, score: r.score / (1 + r.score), reason: r.reason })),
    ];
    return finish(this.deps(), candidates, 'bought-together', {
      ...options,
      diversity: options.diversity ?? 1,
    });
  }

  /** Personal recommendations for a customer id or external reference. */
  async forCustomer(idOrRef: string, options: RankOptions = {}): Promise<Recommendation[]> {
    const id = await this.options.store.findCustomerId(idOrRef);
    if (!id) throw new UnknownCustomerError(idOrRef);
    this.requireProducts();
    const history = await this.options.store.customerHistory(id);
    return recommendForCustomer(
      this.deps(),
      history,
      { knn: this.knn, popularity: this.popularity },
      options,
    );
  }

  /** A product from the in-memory catalog. */
  product(sku: string): CatalogProduct | undefined {
    return this.catalog.get(sku);
  }

  private deps(): VectorDeps {
    return {
      index: this.index,
      lexical: this.lexical,
      encoder: this.options.encoder,
      productOf: (s) => this.catalog.get(s),
    };
  }

  private requireProducts(): void {
    if (!this.started) throw new Error('RecsysService.start() has not been called');
    if (this.catalog.size === 0 || this.index.size === 0) throw new EmptyCatalogError();
  }
}
