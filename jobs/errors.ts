// Error catalogue of the jobs capability: stable string codes, the original error kept as `cause`.
// HTTP statuses and CLI exit codes are chosen at the edges (server/, cli/), never here.

import { CodedError } from '../errors/index.js';

/** Stable codes of every jobs error. */
export type JobsErrorCode =
  | 'JOB_UNKNOWN_NAME'
  | 'JOB_INVALID_PAYLOAD'
  | 'JOB_INVALID_ID'
  | 'JOB_NOT_FOUND'
  | 'JOB_NOT_FAILED'
  | 'JOB_QUEUE_CLOSED'
  | 'JOB_BUFFER_FULL'
  | 'JOB_REDIS_REQUIRED'
  | 'VERSION_INVALID';

/** Base class of jobs errors; `code` is stable and safe to match on. */
export class JobsError extends CodedError<JobsErrorCode> {
  override name = 'JobsError';
}

/** Thrown by a processor when retrying cannot help (bad input, missing record): the job fails at once. */
export class UnrecoverableJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnrecoverableJobError';
  }
}
