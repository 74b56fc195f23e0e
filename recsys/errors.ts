// Error catalogue of the recommendations capability: stable string codes, the original error kept
// as `cause`. HTTP statuses are chosen at the edge (server/, cli/), never here.

import { CodedError } from '../errors/index.js';

/** Stable codes of every recsys error. */
export type RecsysErrorCode =
  | 'RECSYS_UNKNOWN_PRODUCT'
  | 'RECSYS_UNKNOWN_CUSTOMER'
  | 'RECSYS_EMPTY_CATALOG'
  | 'RECSYS_INDEX_MISSING'
  | 'RECSYS_INDEX_CORRUPT'
  | 'RECSYS_INDEX_MISMATCH'
  | 'RECSYS_ARTIFACT_MISSING'
  | 'RECSYS_ARTIFACT_CORRUPT'
  | 'RECSYS_BAD_INPUT'
  | 'RECSYS_IMPORT_FILE';

/** Base class of recsys errors; `code` is stable and safe to match on. */
export class RecsysError extends CodedError<RecsysErrorCode> {
  override name = 'RecsysError';
}

/** A SKU that is not in the catalog (a 404 at the edge). */
export class UnknownProductError extends RecsysError {
  constructor(readonly sku: string) {
    super('RECSYS_UNKNOWN_PRODUCT', `unknown product SKU "${sku}"`);
    this.name = 'UnknownProductError';
  }
}

/** A customer id that does not exist (a 404 at the edge). */
export class UnknownCustomerError extends RecsysError {
  constructor(readonly customerId: string) {
    super('RECSYS_UNKNOWN_CUSTOMER', `unknown customer "${customerId}"`);
    this.name = 'UnknownCustomerError';
  }
}

/** The catalog has no products, so there is nothing to recommend. */
export class EmptyCatalogError extends RecsysError {
  constructor() {
    super(
      'RECSYS_EMPTY_CATALOG',
      'the product catalog is empty: import one with `npx mkt catalog import FILE.csv`',
    );
    this.name = 'EmptyCatalogError';
  }
}

/** The persisted HNSW index cannot be used; `reason` tells which check failed. */
export class IndexUnusableError extends RecsysError {
  constructor(
    code: 'RECSYS_INDEX_MISSING' | 'RECSYS_INDEX_CORRUPT' | 'RECSYS_INDEX_MISMATCH',
    readonly file: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      code,
      `product index ${file}: ${reason}. It is rebuilt from the catalog on start (or run \`npx mkt recommend\` once)`,
      options,
    );
    this.name = 'IndexUnusableError';
  }
}

/** A persisted artifact (rule set, item-kNN model) is missing or unreadable. */
export class ArtifactError extends RecsysError {
  constructor(
    code: 'RECSYS_ARTIFACT_MISSING' | 'RECSYS_ARTIFACT_CORRUPT',
    readonly file: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      code,
      `recsys artifact ${file}: ${detail}. Re-run training (\`npx mkt rules mine\`) to rebuild it`,
      options,
    );
    this.name = 'ArtifactError';
  }
}

/** Arguments out of range or malformed input data. */
export class BadInputError extends RecsysError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('RECSYS_BAD_INPUT', message, options);
    this.name = 'BadInputError';
  }
}
