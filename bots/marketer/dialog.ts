// One marketer turn, the same way the customer dialog runs one: the NLU (marketer domain, same
// out-of-scope policy) analyses the text, the message is stored with its analysis before any
// reply, the turn is logged with PII masked, then the question is read and answered and the reply
// is stored. Marketer conversations are kept apart from customers' by their "mkt:" external id.
import type { RuleSegment } from '../../surveys/index.js';
import { TurnAnsweredError } from '../errors.js';
import type { BotLogger, ConversationStore, MemberRole, Nlu, NluResult } from '../ports.js';
import type { ReviewQueue } from '../review-ports.js';
import { answerQuestion, type MarketerAnswerDeps, type MarketerReply } from './answer.js';
import type { MarketerQuestion } from './kinds/index.js';
import { queueMarketerReview } from './review.js';
import { understandQuestion } from './understand.js';

/** Prefix of the external ids of marketer conversations (analytics leave them out). */
export const MARKETER_CONVERSATION_PREFIX = 'mkt:';

/** One inbound marketer message. */
export interface MarketerMessage {
  team: string;
  user: string;
  /** Slack channel or DM id. */
  channel: string;
  text: string;
  activityId?: string;
  role: MemberRole;
}

/** What the marketer dialog needs. */
export interface MarketerDialogDeps extends MarketerAnswerDeps {
  nlu: Nlu;
  store: ConversationStore;
  logger: BotLogger;
  now?: () => Date;
  /** Confidence below which the marketer model's guess is not used (the dialog policy's). */
  minConfidence?: number;
  /** Where unread or guessed questions go for review (none: nothing is queued). */
  review?: ReviewQueue;
  /** Confidence below which an answered question is still queued (the dialog policy's). */
  reviewBelow?: number;
}

/** The marketer side of the dialog. */
export class MarketerDialog {
  constructor(private readonly deps: MarketerDialogDeps) {}

  /** Handles one message; null when it was a retry of a message already handled. */
  async handle(m: MarketerMessage): Promise<{ question: MarketerQuestion; reply: MarketerReply } | null> {
    const { nlu, store, logger } = this.deps;
    const now = this.deps.now?.() ?? new Date();
    const analysis: NluResult | null = m.text.trim() ? await nlu.analyze(m.text, 'marketer') : null;
    const ref = {
      channel: 'slack' as const,
      externalId: `${MARKETER_CONVERSATION_PREFIX}${m.team}:${m.channel}`,
      userExternalId: `${MARKETER_CONVERSATION_PREFIX}${m.team}:${m.user}`,
    };
    const conv = await store.beginTurn(ref, {
      direction: 'user',
      activityId: m.activityId,
      text: m.text,
      intent: analysis?.intent,
      confidence: analysis?.confidence,
      sentiment: analysis?.sentiment,
      entities: analysis?.entities,
    });
    // A resend of a message whose turn failed before its reply was stored is answered now.
    if (conv.duplicate && conv.answered) return null;
    const vocab = await this.deps.insights.vocabulary();
    const question = understandQuestion(m.text, analysis, vocab, now, this.deps.minConfidence);
    logger.info(
      {
        conversationId: conv.conversationId,
        channel: 'slack',
        domain: 'marketer',
        text: nlu.maskPII(m.text),
        intent: analysis?.intent,
        confidence: analysis?.confidence,
        question: question.kind,
        role: m.role,
      },
      'marketer message',
    );
    const reply = await answerQuestion(question, m.role, this.deps);
    try {
      await store.commitTurn(conv.conversationId, conv.state, conv.etag, [reply.text], m.activityId);
    } catch (err) {
      // Another process answered the same message meanwhile: its reply stands.
      if (err instanceof TurnAnsweredError) return null;
      throw err;
    }
    await queueMarketerReview(
      { ...this.deps, maskPII: (s) => nlu.maskPII(s) },
      { conversationId: conv.conversationId, text: m.text, answered: reply.text, analysis, question },
    );
    return { question, reply };
  }

  /** Saves a confirmed rule segment with its members. */
  saveSegment(rule: RuleSegment): Promise<{ id: string; name: string; size: number }> {
    return this.deps.insights.saveSegment(rule);
  }

  /** Answers a question that is already read (a button), without storing a message. */
  answer(question: MarketerQuestion, role: MemberRole): Promise<MarketerReply> {
    return answerQuestion(question, role, this.deps);
  }
}
