// Likert item: a statement rated on a response scale of the instrument, scored into a trait.
import { z } from 'zod';
import { itemBase } from './base.js';
import { defineItemType } from './kind.js';
import { clampRound } from './reading.js';

/** Likert item: a response scale, the trait (scale score) it belongs to, and its keying. */
export const ZLikertItem = z
  .object({
    ...itemBase,
    type: z.literal('likert'),
    scale: z.string().min(1),
    trait: z.string().min(1).optional(),
    reverse: z.boolean().default(false),
  })
  .strict();

export const likert = defineItemType({
  type: 'likert',
  schema: ZLikertItem,
  check(item, inst, problem) {
    if (!inst.responseScales[item.scale])
      problem(['scale'], `unknown response scale "${item.scale}" (declare it under responseScales)`);
    if (item.trait !== undefined && !inst.traits[item.trait])
      problem(['trait'], `unknown trait "${item.trait}" (declare it under traits)`);
    if (item.reverse && item.trait === undefined)
      problem(
        ['reverse'],
        'a reverse-keyed item must belong to a trait (reverse keying needs a scale score)',
      );
  },
  scale(item, inst) {
    const s = inst.responseScales[item.scale];
    return s
      ? { min: s.min, max: s.max, labels: s.labels, anchors: s.anchors, bipolar: s.bipolar, integer: true }
      : undefined;
  },
  // A respondent's trait shows in the answer (reverse-keyed items the other way round).
  simulate(item, sim) {
    const z = (item.trait ? (sim.latent[item.trait] ?? 0) : 0) * (item.reverse ? -1 : 1);
    return { value: clampRound(3 + z * 0.9 + sim.normal() * 0.6, 1, 5) };
  },
});
