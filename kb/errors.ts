// Error catalogue of the knowledge-base capability: stable string codes, the original error kept
// as `cause`. HTTP statuses are chosen at the edge (server/, cli/), never here.

import { CodedError } from '../errors/index.js';

/** Stable codes of every knowledge-base error. */
export type KbErrorCode =
  'KB_BAD_INPUT' | 'KB_IMPORT_FILE' | 'KB_EMPTY' | 'KB_UNKNOWN_DOCUMENT' | 'KB_CRAWL' | 'KB_LLM';

/** Base class of knowledge-base errors; `code` is stable and safe to match on. */
export class KbError extends CodedError<KbErrorCode> {
  override name = 'KbError';
}

/** A file (or URL) that could not be imported; `source` names it so reports stay per file. */
export class KbImportError extends KbError {
  constructor(
    readonly source: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super('KB_IMPORT_FILE', `${source}: ${reason}`, options);
    this.name = 'KbImportError';
  }
}

/** A knowledge base with nothing in it cannot answer or be evaluated. */
export class EmptyKnowledgeBaseError extends KbError {
  constructor() {
    super('KB_EMPTY', 'the knowledge base is empty: import documents with `npx mkt kb import PATH|URL`');
    this.name = 'EmptyKnowledgeBaseError';
  }
}
