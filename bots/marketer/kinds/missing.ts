// A question whose kind was read but a required thing is missing: say what, offer choices. Any
// reader returns one (kind.ts's `missing`).
import { defineKind, type MissingQuestion } from './kind.js';

export const missingKind = defineKind<MissingQuestion>({
  kind: 'missing',
  access: 'any',
  answer: (q) => ({
    text: `I need a bit more: ${q.what}. For example: "${q.example}".`,
    buttons: q.choices
      .slice(0, 5)
      .map((c, i) => ({ text: c.label, actionId: `mkt_ask_${i}`, value: c.question })),
  }),
});
