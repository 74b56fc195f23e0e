// Errors of the review queue, with stable codes; the admin API, the CLI and Slack map them to
// their own answers (404, 409, 422...).
import { CodedError } from '../errors/index.js';

/** Stable codes of review errors. */
export type ReviewErrorCode =
  | 'REVIEW_NOT_FOUND'
  | 'REVIEW_ALREADY_REVIEWED'
  | 'REVIEW_UNKNOWN_INTENT'
  | 'REVIEW_NO_KNOWLEDGE_BASE'
  | 'REVIEW_UNKNOWN_KB_ENTRY';

/** A review action that cannot be done; `code` says why. */
export class ReviewError extends CodedError<ReviewErrorCode> {
  override name = 'ReviewError';
}
