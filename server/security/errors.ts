// Error catalogue of the security layer: stable codes, the original error kept as `cause`.
// HTTP statuses are chosen by the admin routes, never here.

import { CodedError } from '../../errors/index.js';

/** Stable codes of every security error. */
export type SecurityErrorCode =
  | 'SECURITY_KEY_INVALID'
  | 'SECURITY_KEY_FILE'
  | 'SECURITY_UNKNOWN_KEY'
  | 'SECURITY_DECRYPT_FAILED'
  | 'SECURITY_NOT_ENCRYPTED';

/** Base class of security errors; `code` is stable and safe to match on. Never carries secrets. */
export class SecurityError extends CodedError<SecurityErrorCode> {
  override name = 'SecurityError';
}
