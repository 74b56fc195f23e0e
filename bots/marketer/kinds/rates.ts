// "fallback rate this month", "handoff rate last 30 days": how often the chat did not understand,
// and how often it handed over to a person.
import type { Period } from '../../ports.js';
import { readPeriod } from '../vocabulary-match.js';
import { pct } from './figures.js';
import { defineKind } from './kind.js';

/** Fallback and/or handoff rate over a period. */
export interface RatesQuestion {
  kind: 'rates';
  period: Period;
  focus: 'fallback' | 'handoff' | 'both';
}

export const rates = defineKind<RatesQuestion>({
  kind: 'rates',
  access: 'any',
  asked: {
    intents: ['fallback_rate', 'handoff_rate'],
    cue(t) {
      if (
        /\b(fallback|did ?n?t understand|not understood|out of scope|unanswered|could ?n?t answer)\b/.test(t)
      )
        return 'fallback_rate';
      if (
        /\b(handoff|hand-off|escalat\w*|human|agent|person)\b/.test(t) &&
        /\b(rate|share|percent|percentage|how often|how many|%|ratio)\b/.test(t)
      )
        return 'handoff_rate';
      return null;
    },
    read({ text, t, intent, now }) {
      const both = /\bfallback\b/.test(t) && /\bhand-?off/.test(t);
      return {
        kind: 'rates',
        period: readPeriod(text, now),
        focus: both ? 'both' : intent === 'fallback_rate' ? 'fallback' : 'handoff',
      };
    },
  },
  async answer(q, { deps }) {
    const r = await deps.insights.rates(q.period);
    const lines = [
      ...(q.focus !== 'handoff'
        ? [
            `Fallback rate: *${pct(r.fallbacks, r.userMessages)}* (${r.fallbacks} of ${r.userMessages} customer messages not understood)`,
          ]
        : []),
      ...(q.focus !== 'fallback'
        ? [
            `Handoff rate: *${pct(r.handoffs, r.conversations)}* (${r.handoffs} handoffs in ${r.conversations} conversations)`,
          ]
        : []),
    ];
    return { text: `Chat for ${q.period.label} (all channels):`, lines };
  },
});
