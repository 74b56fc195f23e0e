import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { z } from 'zod';
import { readArtifact, sha256, writeArtifact } from './artifact.js';
import { ArtifactError, BadInputError, IndexUnusableError } from './errors.js';

const KIND = 'product-index';
const FORMAT = 1;

/** The index's own part of its manifest: HNSW parameters and the counts it was saved with. */
const ZIndexParams = z.object({
  M: z.number().int().positive().optional(),
  efConstruction: z.number().int().positive().optional(),
  ef: z.number().int().positive().optional(),
  elementCount: z.number().int().nonnegative().optional(),
  activeCount: z.number().int().nonnegative().optional(),
  capacity: z.number().int().nonnegative().optional(),
  catalogVersion: z.number().int().optional(),
});
type IndexParams = z.infer<typeof ZIndexParams>;

/** HNSW parameters (server/config.ts: HNSW_M, HNSW_EF_CONSTRUCTION, HNSW_EF). */
export interface HnswParams {
  M: number;
  efConstruction: number;
  ef: number;
}

/** Defaults matching server/config.ts. */
export const DEFAULT_HNSW: HnswParams = { M: 16, efConstruction: 200, ef: 100 };

/** The facts about a product that filters look at; kept beside the graph in typed arrays. */
export interface IndexedItem {
  sku: string;
  price: number;
  category: string;
  stock: number;
}

/** Filters applied inside the HNSW search (hnswlib's filter callback), never by over-fetching. */
export const ZSearchFilter = z.object({
  priceMin: z.number().nonnegative().optional(),
  priceMax: z.number().nonnegative().optional(),
  /** One category or any of several (case-insensitive). */
  category: z.union([z.string(), z.array(z.string())]).optional(),
  inStock: z.boolean().optional(),
  /** SKUs never returned (the product itself for "more like this", the basket, ...). */
  excludeSkus: z.array(z.string()).optional(),
});
/** Filters applied inside the HNSW search. */
export type SearchFilter = z.infer<typeof ZSearchFilter>;

/** One nearest product. */
export interface SearchHit {
  sku: string;
  /** Cosine similarity, 1 = same direction. */
  similarity: number;
}

/** What a persisted index must match to be reused. */
export interface IndexExpectation {
  encoderId: string;
  dims: number;
  catalogVersion?: number;
  params?: Pick<HnswParams, 'M' | 'efConstruction'>;
}

const ZItems = z.object({
  skus: z.array(z.string()),
  prices: z.array(z.number()),
  categories: z.array(z.string()),
  stock: z.array(z.number()),
  deleted: z.array(z.number().int()),
});

/** Cosine HNSW index of product embeddings keyed by SKU, with in-search filters and persistence. */
export class ProductIndex {
  private readonly hnsw: hnswlib.HierarchicalNSW;
  private readonly labelOf = new Map<string, number>();
  private skus: string[] = [];
  private prices = new Float64Array(0);
  private stock = new Float64Array(0);
  private categoryCodes = new Int32Array(0);
  private readonly codeOf = new Map<string, number>();
  private deleted = new Uint8Array(0);
  private active = 0;
  private readonly pointCache = new Map<number, Float32Array>();

  private constructor(
    readonly encoderId: string,
    readonly dims: number,
    readonly params: HnswParams,
    /** Catalog version the index reflects (CatalogState.version), recorded in the manifest. */
    public catalogVersion: number,
  ) {
    this.hnsw = new hnswlib.HierarchicalNSW('cosine', dims);
  }

  /** An empty index with room for `capacity` products (it grows on demand). */
  static create(options: {
    encoderId: string;
    dims: number;
    params?: Partial<HnswParams>;
    capacity?: number;
    catalogVersion?: number;
  }): ProductIndex {
    const params = { ...DEFAULT_HNSW, ...options.params };
    const index = new ProductIndex(options.encoderId, options.dims, params, options.catalogVersion ?? 0);
    const capacity = Math.max(16, options.capacity ?? 1024);
    index.hnsw.initIndex({
      maxElements: capacity,
      m: params.M,
      efConstruction: params.efConstruction,
      randomSeed: 100,
    });
    index.hnsw.setEf(params.ef);
    index.grow(capacity);
    return index;
  }

  /** Products searchable now (deleted ones excluded). */
  get size(): number {
    return this.active;
  }

  /** Slots allocated in the graph (grows by doubling through resizeIndex). */
  get capacity(): number {
    return this.hnsw.getMaxElements();
  }

  /** Whether a SKU is indexed and not deleted. */
  has(sku: string): boolean {
    const label = this.labelOf.get(sku);
    return label !== undefined && this.deleted[label] === 0;
  }

  /** Adds or updates one product (same SKU keeps its label; a deleted one comes back). */
  upsert(item: IndexedItem, vector: ArrayLike<number>): void {
    if (vector.length !== this.dims)
      throw new BadInputError(`vector of ${item.sku} has ${vector.length} dims, index has ${this.dims}`);
    let label = this.labelOf.get(item.sku);
    if (label === undefined) {
      label = this.skus.length;
      if (label >= this.hnsw.getMaxElements()) {
        const next = this.hnsw.getMaxElements() * 2;
        this.hnsw.resizeIndex(next);
        this.grow(next);
      }
      this.skus.push(item.sku);
      this.labelOf.set(item.sku, label);
      this.deleted[label] = 1; // counted as active just below
    }
    // hnswlib-node takes plain arrays; this copy is the one conversion per added point.
    this.hnsw.addPoint(Array.from(vector), label);
    this.pointCache.delete(label);
    if (this.deleted[label] === 1) this.active++;
    this.deleted[label] = 0;
    this.prices[label] = item.price;
    this.stock[label] = item.stock;
    this.categoryCodes[label] = this.categoryCode(item.category);
  }

  /** Updates only the filterable facts (price, stock, category) of an indexed product. */
  updateFacts(item: IndexedItem): boolean {
    const label = this.labelOf.get(item.sku);
    if (label === undefined) return false;
    this.prices[label] = item.price;
    this.stock[label] = item.stock;
    this.categoryCodes[label] = this.categoryCode(item.category);
    return true;
  }

  /** Removes a product from results (hnswlib markDelete; the slot is reused if the SKU returns). */
  remove(sku: string): boolean {
    const label = this.labelOf.get(sku);
    if (label === undefined || this.deleted[label] === 1) return false;
    this.hnsw.markDelete(label);
    this.deleted[label] = 1;
    this.active--;
    return true;
  }

  /** The stored (unit-length) vector of a product. */
  vectorOf(sku: string): Float32Array | undefined {
    const label = this.labelOf.get(sku);
    if (label === undefined || this.deleted[label] === 1) return undefined;
    // getPoint crosses into C++ and allocates a 512-number JS array; re-ranking asks for the same
    // products again and again, so keep a typed copy until the point changes.
    let v = this.pointCache.get(label);
    if (!v) {
      v = Float32Array.from(this.hnsw.getPoint(label));
      this.pointCache.set(label, v);
    }
    return v;
  }

  /** Sets the search-time `ef` (recall/speed trade-off). */
  setEf(ef: number): void {
    this.params.ef = ef;
    this.hnsw.setEf(ef);
  }

  /** k nearest products to a vector among those passing the filter. */
  search(vector: ArrayLike<number>, k: number, filter: SearchFilter = {}): SearchHit[] {
    return this.searchArray(Array.isArray(vector) ? (vector as number[]) : Array.from(vector), k, filter);
  }

  /**
   * Same as `search` for a vector already converted to a plain array (keeps conversion off hot
   * loops). `efMode: 'fixed'` searches filtered queries at the configured ef unchanged (for
   * benchmarks comparing ef values).
   */
  searchArray(
    vector: number[],
    k: number,
    filter: SearchFilter = {},
    efMode: 'scaled' | 'fixed' = 'scaled',
  ): SearchHit[] {
    if (this.active === 0 || k <= 0) return [];
    const n = Math.min(k, this.hnsw.getMaxElements());
    const accept = this.compileFilter(filter);
    if (!accept) {
      const { neighbors, distances } = this.hnsw.searchKnn(vector, n);
      return neighbors.map((label, i) => ({ sku: this.skus[label]!, similarity: 1 - distances[i]! }));
    }
    // hnswlib keeps expanding a filtered search until it holds `ef` *passing* candidates, so it
    // visits about ef / passRate nodes. Scaling ef by the pass rate keeps the work (and the
    // recall: 0.99 at a 10 % pass rate on shared-sentences) close to an unfiltered search's,
    // instead of 1/passRate times the work at the same ef.
    const ef =
      efMode === 'fixed' ? this.params.ef : Math.max(n, Math.round(this.params.ef * this.passRate(accept)));
    if (ef !== this.params.ef) this.hnsw.setEf(ef);
    try {
      const { neighbors, distances } = this.hnsw.searchKnn(vector, n, accept);
      return neighbors.map((label, i) => ({ sku: this.skus[label]!, similarity: 1 - distances[i]! }));
    } finally {
      if (ef !== this.params.ef) this.hnsw.setEf(this.params.ef);
    }
  }

  /**
   * Share of live products passing a filter, estimated on up to 512 labels picked by a
   * golden-ratio sequence (no aliasing with periodic label patterns, ~10 µs).
   */
  private passRate(accept: (label: number) => boolean): number {
    const count = this.skus.length;
    const probes = Math.min(512, count);
    let live = 0;
    let passed = 0;
    for (let j = 0; j < probes; j++) {
      const label = probes === count ? j : Math.floor(((j * 0.6180339887498949) % 1) * count);
      if (this.deleted[label] === 1) continue;
      live++;
      if (accept(label)) passed++;
    }
    return live === 0 ? 1 : passed / live;
  }

  /** Turns a filter into one closure over typed arrays (called by hnswlib for each visited candidate). */
  private compileFilter(filter: SearchFilter): ((label: number) => boolean) | undefined {
    const checks: Array<(label: number) => boolean> = [];
    const { priceMin, priceMax, inStock, category, excludeSkus } = filter;
    const prices = this.prices;
    if (priceMin !== undefined) checks.push((l) => prices[l]! >= priceMin);
    if (priceMax !== undefined) checks.push((l) => prices[l]! <= priceMax);
    if (inStock) {
      const stock = this.stock;
      checks.push((l) => stock[l]! > 0);
    }
    if (category !== undefined) {
      const wanted = (Array.isArray(category) ? category : [category]).map(
        (c) => this.codeOf.get(c.toLowerCase()) ?? -1,
      );
      const codes = this.categoryCodes;
      // hnswlib calls this for every visited node: a plain comparison beats a Set lookup
      if (wanted.length === 1) {
        const only = wanted[0]!;
        checks.push((l) => codes[l] === only);
      } else {
        const set = new Set(wanted);
        checks.push((l) => set.has(codes[l]!));
      }
    }
    if (excludeSkus && excludeSkus.length > 0) {
      const banned = new Set(excludeSkus.map((s) => this.labelOf.get(s) ?? -1));
      checks.push((l) => !banned.has(l));
    }
    if (checks.length === 0) return undefined;
    if (checks.length === 1) return checks[0];
    return (l) => checks.every((check) => check(l));
  }

  private categoryCode(category: string): number {
    const key = category.toLowerCase();
    let code = this.codeOf.get(key);
    if (code === undefined) {
      code = this.codeOf.size;
      this.codeOf.set(key, code);
    }
    return code;
  }

  private grow(capacity: number): void {
    const copy = <T extends Float64Array | Int32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.prices = copy(this.prices, (n) => new Float64Array(n));
    this.stock = copy(this.stock, (n) => new Float64Array(n));
    this.categoryCodes = copy(this.categoryCodes, (n) => new Int32Array(n));
    this.deleted = copy(this.deleted, (n) => new Uint8Array(n));
  }

  /** Writes index.bin, items.json and manifest.json (encoder id, dims, counts, catalog version, checksums). */
  async persist(dir: string): Promise<void> {
    const scratch = await mkdtemp(join(tmpdir(), 'product-index-'));
    try {
      const file = join(scratch, 'index.bin');
      await this.hnsw.writeIndex(file);
      const graph = await readFile(file);
      const n = this.skus.length;
      const categories = [...this.codeOf.keys()];
      const items = JSON.stringify({
        skus: this.skus,
        prices: Array.from(this.prices.subarray(0, n)),
        categories: Array.from(this.categoryCodes.subarray(0, n), (c) => categories[c] ?? ''),
        stock: Array.from(this.stock.subarray(0, n)),
        deleted: Array.from(this.deleted.subarray(0, n)),
      });
      await writeArtifact(
        dir,
        {
          kind: KIND,
          formatVersion: FORMAT,
          encoder: { id: this.encoderId, dims: this.dims },
          dataHash: sha256(items),
          metrics: {},
          params: {
            M: this.params.M,
            efConstruction: this.params.efConstruction,
            ef: this.params.ef,
            elementCount: n,
            activeCount: this.active,
            capacity: this.capacity,
            catalogVersion: this.catalogVersion,
          },
        },
        { 'index.bin': graph, 'items.json': items },
      );
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /** Loads a persisted index; throws IndexUnusableError (missing / corrupt / mismatch) saying which file and why. */
  static async load(dir: string, expect: IndexExpectation): Promise<ProductIndex> {
    let read: Awaited<ReturnType<typeof readArtifact<IndexParams>>>;
    try {
      read = await readArtifact(dir, KIND, FORMAT, ZIndexParams);
    } catch (error) {
      if (error instanceof ArtifactError) {
        const code =
          error.code === 'RECSYS_ARTIFACT_MISSING' ? 'RECSYS_INDEX_MISSING' : 'RECSYS_INDEX_CORRUPT';
        throw new IndexUnusableError(
          code,
          error.file,
          error.message.replace(/^recsys artifact \S+: /, '').replace(/\. Re-run.*$/, ''),
          { cause: error },
        );
      }
      throw error;
    }
    const { manifest, files } = read;
    const manifestFile = join(dir, 'manifest.json');
    const mismatch = (reason: string) =>
      new IndexUnusableError('RECSYS_INDEX_MISMATCH', manifestFile, reason);
    const built = manifest.encoder ?? { id: null, dims: null };
    if (built.id !== expect.encoderId || built.dims !== expect.dims) {
      throw mismatch(
        `built with encoder ${built.id} (${built.dims}-d), current is ${expect.encoderId} (${expect.dims}-d)`,
      );
    }
    const catalogVersion = manifest.params.catalogVersion ?? -1;
    if (expect.catalogVersion !== undefined && catalogVersion !== expect.catalogVersion) {
      throw mismatch(`built at catalog version ${catalogVersion}, catalog is at ${expect.catalogVersion}`);
    }
    const {
      M = DEFAULT_HNSW.M,
      efConstruction = DEFAULT_HNSW.efConstruction,
      ef = DEFAULT_HNSW.ef,
    } = manifest.params;
    const params: HnswParams = { M, efConstruction, ef };
    if (
      expect.params &&
      (expect.params.M !== params.M || expect.params.efConstruction !== params.efConstruction)
    ) {
      throw mismatch(
        `built with M=${params.M}, efConstruction=${params.efConstruction}; configured M=${expect.params.M}, efConstruction=${expect.params.efConstruction}`,
      );
    }
    const itemsFile = join(dir, 'items.json');
    const parsed = ZItems.safeParse(JSON.parse(files.get('items.json')?.toString('utf8') ?? 'null'));
    if (!parsed.success || !files.has('index.bin'))
      throw new IndexUnusableError('RECSYS_INDEX_CORRUPT', itemsFile, 'unreadable item table');
    const index = new ProductIndex(expect.encoderId, expect.dims, params, catalogVersion);
    try {
      index.hnsw.readIndexSync(join(dir, 'index.bin'));
    } catch (error) {
      throw new IndexUnusableError('RECSYS_INDEX_CORRUPT', join(dir, 'index.bin'), 'hnswlib cannot read it', {
        cause: error,
      });
    }
    index.hnsw.setEf(params.ef);
    index.grow(index.hnsw.getMaxElements());
    const { skus, prices, categories, stock, deleted } = parsed.data;
    skus.forEach((sku, label) => {
      index.skus.push(sku);
      index.labelOf.set(sku, label);
      index.prices[label] = prices[label] ?? 0;
      index.stock[label] = stock[label] ?? 0;
      index.categoryCodes[label] = index.categoryCode(categories[label] ?? '');
      index.deleted[label] = deleted[label] ?? 0;
      if (index.deleted[label] === 0) index.active++;
    });
    if (index.hnsw.getCurrentCount() !== skus.length) {
      throw new IndexUnusableError(
        'RECSYS_INDEX_CORRUPT',
        itemsFile,
        `lists ${skus.length} products, graph holds ${index.hnsw.getCurrentCount()}`,
      );
    }
    return index;
  }
}
