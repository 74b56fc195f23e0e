// The one shape every capability's error catalogue shares: a stable string code to match on, a
// human message, and the original error kept as `cause`. A top-level folder with no imports of its
// own, so cores and adapters alike may extend it without breaking "adapters -> cores, never back".
// Each capability still names its own base class (BotError, NluError, ...) and its own codes.

/** Base of the capability error classes; `code` is stable and safe to match on. */
export class CodedError<Code extends string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
