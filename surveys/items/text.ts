// Free-text item: a comment (its sentiment is stored with it); skipped in words, not by a button.
import { z } from 'zod';
import { itemBase } from './base.js';
import { defineItemType } from './kind.js';
import { isSkipRequest } from './reading.js';

export const text = defineItemType({
  type: 'text',
  schema: z
    .object({
      ...itemBase,
      type: z.literal('text'),
      maxLength: z.number().int().min(1).max(5000).default(1000),
    })
    .strict(),
  skipButton: false,
  read(item, trimmed) {
    if (!trimmed) return { kind: 'reask', reason: 'unrecognised', detail: 'empty answer' };
    if (isSkipRequest(trimmed)) return { kind: 'skip' };
    if (trimmed.length > item.maxLength)
      return {
        kind: 'reask',
        reason: 'too-long',
        detail: `${trimmed.length} characters, at most ${item.maxLength}`,
      };
    return { kind: 'answer', value: null, choices: [], text: trimmed };
  },
  // The demo comment follows the score given earlier in the session (NPS, or CSAT doubled); the
  // follow-up asked of detractors only is left out for the others.
  simulate(item, sim) {
    const score = sim.values.get('recommend') ?? (sim.values.get('satisfaction') ?? 3) * 2;
    if (item.showIf && !(score <= 6)) return null;
    if (sim.random() < 0.35) return null;
    const happy = score >= 8;
    const comment = sim.comment(item.id === 'improve' ? 'suggestion' : happy ? 'praise' : 'complaint');
    return { value: null, text: comment, sentiment: happy ? 0.6 : -0.6 };
  },
});
