// NPS item: "how likely are you to recommend us", 0–10.
import { z } from 'zod';
import { SCALE_PRESETS } from '../answer-parser.js';
import { itemBase } from './base.js';
import { defineItemType } from './kind.js';
import { clampRound } from './reading.js';

export const nps = defineItemType({
  type: 'nps',
  schema: z.object({ ...itemBase, type: z.literal('nps') }).strict(),
  scale: () => SCALE_PRESETS.nps,
  simulate: (_item, sim) => ({ value: clampRound(7.4 + sim.satisfaction * 1.8, 0, 10) }),
});
