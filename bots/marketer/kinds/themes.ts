// "what do customers dislike most?": themes of negative survey comments and chat messages, with
// quotes (PII masked).
import type { Period } from '../../ports.js';
import { readPeriod } from '../vocabulary-match.js';
import { defineKind } from './kind.js';

/** Complaint themes over a period. */
export interface ThemesQuestion {
  kind: 'themes';
  period: Period;
}

export const themes = defineKind<ThemesQuestion>({
  kind: 'themes',
  access: 'customers',
  asked: {
    intents: ['comment_themes'],
    cue: (t) =>
      /\b(dislike|complain\w*|themes?|pain points?|unhappy|hate|annoy\w*|frustrat\w*|what do (customers|people) (say|think|like|want)|comments?|feedback say)\b/.test(
        t,
      )
        ? 'comment_themes'
        : null,
    read: ({ text, now }) => ({ kind: 'themes', period: readPeriod(text, now, 182) }),
  },
  async answer(q, { deps }) {
    const { insights } = deps;
    const c = await insights.negativeComments(q.period);
    if (c.texts.length === 0)
      return { text: `No negative comments for ${q.period.label} (survey free text and chat).` };
    const themes = await insights.themes(c.texts);
    return {
      text: `What customers complain about, ${q.period.label} (${c.answers} free-text survey answers and ${c.messages} negative chat messages):`,
      lines: themes.map(
        (t, i) =>
          `${i + 1}. *${t.label}* (${t.size} comments): ${t.quotes.map((quote) => `“${deps.maskPII(quote)}”`).join(' ')}`,
      ),
    };
  },
});
