import { IndexUnusableError } from './errors.js';
import { ProductIndex, type HnswParams } from './product-index.js';
import type { CatalogProduct, ProgressReporter, RecsysLogger, TextEncoder } from './types.js';
import { productText } from './types.js';

/** Options of building an index from catalog products. */
export interface BuildIndexOptions {
  params?: Partial<HnswParams>;
  catalogVersion?: number;
  /** Texts embedded per encoder call (bounds memory for large catalogs). */
  batchSize?: number;
  progress?: ProgressReporter;
}

/** Embeds every active product and builds a fresh index. */
export async function buildProductIndex(
  products: readonly CatalogProduct[],
  encoder: TextEncoder,
  options: BuildIndexOptions = {},
): Promise<ProductIndex> {
  const active = products.filter((p) => p.active);
  const index = ProductIndex.create({
    encoderId: encoder.id,
    dims: encoder.dims,
    params: options.params,
    capacity: Math.max(1024, Math.ceil(active.length * 1.25)),
    catalogVersion: options.catalogVersion ?? 0,
  });
  const batch = Math.max(1, options.batchSize ?? 64);
  options.progress?.start(active.length, 'embedding products');
  for (let i = 0; i < active.length; i += batch) {
    const slice = active.slice(i, i + batch);
    const vectors = await encoder.embed(slice.map(productText));
    slice.forEach((p, j) => index.upsert(p, vectors[j]!));
    options.progress?.update(Math.min(active.length, i + batch));
  }
  options.progress?.stop();
  return index;
}

/** Embeds and upserts changed products, removes inactive or deleted ones (the incremental path a job runs). */
export async function applyCatalogChanges(
  index: ProductIndex,
  encoder: TextEncoder,
  changes: { upserted?: readonly CatalogProduct[]; removedSkus?: readonly string[]; catalogVersion?: number },
): Promise<{ upserted: number; removed: number }> {
  let removed = 0;
  for (const sku of changes.removedSkus ?? []) if (index.remove(sku)) removed++;
  const live = (changes.upserted ?? []).filter((p) => p.active);
  for (const p of changes.upserted ?? []) if (!p.active && index.remove(p.sku)) removed++;
  if (live.length > 0) {
    const vectors = await encoder.embed(live.map(productText));
    live.forEach((p, i) => index.upsert(p, vectors[i]!));
  }
  if (changes.catalogVersion !== undefined) index.catalogVersion = changes.catalogVersion;
  return { upserted: live.length, removed };
}

/** What `openProductIndex` needs. */
export interface OpenIndexOptions {
  dir: string;
  encoder: TextEncoder;
  params: HnswParams;
  catalogVersion: number;
  /** Reads the catalog when a rebuild is needed. */
  loadProducts: () => Promise<CatalogProduct[]>;
  logger?: RecsysLogger;
  progress?: ProgressReporter;
}

/**
 * Loads the persisted index, or rebuilds it from the catalog (and persists it) when it is
 * missing, corrupt, or does not match the encoder, HNSW parameters or catalog version.
 */
export async function openProductIndex(
  options: OpenIndexOptions,
): Promise<{ index: ProductIndex; rebuilt: boolean; reason?: string }> {
  const { dir, encoder, params, catalogVersion } = options;
  try {
    const index = await ProductIndex.load(dir, {
      encoderId: encoder.id,
      dims: encoder.dims,
      catalogVersion,
      params,
    });
    index.setEf(params.ef);
    options.logger?.info({ dir, products: index.size, catalogVersion }, 'product index loaded');
    return { index, rebuilt: false };
  } catch (error) {
    if (!(error instanceof IndexUnusableError)) throw error;
    const reason = error.message;
    if (error.code === 'RECSYS_INDEX_MISSING')
      options.logger?.info(
        { dir, code: error.code },
        `product index not found, building it: ${error.reason}`,
      );
    else if (error.reason.startsWith('built at catalog version')) {
      // the catalog moved on while the index was not running: an ordinary rebuild, not a fault
      options.logger?.info(
        { dir, code: error.code },
        `product index out of date, rebuilding from the catalog: ${error.reason}`,
      );
    } else
      options.logger?.warn(
        { dir, code: error.code },
        `product index unusable, rebuilding from the catalog: ${reason}`,
      );
    const products = await options.loadProducts();
    const index = await buildProductIndex(products, encoder, {
      params,
      catalogVersion,
      progress: options.progress,
    });
    await index.persist(dir);
    return { index, rebuilt: true, reason };
  }
}
