/** Why a message was refused before classification. */
export type RejectReason = 'empty' | 'too_long' | 'no_words';

/** Result of cleaning a raw message: the text to classify, or why there is none. */
export type CleanedInput = { ok: true; text: string } | { ok: false; reason: RejectReason };

/** Default limit: chat messages are short; 100 kB pastes are not intents and would only cost latency. */
export const DEFAULT_MAX_INPUT_CHARS = 2_000;

/**
 * Prepares a user message for classification without ever throwing: non-strings and blank
 * text are "empty", control characters become spaces, over-long text is "too_long", and text
 * with no letter or digit at all (emoji-only, punctuation) is "no_words".
 */
export function cleanInput(raw: unknown, maxChars = DEFAULT_MAX_INPUT_CHARS): CleanedInput {
  if (typeof raw !== 'string') return { ok: false, reason: 'empty' };
  // C0/C1 control characters, zero-width and bidi controls, lone surrogates.
  const text = raw
    .replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}]+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  if (text.length === 0) return { ok: false, reason: 'empty' };
  if (text.length > maxChars) return { ok: false, reason: 'too_long' };
  if (!/[\p{L}\p{N}]/u.test(text)) return { ok: false, reason: 'no_words' };
  return { ok: true, text };
}
