// Numbers written with digits ("1,299.50", "50k") or words ("twenty five", "a hundred"). The word
// parser is hand-written (~40 lines): the npm packages for it are unmaintained, and shop messages
// need only cardinals up to the millions.
import type { Span } from './types.js';

/** A number found in text. */
export interface NumberEntity extends Span {
  readonly value: number;
}

const UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  a: 1,
  an: 1,
  half: 0.5,
};
const SCALES: Record<string, number> = {
  dozen: 12,
  hundred: 100,
  thousand: 1_000,
  million: 1_000_000,
  k: 1_000,
  grand: 1_000,
};

const WORD = Object.keys(UNITS)
  .filter((w) => !['a', 'an', 'half'].includes(w))
  .join('|');
/** Regex alternation of the single number words ("one|two|...|ninety"), for patterns elsewhere. */
export const NUMBER_WORD_ALTERNATION = WORD;
// A run of number words joined by spaces, hyphens or "and"; must contain at least one real number word.
const WORD_RUN = new RegExp(
  `\\b(?:(?:a|an)\\s+)?(?:${WORD}|dozen|hundred|thousand|million)(?:(?:\\s+|-|(?<=hundred|thousand|million)\\s+and\\s+)(?:${WORD}|dozen|hundred|thousand|million))*\\b`,
  'gi',
);
// Digits with optional thousands separators and decimals, and an optional k suffix ("50k").
export const DIGIT_NUMBER = /(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(k\b)?/gi;

/** Parses a run of number words ("two hundred and fifty") into a value, or null. */
export function parseNumberWords(phrase: string): number | null {
  const words = phrase
    .toLowerCase()
    .split(/[\s-]+/)
    .filter((w) => w && w !== 'and');
  if (words.length === 0) return null;
  let total = 0;
  let current = 0;
  let seen = false;
  for (const word of words) {
    if (word in UNITS) {
      current += UNITS[word]!;
      seen = true;
    } else if (word in SCALES) {
      const scale = SCALES[word]!;
      current = (current === 0 ? 1 : current) * scale;
      if (scale >= 1_000) {
        total += current;
        current = 0;
      }
      seen = true;
    } else {
      return null;
    }
  }
  return seen ? total + current : null;
}

/** Parses "1,299.50" or "50k" into a number. */
export function parseDigits(whole: string, decimals?: string, k?: string): number {
  const value = Number(`${whole.replace(/,/g, '')}${decimals ? `.${decimals}` : ''}`);
  return k ? value * 1_000 : value;
}

/** Finds every number in text, digits and words, in order of appearance. */
export function extractNumbers(text: string): NumberEntity[] {
  const found: NumberEntity[] = [];
  for (const m of text.matchAll(DIGIT_NUMBER)) {
    found.push({
      value: parseDigits(m[1]!, m[2], m[3]),
      text: m[0],
      start: m.index,
      end: m.index + m[0].length,
    });
  }
  for (const m of text.matchAll(WORD_RUN)) {
    const value = parseNumberWords(m[0]);
    const overlaps = found.some((f) => m.index < f.end && m.index + m[0].length > f.start);
    if (value !== null && !overlaps)
      found.push({ value, text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return found.sort((a, b) => a.start - b.start);
}
