// CSAT item: satisfaction, 1–5.
import { z } from 'zod';
import { SCALE_PRESETS } from '../answer-parser.js';
import { itemBase } from './base.js';
import { defineItemType } from './kind.js';
import { clampRound } from './reading.js';

export const csat = defineItemType({
  type: 'csat',
  schema: z.object({ ...itemBase, type: z.literal('csat') }).strict(),
  scale: () => SCALE_PRESETS.csat,
  simulate: (_item, sim) => ({ value: clampRound(3.6 + sim.satisfaction * 0.9, 1, 5) }),
});
