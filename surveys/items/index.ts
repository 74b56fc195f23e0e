// The survey item-type registry: every item type is one module in this folder (schema, cross-field
// rules, how an answer is read, how it is asked, how a demo respondent answers), listed once below.
// The instrument schema's `ZItem`, the answer reader, the buttons and the demo data dispatch here.
import { z } from 'zod';
import type { ScaleSpec } from '../answer-parser.js';
import { csat } from './csat.js';
import type { ItemAnswer, ItemContext, SimulatedAnswer, SimulationContext } from './kind.js';
import { likert } from './likert.js';
import { multiple } from './multiple.js';
import { nps } from './nps.js';
import { number } from './number.js';
import { single } from './single.js';
import { text } from './text.js';

/** Every item type, in the order of the instrument schema's union. */
export const ITEM_TYPES = [likert, single, multiple, nps, csat, number, text] as const;

type Schemas<T extends readonly unknown[]> = { [K in keyof T]: T[K] extends { schema: infer S } ? S : never };

/** Any item of an instrument, discriminated by `type`. */
export const ZItem = z.discriminatedUnion(
  'type',
  ITEM_TYPES.map((t) => t.schema) as unknown as Schemas<typeof ITEM_TYPES>,
);
/** Any item. */
export type Item = z.infer<typeof ZItem>;

// Each module reads items of its own type: the registry pairs them by `type`.
interface AnyItemType {
  type: string;
  skipButton?: boolean;
  check?(item: Item, inst: ItemContext, problem: (path: (string | number)[], message: string) => void): void;
  scale?(item: Item, inst: ItemContext): ScaleSpec | undefined;
  options?(item: Item): readonly { id: string; label: string }[];
  read?(item: Item, text: string): ItemAnswer;
  optionsText?(item: Item, inst: ItemContext): string;
  simulate(item: Item, sim: SimulationContext): SimulatedAnswer | null;
}
const BY_TYPE = new Map<string, AnyItemType>(ITEM_TYPES.map((t) => [t.type, t as unknown as AnyItemType]));

/** The module of an item's type. */
export function itemType(item: Item): AnyItemType {
  return BY_TYPE.get(item.type)!;
}

export type { ItemAnswer, ItemContext, SimulatedAnswer, SimulationContext } from './kind.js';
