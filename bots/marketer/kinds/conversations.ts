// "conversation volume last week": conversations, messages and customers in the chat.
import type { Period } from '../../ports.js';
import { readPeriod } from '../vocabulary-match.js';
import { defineKind } from './kind.js';

/** Chat volume over a period. */
export interface ConversationsQuestion {
  kind: 'conversations';
  period: Period;
}

export const conversations = defineKind<ConversationsQuestion>({
  kind: 'conversations',
  access: 'any',
  asked: {
    intents: ['conversation_volume'],
    cue: (t) =>
      /\b(conversations?|chats?|chat volume|messages)\b/.test(t) && !/\bsegment\b/.test(t)
        ? 'conversation_volume'
        : null,
    read: ({ text, now }) => ({ kind: 'conversations', period: readPeriod(text, now) }),
  },
  async answer(q, { deps }) {
    const r = await deps.insights.conversations(q.period);
    return {
      text: `Conversations started in ${q.period.label} (all channels): *${r.conversations}*, with ${r.userMessages} customer messages from ${r.customers} customers.`,
    };
  },
});
