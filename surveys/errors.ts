// Error catalogue of the surveys capability: stable string codes, the original error kept as
// `cause`. HTTP statuses and chat wording are chosen at the edge (server/, bots/, cli/).

import { CodedError } from '../errors/index.js';

/** Stable codes of every surveys error. */
export type SurveyErrorCode =
  | 'SURVEY_INSTRUMENT_INVALID'
  | 'SURVEY_INSTRUMENT_NOT_FOUND'
  | 'SURVEY_ALREADY_COMPLETED'
  | 'SURVEY_WITHDRAWN'
  | 'SURVEY_CONSENT_DECLINED'
  | 'SURVEY_SESSION_NOT_FOUND'
  | 'SURVEY_STORE_CONFLICT'
  | 'SURVEY_CHART_FONT_MISSING';

/** Base class of surveys errors; `code` is stable and safe to match on. */
export class SurveyError extends CodedError<SurveyErrorCode> {
  override name = 'SurveyError';
}

/** One problem in an instrument definition, with the path of the offending field. */
export interface InstrumentIssue {
  path: string;
  message: string;
}

/** An instrument file or object failed validation; `issues` lists every problem with its path. */
export class InstrumentInvalidError extends SurveyError {
  constructor(
    readonly source: string,
    readonly issues: InstrumentIssue[],
    options?: { cause?: unknown },
  ) {
    super(
      'SURVEY_INSTRUMENT_INVALID',
      `instrument ${source} is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'}): ` +
        issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; '),
      options,
    );
    this.name = 'InstrumentInvalidError';
  }
}

/** A respondent asked for a second session of an instrument they already finished. */
export class AlreadyCompletedError extends SurveyError {
  constructor(
    readonly instrumentId: string,
    readonly completedAt: Date | null,
    /** When a repeatable survey (NPS, CSAT) may be answered again; null: answered once. */
    readonly againFrom: Date | null = null,
  ) {
    const when = completedAt ? ` on ${completedAt.toISOString().slice(0, 10)}` : '';
    const rule = againFrom
      ? `it can be answered again from ${againFrom.toISOString().slice(0, 10)}`
      : 'each person answers it once';
    super('SURVEY_ALREADY_COMPLETED', `this survey ("${instrumentId}") was already completed${when}; ${rule}`);
    this.name = 'AlreadyCompletedError';
  }
}

/** An answer arrived for a session whose consent was withdrawn (its answers were deleted). */
export class WithdrawnError extends SurveyError {
  constructor(readonly instrumentId: string) {
    super(
      'SURVEY_WITHDRAWN',
      `consent for survey "${instrumentId}" was withdrawn and its answers deleted; no further answers are recorded`,
    );
    this.name = 'WithdrawnError';
  }
}
