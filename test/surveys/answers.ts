import type { AnswerRecord } from '../../surveys/index.js';

/** A saved answer for scoring and report tests: a value, nothing skipped, no text unless given. */
export function answer(
  itemId: string,
  value: number | null,
  extra: Partial<AnswerRecord> = {},
): AnswerRecord {
  return { itemId, value, choices: [], text: null, skipped: false, sentiment: null, ...extra };
}
