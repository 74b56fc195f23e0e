// Single-choice item: one of the options (yes/no options also take "sure", "not really").
import { z } from 'zod';
import { itemBase, ZOption } from './base.js';
import { defineItemType } from './kind.js';
import { checkOptionIds, readChoice } from './reading.js';

export const single = defineItemType({
  type: 'single',
  schema: z.object({ ...itemBase, type: z.literal('single'), options: z.array(ZOption).min(2) }).strict(),
  check: (item, _inst, problem) => checkOptionIds(item.options, problem),
  options: (item) => item.options,
  read: (item, text) => readChoice(item, text),
  optionsText: (item) => `one of: ${item.options.map((o, i) => `${i + 1}. ${o.label}`).join('  ')}`,
  simulate(item, sim) {
    if (item.options.length === 0 || sim.random() < 0.2) return null;
    return { value: null, choices: [sim.pick(item.options).id] };
  },
});
