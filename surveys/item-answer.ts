import { SKIP_PHRASES } from './answer-lexicon.js';
import { SCALE_PRESETS, normaliseWords, parseScaleAnswer } from './answer-parser.js';
import { scaleOf } from './flow.js';
import { editDistance } from './fuzzy.js';
import type { Instrument, Item } from './instrument.js';

/** A typed answer read against its item: what to store, or why it must be asked again. */
export type ItemAnswer =
  | { kind: 'answer'; value: number | null; choices: string[]; text: string }
  | { kind: 'skip' }
  | {
      kind: 'reask';
      reason: 'unrecognised' | 'ambiguous' | 'out-of-range' | 'not-integer' | 'too-long' | 'selection';
      detail: string;
    };

const SKIP_SET = new Set(SKIP_PHRASES);
const STOP = new Set([
  'and',
  'the',
  'a',
  'an',
  'of',
  'to',
  'please',
  'i',
  'id',
  'like',
  'want',
  'some',
  'for',
  'my',
  'me',
  'im',
  'option',
  'number',
  'just',
  'thanks',
  'it',
]);

/** True when the whole answer is a request to skip ("skip", "pass", "prefer not to say"). */
export function isSkipRequest(text: string): boolean {
  return SKIP_SET.has(normaliseWords(text).join(' '));
}

/** Reads a typed answer for any item type. */
export function readItemAnswer(item: Item, instrument: Instrument, text: string): ItemAnswer {
  const trimmed = text.trim();
  const scale = scaleOf(item, instrument);
  if (scale) {
    const p = parseScaleAnswer(trimmed, scale);
    if (p.kind === 'value') return { kind: 'answer', value: p.value, choices: [], text: trimmed };
    if (p.kind === 'skip') return { kind: 'skip' };
    if (p.kind === 'out-of-range')
      return { kind: 'reask', reason: 'out-of-range', detail: `${p.value} is outside ${p.min}–${p.max}` };
    return { kind: 'reask', reason: p.reason === 'empty' ? 'unrecognised' : p.reason, detail: '' };
  }
  switch (item.type) {
    case 'text': {
      if (!trimmed) return { kind: 'reask', reason: 'unrecognised', detail: 'empty answer' };
      if (isSkipRequest(trimmed)) return { kind: 'skip' };
      if (trimmed.length > item.maxLength)
        return {
          kind: 'reask',
          reason: 'too-long',
          detail: `${trimmed.length} characters, at most ${item.maxLength}`,
        };
      return { kind: 'answer', value: null, choices: [], text: trimmed };
    }
    case 'number': {
      const p = parseScaleAnswer(trimmed, {
        min: item.min ?? -1e12,
        max: item.max ?? 1e12,
        bipolar: false,
        integer: item.integer,
      });
      if (p.kind === 'value') return { kind: 'answer', value: p.value, choices: [], text: trimmed };
      if (p.kind === 'skip') return { kind: 'skip' };
      if (p.kind === 'out-of-range')
        return {
          kind: 'reask',
          reason: 'out-of-range',
          detail: `${p.value} is outside ${item.min}–${item.max}`,
        };
      return { kind: 'reask', reason: p.reason === 'empty' ? 'unrecognised' : p.reason, detail: '' };
    }
    case 'single':
    case 'multiple':
      return readChoice(item, trimmed);
    default:
      return { kind: 'reask', reason: 'unrecognised', detail: '' };
  }
}

type ChoiceItem = Extract<Item, { type: 'single' | 'multiple' }>;

function readChoice(item: ChoiceItem, text: string): ItemAnswer {
  const words = normaliseWords(text).join(' ');
  if (!words && !/\d/.test(text)) return { kind: 'reask', reason: 'unrecognised', detail: '' };
  const one = matchOption(item, text);
  let ids: string[] | undefined = one ? [one] : undefined;
  if (!ids && item.type === 'multiple') {
    if (/^(all|all of them|everything|all of the above)$/.test(words)) ids = item.options.map((o) => o.id);
    else if (/^(none|nothing|none of them|none of these|neither)$/.test(words)) ids = [];
    else {
      const parts = text
        .split(/,|;|\/|&|\+|\band\b|\bor\b|\s(?=\d)/i)
        .map((p) => p.trim())
        .filter(Boolean);
      const matched = parts.map((p) => matchOption(item, p));
      if (parts.length > 0 && matched.every((m) => m !== undefined)) ids = [...new Set(matched as string[])];
    }
  }
  if (!ids && item.type === 'single') {
    const yes = item.options.find((o) => o.id === 'yes');
    const no = item.options.find((o) => o.id === 'no');
    if (yes && no) {
      const p = parseScaleAnswer(text, SCALE_PRESETS.agree5);
      if (p.kind === 'value' && p.value !== 3) ids = [p.value > 3 ? yes.id : no.id];
    }
  }
  if (!ids)
    return isSkipRequest(text) ? { kind: 'skip' } : { kind: 'reask', reason: 'unrecognised', detail: '' };
  if (item.type === 'multiple') {
    const min = item.minSelect ?? (item.required ? 1 : 0);
    if (ids.length < min || (item.maxSelect !== undefined && ids.length > item.maxSelect))
      return {
        kind: 'reask',
        reason: 'selection',
        detail: `choose between ${min} and ${item.maxSelect ?? item.options.length} options`,
      };
  }
  return { kind: 'answer', value: null, choices: ids, text };
}

// One option named by its number ("2"), id ("outerwear") or label words ("jackets"), typos allowed.
function matchOption(item: ChoiceItem, part: string): string | undefined {
  const trimmed = part.trim().toLowerCase();
  const n = /^#?(\d+)\.?$/.exec(trimmed);
  if (n) return item.options[Number(n[1]) - 1]?.id;
  const byId = item.options.find((o) => o.id === trimmed || o.label.toLowerCase() === trimmed);
  if (byId) return byId.id;
  const said = normaliseWords(trimmed).filter((w) => !STOP.has(w));
  if (said.length === 0) return undefined;
  let best: string | undefined;
  let bestScore = 0;
  let tie = false;
  for (const o of item.options) {
    const label = normaliseWords(`${o.label} ${o.id.replace(/[-_]/g, ' ')}`).filter((w) => !STOP.has(w));
    const hits = said.filter((w) =>
      label.some((l) => l === w || stem(l) === stem(w) || (w.length >= 4 && editDistance(w, l, 1) <= 1)),
    ).length;
    const score = hits / said.length;
    if (score > bestScore) [best, bestScore, tie] = [o.id, score, false];
    else if (score === bestScore && score > 0) tie = true;
  }
  return bestScore >= 0.5 && !tie ? best : undefined;
}

function stem(w: string): string {
  return w.replace(/(es|s)$/, '');
}
