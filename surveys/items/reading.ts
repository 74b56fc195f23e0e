// Reading helpers shared by item types: skip requests, and choices named by number, id or words.
import { SKIP_PHRASES } from '../answer-lexicon.js';
import { SCALE_PRESETS, normaliseWords, parseScaleAnswer } from '../answer-parser.js';
import { editDistance } from '../fuzzy.js';
import type { ItemAnswer } from './kind.js';

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

/** A choice item as the reader sees it. */
export interface ChoiceItem {
  type: 'single' | 'multiple';
  required: boolean;
  options: { id: string; label: string }[];
  minSelect?: number;
  maxSelect?: number;
}

/** Reads the option(s) a typed answer names. */
export function readChoice(item: ChoiceItem, text: string): ItemAnswer {
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

/** Each option's id once; a duplicate is reported at its path. */
export function checkOptionIds(
  options: readonly { id: string }[],
  problem: (path: (string | number)[], message: string) => void,
): void {
  const seen = new Set<string>();
  options.forEach((o, j) => {
    if (seen.has(o.id)) problem(['options', j, 'id'], `duplicate option id "${o.id}"`);
    seen.add(o.id);
  });
}

/** A clamped, rounded simulated rating. */
export const clampRound = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(v)));
