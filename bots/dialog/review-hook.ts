// Sends a finished customer turn to the review queue when review-trigger.ts says it went badly.
// A queue failure is logged and swallowed: the customer's answer never waits on the review queue.
import type { BotLogger, ChannelName, Nlu } from '../ports.js';
import type { ReviewQueue } from '../review-ports.js';
import type { Reply } from './types.js';
import { reviewReason, type TurnOutcome } from './review-trigger.js';
import type { DialogPolicy } from './policy.js';

// Suggestions a reviewer sees first (the "right intent" buttons).
const SUGGESTIONS = 5;

/** The turn as the hook needs it. */
export interface ReviewedTurn extends TurnOutcome {
  conversationId: string;
  channel: ChannelName;
  text: string;
  replies: readonly Reply[];
}

/** Queues the turn for review when it ended badly; returns the reason (null: not queued). */
export async function queueTurnForReview(
  deps: { review?: ReviewQueue; nlu: Pick<Nlu, 'maskPII'>; logger: BotLogger; policy: DialogPolicy },
  turn: ReviewedTurn,
): Promise<string | null> {
  if (!deps.review) return null;
  const reason = reviewReason(turn, deps.policy);
  if (!reason) return null;
  const nlu = turn.nlu;
  try {
    await deps.review.enqueue({
      domain: 'customer',
      reason,
      channel: turn.channel,
      conversationId: turn.conversationId,
      text: deps.nlu.maskPII(turn.text),
      answered: deps.nlu.maskPII(turn.replies.map(answeredText).join('\n')),
      intent: nlu?.intent ?? null,
      confidence: nlu?.confidence ?? null,
      suggestions: (nlu?.ranking ?? []).slice(0, SUGGESTIONS),
    });
  } catch (err) {
    deps.logger.warn({ err, conversationId: turn.conversationId, reason }, 'review queue unavailable');
  }
  return reason;
}

// What the bot said, with the buttons it offered ("did you mean": which two intents).
function answeredText(reply: Reply): string {
  const buttons = reply.suggestions?.length ? ` [${reply.suggestions.map((s) => s.title).join(' | ')}]` : '';
  const products = reply.kind === 'products' ? ` (${reply.products.map((p) => p.name).join(', ')})` : '';
  return `${reply.text}${products}${buttons}`;
}
