// Money amounts and price ranges: "$50", "20 euros", "forty bucks", "under $50",
// "between 20 and 30 euros", "less than 100", "cheaper than 40 bucks", "50-80€", "£30 or less".
import { NUMBER_WORD_ALTERNATION, parseDigits, parseNumberWords } from './numbers.js';
import type { CurrencyCode, MoneyEntity, PriceRange } from './types.js';

const NUMBER_WORDS = `${NUMBER_WORD_ALTERNATION}|hundred|thousand|million`;
// "a hundred" is a number, "a" alone is not; "and" joins only after a scale ("two hundred and fifty"),
// so "between twenty and thirty" stays two numbers.
const WORD_NUMBER = `(?:(?:a|an)\\s+)?(?:${NUMBER_WORDS})(?:(?:\\s+|-|(?<=hundred|thousand|million)\\s+and\\s+)(?:${NUMBER_WORDS}))*`;
const DIGITS = '(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?k?';
const PREFIX = '(?:us\\$|usd|eur|gbp|chf|cad|aud|[$€£¥])';
const SUFFIX =
  '(?:[$€£¥]|us\\s?dollars?|dollars?|bucks|euros?|pounds?|quid|yen|francs?|usd|eur|gbp|chf|cad|aud)';
// One amount, with its currency before or after; captured whole and parsed by parseAmount.
const AMOUNT = `(?:${PREFIX}\\s?)?(?:${DIGITS}|${WORD_NUMBER})(?:\\s?${SUFFIX}\\b|\\s?[$€£¥])?`;
// Units that make a number something other than a price ("under 3 days", "less than 5 km").
const NOT_PRICE =
  /^\s*(?:%|percent|days?|weeks?|months?|years?|hours?|hrs?|minutes?|mins?|seconds?|km|kms|miles?|cm|mm|kg|g|lbs?|oz|items?|pieces?|pcs|people|persons?|stars?|reviews?|times|gb|tb|mb|inch|inches)\b/i;

const CURRENCY_OF: Array<[RegExp, CurrencyCode]> = [
  [/us\$|usd|\$|dollars?|bucks/i, 'USD'],
  [/€|eur|euros?/i, 'EUR'],
  [/£|gbp|pounds?|quid/i, 'GBP'],
  [/¥|yen/i, 'JPY'],
  [/chf|francs?/i, 'CHF'],
  [/cad/i, 'CAD'],
  [/aud/i, 'AUD'],
];

/** Parses one amount string ("$1,299.50", "forty bucks", "20€") into amount and currency. */
export function parseAmount(raw: string): { amount: number; currency?: CurrencyCode } | null {
  const digits = new RegExp(`(\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.(\\d+))?(k)?`, 'i').exec(raw);
  let amount: number | null;
  let rest: string;
  if (digits) {
    amount = parseDigits(digits[1]!, digits[2], digits[3]);
    rest = raw.replace(digits[0], ' ');
  } else {
    const words = new RegExp(WORD_NUMBER, 'i').exec(raw);
    amount = words ? parseNumberWords(words[0]) : null;
    rest = words ? raw.replace(words[0], ' ') : raw;
  }
  if (amount === null || !Number.isFinite(amount)) return null;
  const currency = CURRENCY_OF.find(([pattern]) => pattern.test(rest))?.[1];
  return currency ? { amount, currency } : { amount };
}

const A = `(${AMOUNT})`;
type Bound = 'min' | 'max';
// Order matters: two-sided forms first, so "from 20 to 30" is not read as "from 20".
const RANGE_PATTERNS: Array<{ pattern: RegExp; bounds: Bound[]; needsCurrency?: boolean }> = [
  { pattern: new RegExp(`\\bbetween\\s+${A}\\s+(?:and|&)\\s+${A}`, 'gi'), bounds: ['min', 'max'] },
  { pattern: new RegExp(`\\bfrom\\s+${A}\\s+(?:to|-|–|until)\\s+${A}`, 'gi'), bounds: ['min', 'max'] },
  { pattern: new RegExp(`${A}\\s*(?:-|–|to)\\s*${A}`, 'gi'), bounds: ['min', 'max'], needsCurrency: true },
  {
    pattern: new RegExp(
      `\\b(?:under|below|less\\s+than|cheaper\\s+than|lower\\s+than|up\\s+to|at\\s+most|no\\s+more\\s+than|not\\s+more\\s+than|max(?:imum)?(?:\\s+of)?|within|budget\\s+(?:is\\s+|of\\s+)?|inferior\\s+to)\\s*${A}|(?:<=?|≤)\\s*${A}`,
      'gi',
    ),
    bounds: ['max'],
  },
  {
    pattern: new RegExp(
      `\\b(?:over|above|more\\s+than|at\\s+least|min(?:imum)?(?:\\s+of)?|starting\\s+(?:at|from)|from|pricier\\s+than|more\\s+expensive\\s+than)\\s*${A}|(?:>=?|≥)\\s*${A}`,
      'gi',
    ),
    bounds: ['min'],
  },
  {
    pattern: new RegExp(`${A}\\s+(?:or\\s+(?:less|under|below|cheaper)|max(?:imum)?|tops)\\b`, 'gi'),
    bounds: ['max'],
  },
  { pattern: new RegExp(`${A}\\s*(?:or\\s+(?:more|over|above)|\\+|plus\\b)`, 'gi'), bounds: ['min'] },
];

/** Finds money amounts that carry a currency ("$50", "20 euros", "forty bucks"). */
export function extractMoney(text: string): MoneyEntity[] {
  const found: MoneyEntity[] = [];
  for (const m of text.matchAll(new RegExp(`(?<![\\w.])${AMOUNT}`, 'gi'))) {
    const parsed = parseAmount(m[0]);
    const trimmed = m[0].trimEnd();
    if (parsed?.currency)
      found.push({ ...parsed, text: trimmed, start: m.index, end: m.index + trimmed.length });
  }
  return found;
}

/** Finds price constraints; a bare number counts only after a comparator and not before a unit. */
export function extractPriceRanges(text: string): PriceRange[] {
  const found: PriceRange[] = [];
  const taken = (start: number, end: number) => found.some((r) => start < r.end && end > r.start);
  for (const { pattern, bounds, needsCurrency } of RANGE_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const amounts = m
        .slice(1)
        .filter((g): g is string => g !== undefined)
        .map((g) => parseAmount(g));
      if (amounts.length !== bounds.length || amounts.some((a) => a === null)) continue;
      const parsed = amounts as Array<{ amount: number; currency?: CurrencyCode }>;
      const currency = parsed.find((a) => a.currency)?.currency;
      if (needsCurrency && !currency) continue;
      const end = m.index + m[0].length;
      if (!currency && NOT_PRICE.test(text.slice(end))) continue;
      // "from 2023", "over 2020" are years, not prices, unless a currency says otherwise.
      if (
        !currency &&
        bounds.length === 1 &&
        bounds[0] === 'min' &&
        parsed.some((a) => Number.isInteger(a.amount) && a.amount >= 1900 && a.amount <= 2100)
      )
        continue;
      if (taken(m.index, end)) continue;
      const range: { min?: number; max?: number } = {};
      bounds.forEach((bound, i) => (range[bound] = parsed[i]!.amount));
      if (range.min !== undefined && range.max !== undefined && range.min > range.max) {
        [range.min, range.max] = [range.max, range.min];
      }
      found.push({ ...range, ...(currency ? { currency } : {}), text: m[0].trim(), start: m.index, end });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
