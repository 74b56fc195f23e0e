import { z } from 'zod';

// The building blocks every item type's schema shares (ids, options, conditions, branch rules,
// response scales, the common item fields). instrument.ts assembles the instrument from them.

/** An id of an instrument, item or option. */
export const ZId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lower-case letters, digits, "-" or "_" (max 64)');

/** Reserved target of a branch rule: jump past the last item. */
export const END = 'end';

/** A response scale: the answer format shared by Likert items (e.g. 5-point agreement). */
export const ZResponseScale = z
  .object({
    min: z.number().int(),
    max: z.number().int(),
    /** One label per scale point, from min to max. */
    labels: z.array(z.string().min(1)).optional(),
    /** Labelled points when not every point has a label (e.g. only the ends). */
    anchors: z.array(z.object({ value: z.number().int(), label: z.string().min(1) })).optional(),
    /** Bipolar scales (disagree…agree, inaccurate…accurate) also accept words like "not really". */
    bipolar: z.boolean().default(true),
  })
  .strict();
/** A response scale. */
export type ResponseScale = z.infer<typeof ZResponseScale>;

/** A comparison against an earlier answer, used by `showIf` and branch rules. */
export const ZCondition = z
  .object({
    item: ZId,
    op: z.enum(['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'answered', 'skipped']),
    value: z.union([z.number(), z.string(), z.array(z.union([z.number(), z.string()]))]).optional(),
  })
  .strict();
/** A condition over an answer. */
export type Condition = z.infer<typeof ZCondition>;

/** After answering an item: when the condition holds, continue at `goto` (a later item or "end"). */
export const ZBranchRule = z.object({ if: ZCondition, goto: z.string().min(1) }).strict();
/** A branch rule. */
export type BranchRule = z.infer<typeof ZBranchRule>;

/** One option of a choice item. */
export const ZOption = z.object({ id: ZId, label: z.string().min(1) }).strict();

/** The fields every item has, whatever its type. */
export const itemBase = {
  id: ZId,
  text: z.string().min(1),
  required: z.boolean().default(true),
  /** The item is asked only when this holds (otherwise it is passed over, not "skipped"). */
  showIf: ZCondition.optional(),
  branch: z.array(ZBranchRule).optional(),
  /** Copies the answer into the respondent's profile preferences under this key. */
  profileKey: z.string().min(1).optional(),
};
