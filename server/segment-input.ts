// What the admin API and the CLI accept as a segment definition (zod, the single source of the
// shape) and the refusals of the segment operations. Light: the CLI validates before it opens the
// database. The operations themselves are in segment-service.ts.
import { z } from 'zod';
import { ZSegmentRule } from '../surveys/index.js';

/** Why a segment operation was refused (mapped to HTTP statuses / CLI messages at the edge). */
export class SegmentServiceError extends Error {
  constructor(
    readonly code: 'SEGMENT_NOT_FOUND' | 'SEGMENT_EXISTS' | 'SEGMENT_UNREADABLE' | 'SEGMENT_NOT_RULES',
    message: string,
  ) {
    super(message);
    this.name = 'SegmentServiceError';
  }
}

/** A segment name: letters, digits, spaces and a little punctuation. */
export const ZSegmentName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._&'+-]*$/u, "letters, digits, spaces and . _ & ' + -");

/** How a segment is defined: structured rules or plain-language conditions (exactly one). */
const ZDefinitionFields = z.object({
  description: z.string().max(500).optional(),
  match: z.enum(['all', 'any']).optional(),
  rules: z.array(ZSegmentRule).min(1).max(20).optional(),
  where: z.string().trim().min(1).max(500).optional(),
});

/** Body of a new segment. */
export const ZSegmentInput = ZDefinitionFields.extend({ name: ZSegmentName })
  .strict()
  .refine((d) => (d.rules === undefined) !== (d.where === undefined), {
    message: 'give exactly one of "rules" (structured) or "where" (plain language)',
    path: ['rules'],
  });
/** A new segment. */
export type SegmentInput = z.infer<typeof ZSegmentInput>;

/** Changes to a segment: a new name, description and/or definition. */
export const ZSegmentPatch = ZDefinitionFields.extend({ name: ZSegmentName.optional() })
  .strict()
  .refine((d) => d.rules === undefined || d.where === undefined, {
    message: 'give "rules" or "where", not both',
    path: ['rules'],
  })
  .refine((d) => Object.values(d).some((v) => v !== undefined), { message: 'nothing to change' });
/** Changes to a segment. */
export type SegmentPatch = z.infer<typeof ZSegmentPatch>;

const DAY_MS = 86_400_000;

/** The days a size history covers: "from" and "to" (included) as YYYY-MM-DD; default the last 182 days. */
export const ZSegmentSizeRange = z
  .object({
    from: z.iso.date().optional().describe('first day, YYYY-MM-DD (default: 181 days before "to")'),
    to: z.iso.date().optional().describe('last day, included, YYYY-MM-DD (default: today, UTC)'),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: '"from" must not be after "to"',
    path: ['from'],
  });
/** The days of a size history. */
export type SegmentSizeRange = z.infer<typeof ZSegmentSizeRange>;

/** The range as [from, to) instants at UTC midnights. */
export function sizeRangeDates(range: SegmentSizeRange, now = new Date()): { from: Date; to: Date } {
  const last = range.to ? new Date(range.to) : new Date(now.toISOString().slice(0, 10));
  const from = range.from ? new Date(range.from) : new Date(last.getTime() - 181 * DAY_MS);
  return { from, to: new Date(last.getTime() + DAY_MS) };
}
