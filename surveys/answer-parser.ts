import {
  EMOJI,
  MODIFIERS,
  NEGATORS,
  NEG_PREFIX,
  NUMBER_WORDS,
  POLAR,
  PROTECTED_WORDS,
  SKIP_PHRASES,
  STANDALONE_MODIFIERS,
  STARS,
} from './answer-lexicon.js';
import { Corrector } from './fuzzy.js';

/** What a scale answer needs to be read: its range and labels. */
export interface ScaleSpec {
  min: number;
  max: number;
  /** One label per point from min to max. */
  labels?: readonly string[];
  /** Labelled points (e.g. only the ends of 0–10). */
  anchors?: readonly { value: number; label: string }[];
  /** Agreement-type scale: words like "not really" or 👍 map onto it. */
  bipolar: boolean;
  /** Only whole numbers are valid (true for every rating scale). */
  integer?: boolean;
}

/** Outcome of reading one typed answer. */
export type ParsedAnswer =
  | { kind: 'value'; value: number; via: 'number' | 'label' | 'words' | 'emoji' | 'stars' }
  | { kind: 'skip' }
  | { kind: 'out-of-range'; value: number; min: number; max: number }
  | { kind: 'invalid'; reason: 'empty' | 'ambiguous' | 'unrecognised' | 'not-integer' };

/** Ready-made scales: the CLI's `agree5` and `nps`, and the CSAT and IPIP accuracy formats. */
export const SCALE_PRESETS = {
  agree5: {
    min: 1,
    max: 5,
    bipolar: true,
    labels: ['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree'],
  },
  accuracy5: {
    min: 1,
    max: 5,
    bipolar: true,
    labels: [
      'Very inaccurate',
      'Moderately inaccurate',
      'Neither inaccurate nor accurate',
      'Moderately accurate',
      'Very accurate',
    ],
  },
  csat: {
    min: 1,
    max: 5,
    bipolar: true,
    labels: [
      'Very dissatisfied',
      'Dissatisfied',
      'Neither satisfied nor dissatisfied',
      'Satisfied',
      'Very satisfied',
    ],
  },
  nps: {
    min: 0,
    max: 10,
    bipolar: false,
    anchors: [
      { value: 0, label: 'Not at all likely' },
      { value: 10, label: 'Extremely likely' },
    ],
  },
} satisfies Record<string, ScaleSpec>;

const SKIP_SET = new Set(SKIP_PHRASES);
const SKIP_INSIDE =
  /\b(skip|prefer not to|rather not|no comment|dont know|no idea|idk|dunno|not applicable|pass)\b/;
const PRONOUN_ONE = new Set([
  'this',
  'that',
  'the',
  'no',
  'last',
  'next',
  'every',
  'any',
  'each',
  'which',
  'other',
]);
const BASE_VOCAB = [
  ...Object.keys(POLAR),
  ...Object.keys(MODIFIERS),
  ...NEGATORS,
  ...SKIP_PHRASES,
  ...Object.keys(NUMBER_WORDS),
].flatMap((p) => p.split(' '));

/** Lower-cases, unifies apostrophes and drops them ("don't" → "dont"), keeps letters and spaces. */
export function normaliseWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’‘`´']/g, '')
    .replace(/[^a-z\s]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

/** Maps an intensity (-3…+3) onto a bipolar scale; null for "neutral" on an even-length scale. */
export function intensityToValue(intensity: number, min: number, max: number): number | null {
  const n = max - min + 1;
  const sign = Math.sign(intensity);
  const half = n % 2 === 1 ? (n - 1) / 2 : n / 2;
  const k = Math.max(1, Math.round((Math.abs(intensity) * half) / 3));
  if (n % 2 === 1) return sign === 0 ? min + half : min + half + sign * k;
  if (sign === 0) return null;
  return sign > 0 ? min + half - 1 + k : min + half - k;
}

/** Reads a typed answer to a scale item: numbers, number words, labels, agreement words, emojis, stars, "skip". */
export function parseScaleAnswer(text: string, scale: ScaleSpec): ParsedAnswer {
  const raw = text.normalize('NFKC').trim();
  if (!raw) return { kind: 'invalid', reason: 'empty' };
  let lower = raw.toLowerCase();
  if (scale.bipolar)
    lower = lower
      .replace(/\b100\s*(%|percent)/g, ' absolutely ')
      .replace(/\b50\s*[/-]\s*50\b/g, ' fifty fifty ');
  const numbers = extractNumbers(lower, scale.max);
  const labels = labelTable(scale);
  const corrector = new Corrector([...BASE_VOCAB, ...labels.flatMap((l) => l.tokens)], PROTECTED_WORDS);
  const tokens = normaliseWords(lower.replace(/\d+(\.\d+)?/g, ' ')).map((w) => corrector.correct(w));
  const joined = tokens.join(' ');

  if (numbers === 'ambiguous') return { kind: 'invalid', reason: 'ambiguous' };
  let number = numbers;
  if (number === undefined) {
    const fromWords = numberWords(tokens);
    if (fromWords === 'ambiguous') return { kind: 'invalid', reason: 'ambiguous' };
    number = fromWords;
  }
  if (number === undefined && (SKIP_SET.has(joined) || SKIP_INSIDE.test(joined))) return { kind: 'skip' };

  const labelMatch = matchLabel(tokens, labels);
  const label = labelMatch?.value;
  // with a label, only the words around it (and emojis) can contradict it
  const words = scale.bipolar ? wordIntensity(labelMatch ? labelMatch.rest : tokens, raw) : undefined;
  if (words === 'ambiguous' && number === undefined) return { kind: 'invalid', reason: 'ambiguous' };
  const midpoint = (scale.min + scale.max) / 2;
  if (label !== undefined && typeof words === 'number' && words * (label - midpoint) < 0)
    return { kind: 'invalid', reason: 'ambiguous' };

  if (number !== undefined) {
    if ((scale.integer ?? true) && !Number.isInteger(number))
      return { kind: 'invalid', reason: 'not-integer' };
    if (label !== undefined && label !== number) return { kind: 'invalid', reason: 'ambiguous' };
    if (typeof words === 'number' && words * (number - midpoint) < 0)
      return { kind: 'invalid', reason: 'ambiguous' };
    return inRange(number, scale, 'number');
  }
  if (label !== undefined) return { kind: 'value', value: label, via: 'label' };
  const stars = raw.match(STARS)?.length ?? 0;
  if (stars > 0) return inRange(stars, scale, 'stars');
  if (typeof words === 'number') {
    const value = intensityToValue(words, scale.min, scale.max);
    if (value === null) return { kind: 'invalid', reason: 'ambiguous' };
    return {
      kind: 'value',
      value,
      via: tokens.length > 0 && wordIntensity(tokens, '') !== undefined ? 'words' : 'emoji',
    };
  }
  return { kind: 'invalid', reason: 'unrecognised' };
}

function inRange(value: number, scale: ScaleSpec, via: 'number' | 'stars'): ParsedAnswer {
  if (value < scale.min || value > scale.max)
    return { kind: 'out-of-range', value, min: scale.min, max: scale.max };
  return { kind: 'value', value, via };
}

// Digits in the answer. "4/5", "4 out of 5" and "8 of 10" keep the numerator when the denominator
// is the scale maximum; several different numbers ("4 or 5", "between 3-4") are ambiguous.
function extractNumbers(lower: string, max: number): number | undefined | 'ambiguous' {
  const found = new Set<number>();
  for (const m of lower.matchAll(/(?<![\d.])(-)?(\d+(?:\.\d+)?)(?:\s*(?:\/|out of|of)\s*(\d+))?/g)) {
    const before = m.index === 0 ? ' ' : lower[m.index - 1]!;
    const negative = m[1] === '-' && /[\s(:,]/.test(before);
    const value = Number(m[2]) * (negative ? -1 : 1);
    if (m[3] !== undefined && Number(m[3]) !== max) return 'ambiguous';
    found.add(value);
  }
  if (found.size > 1) return 'ambiguous';
  return found.size === 1 ? [...found][0] : undefined;
}

function numberWords(tokens: string[]): number | undefined | 'ambiguous' {
  const found = new Set<number>();
  tokens.forEach((t, i) => {
    const n = NUMBER_WORDS[t];
    if (n === undefined) return;
    if (t === 'one' && i > 0 && PRONOUN_ONE.has(tokens[i - 1]!)) return;
    found.add(n);
  });
  if (found.size > 1) return 'ambiguous';
  return found.size === 1 ? [...found][0] : undefined;
}

function labelTable(scale: ScaleSpec): { value: number; tokens: string[] }[] {
  const entries = [
    ...(scale.labels ?? []).map((label, i) => ({ value: scale.min + i, tokens: normaliseWords(label) })),
    ...(scale.anchors ?? []).map((a) => ({ value: a.value, tokens: normaliseWords(a.label) })),
  ];
  // longest first, so "very inaccurate" wins over "inaccurate" inside "neither inaccurate nor accurate"
  return entries.filter((e) => e.tokens.length > 0).sort((a, b) => b.tokens.length - a.tokens.length);
}

// A label counts only when the rest of the answer adds no other answer words, so "not very
// accurate" is not read as the label "very accurate".
function matchLabel(
  tokens: string[],
  labels: { value: number; tokens: string[] }[],
): { value: number; rest: string[] } | undefined {
  for (const label of labels) {
    const at = indexOfSeq(tokens, label.tokens);
    if (at < 0) continue;
    const rest = [...tokens.slice(0, at), ...tokens.slice(at + label.tokens.length)];
    if (segment(rest).every((u) => u.kind === 'other')) return { value: label.value, rest };
  }
  return undefined;
}

function indexOfSeq(tokens: string[], seq: string[]): number {
  outer: for (let i = 0; i + seq.length <= tokens.length; i++) {
    for (let j = 0; j < seq.length; j++) if (tokens[i + j] !== seq[j]) continue outer;
    return i;
  }
  return -1;
}

type Unit = { kind: 'polar' | 'mod' | 'neg' | 'other'; phrase: string; v: number; used?: boolean };

function segment(tokens: string[]): Unit[] {
  const units: Unit[] = [];
  for (let i = 0; i < tokens.length;) {
    let unit: Unit | undefined;
    for (let len = Math.min(6, tokens.length - i); len >= 1 && !unit; len--) {
      const phrase = tokens.slice(i, i + len).join(' ');
      if (POLAR[phrase] !== undefined) unit = { kind: 'polar', phrase, v: POLAR[phrase] };
      else if (MODIFIERS[phrase] !== undefined) unit = { kind: 'mod', phrase, v: MODIFIERS[phrase] };
      else if (len === 1 && NEGATORS.has(phrase)) unit = { kind: 'neg', phrase, v: 0 };
    }
    unit ??= { kind: 'other', phrase: tokens[i]!, v: 0 };
    units.push(unit);
    i += unit.phrase.split(' ').length;
  }
  return units;
}

// Direction and strength of the words (and emojis) in an answer; undefined when there are none.
function wordIntensity(tokens: string[], raw: string): number | undefined | 'ambiguous' {
  const units = segment(tokens);
  const values: number[] = [];
  units.forEach((u, i) => {
    if (u.kind !== 'polar' || u.used) return;
    let v = u.v;
    const next = units[i + 1];
    if (NEG_PREFIX.has(u.phrase) && next?.kind === 'polar' && next.v > 0) next.used = true; // "not at all likely"
    let strength: number | undefined;
    let negated = false;
    for (let j = i - 1; j >= Math.max(0, i - 3); j--) {
      const p = units[j]!;
      if (p.kind === 'polar') break;
      if (p.kind === 'mod' && strength === undefined) {
        strength = p.v;
        p.used = true;
      }
      if (p.kind === 'neg') negated = true;
    }
    if (next?.kind === 'mod' && units[i + 2]?.kind !== 'polar' && strength === undefined) {
      strength = next.v;
      next.used = true;
    }
    if (strength !== undefined && v !== 0) v = Math.sign(v) * strength;
    if (negated) {
      if (v === 0) return;
      v =
        v >= 3
          ? -1
          : v > 0
            ? units.slice(i + 1).some((w) => w.phrase === 'at' || w.phrase === 'all')
              ? -3
              : -2
            : 1;
    }
    values.push(v);
  });
  units.forEach((u, i) => {
    if (
      u.kind === 'mod' &&
      !u.used &&
      units[i + 1]?.kind !== 'polar' &&
      STANDALONE_MODIFIERS[u.phrase] !== undefined
    ) {
      const negated = units[i - 1]?.kind === 'neg';
      values.push(negated ? -1 : STANDALONE_MODIFIERS[u.phrase]!);
    }
  });
  const emojis = [
    ...raw
      .replace(/\p{Emoji_Modifier}/gu, '')
      .replace(/\uFE0F/g, '')
      .matchAll(/\p{Extended_Pictographic}/gu),
  ]
    .map((m) => EMOJI[m[0]])
    .filter((v): v is number => v !== undefined);
  // the same emoji repeated ("👍👍") reads as stronger
  if (emojis.length > 1 && emojis.every((e) => e === emojis[0]) && emojis[0] !== 0)
    emojis.splice(0, emojis.length, Math.sign(emojis[0]!) * 3);
  values.push(...emojis);
  if (values.length === 0) return undefined;
  const nonZero = values.filter((v) => v !== 0);
  if (nonZero.length === 0) return 0;
  if (nonZero.some((v) => v > 0) && nonZero.some((v) => v < 0)) return 'ambiguous';
  return nonZero.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a));
}
