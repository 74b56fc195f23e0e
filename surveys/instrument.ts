import { z } from 'zod';
import { END, ZId, ZResponseScale, type Condition } from './items/base.js';
import { itemType, ZItem } from './items/index.js';
import type { ZLikertItem } from './items/likert.js';

// The instrument format: the single source of truth for questionnaire files (JSON or YAML), the
// Instrument.definition column and the JSON Schema editors use (surveys/instrument.schema.json).
// Structural rules live in the zod shapes; every cross-field rule lives in one refinement
// (`checkInstrument`) so the whole list of problems is reported at once.

export {
  END,
  ZBranchRule,
  ZCondition,
  ZResponseScale,
  type BranchRule,
  type Condition,
  type ResponseScale,
} from './items/base.js';
export { ZItem, type Item } from './items/index.js';
export { ZLikertItem } from './items/likert.js';

/** A Likert item. */
export type LikertItem = z.infer<typeof ZLikertItem>;

/** Structural shape of an instrument, before the cross-field refinement. */
export const ZInstrumentShape = z
  .object({
    $schema: z.string().optional(),
    id: ZId,
    version: z.number().int().min(1).default(1),
    title: z.string().min(1),
    description: z.string().optional(),
    language: z.string().min(2).default('en'),
    /** Where the items come from: a citation and URL for published instruments. */
    source: z
      .object({ name: z.string().min(1), url: z.string().url().optional(), citation: z.string().optional() })
      .strict(),
    /** Licence of the items, e.g. "Public domain (IPIP)" or "MIT (this project)". */
    licence: z.string().min(1),
    intro: z.string().optional(),
    outro: z.string().optional(),
    /** When present, the respondent must agree before the first item; declining ends the session. */
    consent: z
      .object({ text: z.string().min(1), purpose: z.string().optional() })
      .strict()
      .optional(),
    instructions: z.string().optional(),
    randomize: z.boolean().default(false),
    responseScales: z.record(z.string(), ZResponseScale).default({}),
    /** The constructs scored from Likert items (psychometric "scales"). */
    traits: z
      .record(z.string(), z.object({ label: z.string().min(1), description: z.string().optional() }).strict())
      .default({}),
    items: z.array(ZItem).min(1),
  })
  .strict();

/** A validated instrument (all cross-field rules hold). */
export type Instrument = z.infer<typeof ZInstrumentShape>;

type Issue = { path: (string | number)[]; message: string };

/** Every cross-field rule of the format; returns the problems with their paths. */
export function checkInstrument(inst: Instrument): Issue[] {
  const issues: Issue[] = [];
  const add = (path: (string | number)[], message: string): void => {
    issues.push({ path, message });
  };
  for (const [name, s] of Object.entries(inst.responseScales)) {
    if (s.max <= s.min)
      add(['responseScales', name, 'max'], `max (${s.max}) must be greater than min (${s.min})`);
    if (s.labels && s.labels.length !== s.max - s.min + 1)
      add(
        ['responseScales', name, 'labels'],
        `needs ${s.max - s.min + 1} labels (one per point from ${s.min} to ${s.max}), got ${s.labels.length}`,
      );
    s.anchors?.forEach((a, i) => {
      if (a.value < s.min || a.value > s.max)
        add(['responseScales', name, 'anchors', i, 'value'], `${a.value} is outside ${s.min}..${s.max}`);
    });
  }
  const position = new Map<string, number>();
  inst.items.forEach((item, i) => {
    if (item.id === END) add(['items', i, 'id'], `"${END}" is reserved for branch targets`);
    if (position.has(item.id))
      add(['items', i, 'id'], `duplicate item id "${item.id}" (first at items[${position.get(item.id)}])`);
    else position.set(item.id, i);
  });
  const byId = new Map(inst.items.map((it) => [it.id, it]));
  inst.items.forEach((item, i) => {
    const at = (...rest: (string | number)[]) => ['items', i, ...rest];
    itemType(item).check?.(item, inst, (path, message) => add(at(...path), message));
    if (item.showIf) checkCondition(item.showIf, i, at('showIf'), 'before');
    item.branch?.forEach((rule, j) => {
      checkCondition(rule.if, i, at('branch', j, 'if'), 'upto');
      if (rule.goto !== END) {
        const target = position.get(rule.goto);
        if (target === undefined)
          add(
            at('branch', j, 'goto'),
            `branch target "${rule.goto}" does not exist (use an item id or "${END}")`,
          );
        else if (target <= i)
          add(at('branch', j, 'goto'), `branch target "${rule.goto}" must come after this item (no loops)`);
      }
    });
  });
  if (inst.randomize && inst.items.some((it) => it.showIf || it.branch?.length))
    add(['randomize'], 'randomised item order cannot be combined with showIf or branch rules');
  const traitCounts = new Map<string, number>();
  for (const it of inst.items)
    if (it.type === 'likert' && it.trait) traitCounts.set(it.trait, (traitCounts.get(it.trait) ?? 0) + 1);
  for (const t of Object.keys(inst.traits))
    if (!traitCounts.has(t)) add(['traits', t], `trait "${t}" has no items`);
  return issues;

  function checkCondition(
    c: Condition,
    i: number,
    path: (string | number)[],
    where: 'before' | 'upto',
  ): void {
    const target = position.get(c.item);
    const ref = byId.get(c.item);
    if (target === undefined || !ref) return add([...path, 'item'], `unknown item "${c.item}"`);
    if (where === 'before' ? target >= i : target > i)
      return add(
        [...path, 'item'],
        `"${c.item}" must be asked ${where === 'before' ? 'before' : 'no later than'} this item`,
      );
    const numericOp = ['lt', 'lte', 'gt', 'gte'].includes(c.op);
    if (numericOp && typeof c.value !== 'number') add([...path, 'value'], `"${c.op}" needs a number`);
    if (c.op === 'in' && !Array.isArray(c.value)) add([...path, 'value'], '"in" needs a list');
    if ((c.op === 'eq' || c.op === 'neq') && (c.value === undefined || Array.isArray(c.value)))
      add([...path, 'value'], `"${c.op}" needs one value`);
    const options = itemType(ref).options?.(ref);
    if (options && !numericOp) {
      const ids = new Set(options.map((o) => o.id));
      const values = Array.isArray(c.value) ? c.value : c.value === undefined ? [] : [c.value];
      for (const v of values)
        if (!ids.has(String(v))) add([...path, 'value'], `"${v}" is not an option of "${c.item}"`);
    }
  }
}

/** The instrument schema with its cross-field rules (one refinement). */
export const ZInstrument = ZInstrumentShape.superRefine((inst, ctx) => {
  for (const issue of checkInstrument(inst))
    ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});

/** Formats a zod path as `items[3].branch[0].goto`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/** The JSON Schema (draft 2020-12) of the file format, for editors; cross-field rules are not expressible there. */
export function instrumentJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ZInstrumentShape, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://mkt-assistant.local/schemas/instrument.schema.json',
    title: 'Survey instrument (mkt-assistant surveys/)',
  };
}
