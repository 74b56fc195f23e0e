// Multiple-choice item: any number of the options within minSelect..maxSelect.
import { z } from 'zod';
import { itemBase, ZOption } from './base.js';
import { defineItemType } from './kind.js';
import { checkOptionIds, readChoice } from './reading.js';

export const multiple = defineItemType({
  type: 'multiple',
  schema: z
    .object({
      ...itemBase,
      type: z.literal('multiple'),
      options: z.array(ZOption).min(2),
      minSelect: z.number().int().min(0).optional(),
      maxSelect: z.number().int().min(1).optional(),
    })
    .strict(),
  check(item, _inst, problem) {
    checkOptionIds(item.options, problem);
    if (item.maxSelect !== undefined && item.maxSelect > item.options.length)
      problem(['maxSelect'], `cannot exceed the ${item.options.length} options`);
    if (item.minSelect !== undefined && item.maxSelect !== undefined && item.minSelect > item.maxSelect)
      problem(['minSelect'], 'must not exceed maxSelect');
  },
  options: (item) => item.options,
  read: (item, text) => readChoice(item, text),
  optionsText: (item) =>
    `one or more of: ${item.options.map((o, i) => `${i + 1}. ${o.label}`).join('  ')} (e.g. "1, 3")`,
  simulate(item, sim) {
    if (item.options.length === 0 || sim.random() < 0.2) return null;
    const first = sim.pick(item.options).id;
    const second = sim.random() < 0.5 ? [sim.pick(item.options).id] : [];
    return { value: null, choices: [...new Set([first, ...second])] };
  },
});
