// Marketer questions the assistant could not read, or read on a guess, go to the review queue
// like customer messages (domain "marketer"): the labels train the marketer intent model.
import type { BotLogger, NluResult } from '../ports.js';
import type { ReviewQueue, ReviewReason } from '../review-ports.js';
import type { MarketerQuestion } from './kinds/index.js';

/** Default confidence below which an answered marketer question is queued (the dialog policy's). */
export const MARKETER_REVIEW_BELOW = 0.7;

/** Why a marketer turn should be reviewed, or null. Pure. */
export function marketerReviewReason(
  analysis: NluResult | null,
  question: MarketerQuestion,
  reviewBelow = MARKETER_REVIEW_BELOW,
): ReviewReason | null {
  if (!analysis) return null;
  if (question.kind === 'unknown') return analysis.outOfScope ? 'out_of_scope' : 'fallback';
  // "missing" asks for the one thing the question lacked: the intent was read.
  if (question.kind === 'missing') return null;
  return !analysis.outOfScope && analysis.confidence < reviewBelow ? 'low_confidence' : null;
}

/** Queues the turn when it went badly; a queue failure is logged, never shown to the marketer. */
export async function queueMarketerReview(
  deps: { review?: ReviewQueue; logger: BotLogger; maskPII: (s: string) => string; reviewBelow?: number },
  turn: {
    conversationId: string;
    text: string;
    answered: string;
    analysis: NluResult | null;
    question: MarketerQuestion;
  },
): Promise<ReviewReason | null> {
  if (!deps.review) return null;
  const reason = marketerReviewReason(turn.analysis, turn.question, deps.reviewBelow);
  if (!reason) return null;
  try {
    await deps.review.enqueue({
      domain: 'marketer',
      reason,
      channel: 'slack',
      conversationId: turn.conversationId,
      text: deps.maskPII(turn.text),
      answered: deps.maskPII(turn.answered),
      intent: turn.analysis?.intent ?? null,
      confidence: turn.analysis?.confidence ?? null,
      suggestions: (turn.analysis?.ranking ?? []).slice(0, 5),
    });
  } catch (err) {
    deps.logger.warn({ err, conversationId: turn.conversationId, reason }, 'review queue unavailable');
  }
  return reason;
}
