// Error catalogue of the NLU capability: stable string codes, the original error kept as `cause`.
// HTTP statuses are chosen at the edge (server/), never here.

import { CodedError } from '../errors/index.js';

/** Stable codes of every NLU error. */
export type NluErrorCode =
  | 'NLU_MODEL_MISSING'
  | 'NLU_MODEL_CORRUPT'
  | 'NLU_ENCODER_MISMATCH'
  | 'NLU_ENCODER_UNAVAILABLE'
  | 'NLU_TRAINING_DATA_INVALID'
  | 'NLU_NO_VERSION'
  | 'NLU_BAD_INPUT';

/** Base class of NLU errors; `code` is stable and safe to match on. */
export class NluError extends CodedError<NluErrorCode> {
  override name = 'NluError';
}

/** A model artifact file does not exist. */
export class NluModelMissingError extends NluError {
  constructor(
    readonly file: string,
    howToFix: string,
    options?: { cause?: unknown },
  ) {
    super('NLU_MODEL_MISSING', `NLU model file missing: ${file}. ${howToFix}`, options);
    this.name = 'NluModelMissingError';
  }
}

/** A model artifact file exists but cannot be read back (truncated, edited, wrong format version). */
export class NluModelCorruptError extends NluError {
  constructor(
    readonly file: string,
    detail: string,
    howToFix: string,
    options?: { cause?: unknown },
  ) {
    super('NLU_MODEL_CORRUPT', `NLU model file corrupt: ${file} (${detail}). ${howToFix}`, options);
    this.name = 'NluModelCorruptError';
  }
}

/** An artifact was built on another sentence encoder than the one it is loaded with. */
export class NluEncoderMismatchError extends NluError {
  constructor(
    readonly artifactEncoder: { id: string; dims: number },
    readonly currentEncoder: { id: string; dims: number },
    howToFix: string,
  ) {
    super(
      'NLU_ENCODER_MISMATCH',
      `NLU model was trained with encoder "${artifactEncoder.id}" (${artifactEncoder.dims}-d) ` +
        `but the current encoder is "${currentEncoder.id}" (${currentEncoder.dims}-d). ${howToFix}`,
    );
    this.name = 'NluEncoderMismatchError';
  }
}

/** Training data does not match the expected shape; `issues` lists what is wrong. */
export class NluTrainingDataError extends NluError {
  constructor(
    message: string,
    readonly issues: string[] = [],
    options?: { cause?: unknown },
  ) {
    super('NLU_TRAINING_DATA_INVALID', message, options);
    this.name = 'NluTrainingDataError';
  }
}
