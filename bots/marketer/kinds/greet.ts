// A greeting.
import { defineKind } from './kind.js';

/** Hello. */
export interface GreetQuestion {
  kind: 'greet';
}

export const greet = defineKind<GreetQuestion>({
  kind: 'greet',
  access: 'any',
  asked: { intents: ['greet'], read: () => ({ kind: 'greet' }) },
  answer: () => ({
    text: 'Hi! Ask me about segments, NPS, CSAT, surveys, products or the chat. Say "help" for examples.',
  }),
});
