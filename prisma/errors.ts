/** Stable error codes of the data layer. */
export type DbErrorCode = 'DB_UNREACHABLE' | 'DB_MIGRATION_FAILED' | 'DB_MIGRATIONS_MISSING' | 'DB_ENGINE';

/** A data-layer error with a stable code; the original error is kept as `cause`. */
export class DbError extends Error {
  override name = 'DbError';
  constructor(
    readonly code: DbErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
