// The shape of one survey item type: its schema, its cross-field rules, how an answer to it is
// read, how it is asked (buttons, the options in words) and how a demo respondent answers it. Each
// type is one module in this folder, listed once in the registry (index.ts).
import type { z } from 'zod';
import type { ScaleSpec } from '../answer-parser.js';
import type { ResponseScale } from './base.js';

/** What of the instrument an item type may look at. */
export interface ItemContext {
  responseScales: Record<string, ResponseScale>;
  traits: Record<string, { label: string; description?: string }>;
}

/** A typed answer read against its item: what to store, or why it must be asked again. */
export type ItemAnswer =
  | { kind: 'answer'; value: number | null; choices: string[]; text: string }
  | { kind: 'skip' }
  | {
      kind: 'reask';
      reason: 'unrecognised' | 'ambiguous' | 'out-of-range' | 'not-integer' | 'too-long' | 'selection';
      detail: string;
    };

/** What a demo respondent draws on (deterministic: one random stream, in the same order). */
export interface SimulationContext {
  /** The respondent's latent trait scores (z-scores). */
  latent: Record<string, number>;
  /** The respondent's satisfaction (z-score). */
  satisfaction: number;
  /** Values already answered in this session, by item id. */
  values: ReadonlyMap<string, number>;
  random(): number;
  normal(): number;
  pick<T>(xs: readonly T[]): T;
  /** A demo comment of that kind. */
  comment(kind: 'praise' | 'complaint' | 'suggestion'): string;
}

/** A simulated answer (null: the respondent passes the item over). */
export interface SimulatedAnswer {
  value: number | null;
  choices?: string[];
  text?: string | null;
  sentiment?: number | null;
}

/** One item type; `S` is its zod schema. */
export interface ItemTypeModule<S extends z.ZodObject = z.ZodObject> {
  type: z.infer<S> extends { type: infer T extends string } ? T : never;
  schema: S;
  /** Cross-field rules (reported with their path below the item). */
  check?(
    item: z.infer<S>,
    inst: ItemContext,
    problem: (path: (string | number)[], message: string) => void,
  ): void;
  /** The rating scale of a rating item (answered with a number, buttons per point). */
  scale?(item: z.infer<S>, inst: ItemContext): ScaleSpec | undefined;
  /** The options of a choice item (buttons; conditions on the item name them). */
  options?(item: z.infer<S>): readonly { id: string; label: string }[];
  /** Whether an optional item gets a Skip button (free text is skipped in words). Default true. */
  skipButton?: boolean;
  /** Reads a typed answer (rating items are read on their scale before this is asked). */
  read?(item: z.infer<S>, text: string): ItemAnswer;
  /** The options written out, for channels without buttons and re-asks ("a few words" when absent). */
  optionsText?(item: z.infer<S>, inst: ItemContext): string;
  /** A demo respondent's answer. */
  simulate(item: z.infer<S>, sim: SimulationContext): SimulatedAnswer | null;
}

/** Declares an item type (identity: it fixes the schema type). */
export function defineItemType<S extends z.ZodObject>(m: ItemTypeModule<S>): ItemTypeModule<S> {
  return m;
}
