import type { ScaleSpec } from './answer-parser.js';
import { END, type Condition, type Instrument, type Item } from './instrument.js';
import { itemType } from './items/index.js';

// Pure survey navigation: which item comes next given the answers so far. The cursor is always
// re-derived from the saved answers, so resuming after a crash or on another channel is the
// same computation as continuing.

/** One saved answer, as the flow and the scorers see it. */
export interface AnswerRecord {
  itemId: string;
  /** Numeric value for Likert, NPS, CSAT and number items. */
  value: number | null;
  /** Chosen option ids for choice items. */
  choices: string[];
  /** The raw answer as typed, or the free-text answer. */
  text: string | null;
  skipped: boolean;
  sentiment: number | null;
  createdAt?: Date;
}

/** Whether a condition holds for the answers given so far (an unanswered item never matches). */
export function evaluateCondition(c: Condition, answers: ReadonlyMap<string, AnswerRecord>): boolean {
  const a = answers.get(c.item);
  if (c.op === 'answered') return a !== undefined && !a.skipped;
  if (c.op === 'skipped') return a !== undefined && a.skipped;
  if (!a || a.skipped) return false;
  const list = Array.isArray(c.value) ? c.value : [c.value];
  const hits = (v: number | string | undefined) =>
    (a.value !== null && a.value === v) || a.choices.includes(String(v));
  switch (c.op) {
    case 'eq':
      return hits(c.value as number | string);
    case 'neq':
      return !hits(c.value as number | string);
    case 'in':
      return list.some(hits);
    case 'lt':
      return a.value !== null && a.value < Number(c.value);
    case 'lte':
      return a.value !== null && a.value <= Number(c.value);
    case 'gt':
      return a.value !== null && a.value > Number(c.value);
    case 'gte':
      return a.value !== null && a.value >= Number(c.value);
  }
}

/** Where a respondent stands: the next item (null when finished) and the progress numbers. */
export interface FlowPosition {
  next: string | null;
  /** 1-based number of the next item among the items this respondent will see. */
  current: number;
  /** Items this respondent sees in all, as far as known now (branching can shorten it). */
  total: number;
  answered: number;
}

/** Walks the item order applying showIf and branch rules; answered items are passed over. */
export function locate(
  instrument: Instrument,
  order: readonly string[],
  answers: ReadonlyMap<string, AnswerRecord>,
): FlowPosition {
  const byId = new Map(instrument.items.map((it) => [it.id, it]));
  let answered = 0;
  let i = 0;
  walk: while (i < order.length) {
    const item = byId.get(order[i]!);
    if (!item || (item.showIf && !evaluateCondition(item.showIf, answers))) {
      i++;
      continue;
    }
    if (!answers.has(item.id)) {
      const remaining = order.slice(i + 1).filter((id) => mayBeShown(byId.get(id), answers)).length;
      return { next: item.id, current: answered + 1, total: answered + 1 + remaining, answered };
    }
    answered++;
    for (const rule of item.branch ?? []) {
      if (!evaluateCondition(rule.if, answers)) continue;
      if (rule.goto === END) break walk;
      i = order.indexOf(rule.goto);
      continue walk;
    }
    i++;
  }
  return { next: null, current: answered, total: answered, answered };
}

function mayBeShown(item: Item | undefined, answers: ReadonlyMap<string, AnswerRecord>): boolean {
  if (!item) return false;
  if (!item.showIf) return true;
  // a condition on an item not answered yet may still come true: count the item
  return !answers.has(item.showIf.item) || evaluateCondition(item.showIf, answers);
}

/** The answer scale of a rating item (Likert, NPS, CSAT); undefined for other types. */
export function scaleOf(item: Item, instrument: Instrument): ScaleSpec | undefined {
  return itemType(item).scale?.(item, instrument);
}

/** A button the channel can show; `value` is what the button sends back as the answer. */
export interface QuickReply {
  label: string;
  value: string;
}

/** Buttons for an item; empty for free-text and number items. */
export function quickRepliesFor(item: Item, instrument: Instrument): QuickReply[] {
  const out: QuickReply[] = [];
  const scale = scaleOf(item, instrument);
  if (scale) {
    for (let v = scale.min; v <= scale.max; v++) {
      const label = scale.labels?.[v - scale.min] ?? scale.anchors?.find((a) => a.value === v)?.label;
      out.push({ label: label ? `${v} · ${label}` : String(v), value: String(v) });
    }
  } else {
    itemType(item)
      .options?.(item)
      .forEach((o) => out.push({ label: o.label, value: o.id }));
  }
  if (!item.required && itemType(item).skipButton !== false) out.push({ label: 'Skip', value: 'skip' });
  return out;
}

/** The options written out, for channels without buttons and for re-asks. */
export function optionsText(item: Item, instrument: Instrument): string {
  const scale = scaleOf(item, instrument);
  if (scale) {
    const named = quickRepliesFor(item, instrument).filter(
      (q) => q.value !== 'skip' && q.label.includes('·'),
    );
    const labels = named.map((q) => q.label.replace(' · ', ' = ')).join(', ');
    return `a number from ${scale.min} to ${scale.max}${labels ? ` (${labels})` : ''}`;
  }
  return itemType(item).optionsText?.(item, instrument) ?? 'a few words';
}
