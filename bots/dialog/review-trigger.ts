// Which customer turns go to the review queue, decided from what is known once the turn is done:
// the decision, the NLU's reading and what the handlers did. Pure, so every trigger has a unit
// test; the engine sends the item (engine.ts).
import type { NluResult } from '../ports.js';
import type { ReviewReason } from '../review-ports.js';
import type { DialogAction } from './actions.js';
import type { DialogPolicy } from './policy.js';

// Replies decided before or without the classifier (input guards, a yes/no outcome).
const GUARD_REPLIES: ReadonlySet<string> = new Set([
  'non_english',
  'no_words',
  'too_long',
  'empty_message',
  'unsupported_attachment',
  'cancelled',
]);
// Actions whose outcome does not depend on the intent classifier (a survey answer is read by the
// survey, silence is a person's turn, a button names its intent).
const CLASSIFIER_FREE: ReadonlySet<DialogAction['kind']> = new Set(['survey_answer', 'silent']);

/** What the trigger looks at. */
export interface TurnOutcome {
  action: DialogAction;
  /** Null when there was no text to analyse or the NLU failed. */
  nlu: NluResult | null;
  /** True when the message was a button press (its intent was chosen, not guessed). */
  button: boolean;
  /** True when the message had text worth analysing (not empty, not too long). */
  analysable: boolean;
}

/** Why this turn should be reviewed, or null when it went well. Pure. */
export function reviewReason(
  turn: TurnOutcome,
  policy: Pick<DialogPolicy, 'reviewBelowConfidence'>,
): ReviewReason | null {
  const { action, nlu } = turn;
  if (turn.button || !turn.analysable) return null;
  if (action.kind === 'handoff') return 'handoff';
  if (action.kind === 'disambiguate') return 'did_you_mean';
  // "Not understood"; the off-topic reply counts only when the classifier refused the message (a
  // confident off_topic intent is the bot knowing what it does not do).
  if (action.kind === 'reply' && action.reply === 'out_of_scope')
    return nlu?.outOfScope ? 'out_of_scope' : 'fallback';
  if (action.kind === 'reply' && action.reply === 'off_topic' && nlu?.outOfScope) return 'out_of_scope';
  // A shop question the help centre could not answer above its gate.
  if (action.kind === 'kb_answer' && action.lookup.answer === null) return 'kb_low_confidence';
  if (!nlu || CLASSIFIER_FREE.has(action.kind)) return null;
  if (action.kind === 'reply' && GUARD_REPLIES.has(action.reply)) return null;
  // Answered, but on a guess: worth a look even when the answer was right.
  return !nlu.outOfScope && nlu.confidence < policy.reviewBelowConfidence ? 'low_confidence' : null;
}
