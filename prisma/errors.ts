import { CodedError } from '../errors/index.js';

/** Stable error codes of the data layer. */
export type DbErrorCode = 'DB_UNREACHABLE' | 'DB_MIGRATION_FAILED' | 'DB_MIGRATIONS_MISSING' | 'DB_ENGINE';

/** A data-layer error with a stable code; the original error is kept as `cause`. */
export class DbError extends CodedError<DbErrorCode> {
  override name = 'DbError';
}

// Messages and codes of a lost or refused connection, as pg, the Prisma driver adapter and
// Prisma's own engine report them; anything else (a constraint, a bad query) is not an outage.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'P1001',
  'P1002',
  'P1008',
  'P1017',
  'P2024',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|Query read timeout|connection timeout|timeout exceeded when trying to connect|Can't reach database|Client has encountered a connection error|server closed the connection|the database system is (starting up|shutting down)|DatabaseNotReachable|ConnectionClosed|SocketTimeout/i;

/** True when an error means the database cannot be reached right now (answer 503, retry later). */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; kind?: unknown };
  if (error instanceof DbError && e.code === 'DB_UNREACHABLE') return true;
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
  if (
    typeof e.kind === 'string' &&
    /NotReachable|ConnectionClosed|SocketTimeout|TooManyConnections/.test(e.kind)
  )
    return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}
