// Number item: a number within optional bounds, whole when `integer`.
import { z } from 'zod';
import { parseScaleAnswer } from '../answer-parser.js';
import { itemBase } from './base.js';
import { defineItemType } from './kind.js';

export const number = defineItemType({
  type: 'number',
  schema: z
    .object({
      ...itemBase,
      type: z.literal('number'),
      min: z.number().optional(),
      max: z.number().optional(),
      integer: z.boolean().default(false),
    })
    .strict(),
  check(item, _inst, problem) {
    if (item.min !== undefined && item.max !== undefined && item.min > item.max)
      problem(['min'], 'must not exceed max');
  },
  read(item, trimmed) {
    const p = parseScaleAnswer(trimmed, {
      min: item.min ?? -1e12,
      max: item.max ?? 1e12,
      bipolar: false,
      integer: item.integer,
    });
    if (p.kind === 'value') return { kind: 'answer', value: p.value, choices: [], text: trimmed };
    if (p.kind === 'skip') return { kind: 'skip' };
    if (p.kind === 'out-of-range')
      return {
        kind: 'reask',
        reason: 'out-of-range',
        detail: `${p.value} is outside ${item.min}–${item.max}`,
      };
    return { kind: 'reask', reason: p.reason === 'empty' ? 'unrecognised' : p.reason, detail: '' };
  },
  optionsText(item) {
    const range = item.min !== undefined && item.max !== undefined ? ` from ${item.min} to ${item.max}` : '';
    return `a ${item.integer ? 'whole ' : ''}number${range}`;
  },
  // The demo questionnaires ask no number: a demo respondent passes it over.
  simulate: () => null,
});
