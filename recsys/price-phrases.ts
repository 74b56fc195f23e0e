// Price constraints in a shopper's words: "under $50", "50 bucks or less", "between 20 and 40",
// "$20-$40", "over 100", "around 30". Only amounts in a price context count: "size 42", "750 ml"
// and "8-in-1" are not prices, and "$1e9" or "-5" are refused, never turned into a wrong filter.

/** What the price phrases of a message meant. */
export interface PriceConstraint {
  min?: number;
  max?: number;
  /** The amount of a price phrase that was refused ("-5", "1e9"), for a clear answer. */
  invalid?: string;
  /** [start, end) spans of the text the phrases occupied (removed before searching). */
  spans: Array<[number, number]>;
}

/** Amounts above this are not shop prices (a typo or a probe); refused rather than filtered on. */
const MAX_PRICE = 1_000_000;

const MONEY =
  /(?<![\w.])([$€£]\s?)?(-\s?)?([$€£])?\s?(\d{1,9}(?:,\d{3})*(?:\.\d{1,2})?)(k)?(?:\s?(dollars?|usd|bucks|euros?|eur|pounds?|gbp|quid)\b)?(?:\s?([$€£]))?/gi;
const UNIT_AFTER =
  /^\s?(?:ml|l|litres?|liters?|mm|cm|m|w|watts?|mah|packs?|pairs?|pcs|x|gb|inch(?:es)?|in-1|-in-1|%|e\d)\b/i;
const GLUED_AFTER = /^[\w.]/;
const UNDER_BEFORE =
  /(?:under|below|less than|cheaper than|lower than|at most|max(?:imum)?|up to|upto|no more than|not more than|within|budget(?: of| is)?|spend(?:ing)?|<=?|≤)\s*$/i;
const UNDER_AFTER =
  /^\s*(?:or (?:less|under|below|cheaper)|and (?:under|below|less)|max(?:imum)?\b|tops\b|at most\b)/i;
const OVER_BEFORE = /(?:over|above|more than|at least|min(?:imum)?|starting at|>=?|≥)\s*$/i;
const OVER_AFTER = /^\s*(?:or (?:more|above|over)|and (?:up|above|over)|plus\b|\+)/i;
const FROM_BEFORE = /(?:between|from)\s*$/i;
const AROUND_BEFORE = /(?:around|about|roughly|approximately|approx\.?|~|circa|near|close to)\s*$/i;
const RANGE_JOIN = /^\s*(?:and|to|-|–|—)\s*$/i;
const SIZE_BEFORE = /(?:size|eu|uk|us)\s*$/i;

interface Amount {
  start: number;
  end: number;
  value: number;
  negative: boolean;
  currency: boolean;
  raw: string;
}

function amounts(text: string): Amount[] {
  const out: Amount[] = [];
  for (const m of text.matchAll(MONEY)) {
    const start = m.index!;
    const end = start + m[0].length;
    const after = text.slice(end);
    if (GLUED_AFTER.test(after) || UNIT_AFTER.test(after)) continue;
    if (SIZE_BEFORE.test(text.slice(0, start))) continue;
    const base = Number(m[4]!.replace(/,/g, ''));
    out.push({
      start,
      end,
      value: m[5] ? base * 1000 : base,
      negative: m[2] !== undefined,
      currency: m[1] !== undefined || m[3] !== undefined || m[6] !== undefined || m[7] !== undefined,
      raw: m[0].trim(),
    });
  }
  return out;
}

/** Reads the price constraints of a message (the first phrase of each kind wins). */
export function parsePrice(text: string): PriceConstraint {
  const result: PriceConstraint = { spans: [] };
  const found = amounts(text);
  const refuse = (a: Amount) => {
    result.invalid ??= a.raw;
  };
  for (let i = 0; i < found.length; i++) {
    const a = found[i]!;
    const before = text.slice(Math.max(0, a.start - 30), a.start);
    const after = text.slice(a.end, a.end + 20);
    const next = found[i + 1];
    const joined = next !== undefined && RANGE_JOIN.test(text.slice(a.end, next.start));
    const fromBefore = FROM_BEFORE.exec(before);
    if (joined && next && (fromBefore || a.currency || next.currency)) {
      // "between 20 and 40", "$20-$40", "from 20 to 40": a "-" before the second amount is the dash
      if (a.negative || a.value > MAX_PRICE || next.value > MAX_PRICE) refuse(a);
      else {
        result.min ??= Math.min(a.value, next.value);
        result.max ??= Math.max(a.value, next.value);
      }
      result.spans.push([fromBefore ? a.start - fromBefore[0].length : a.start, next.end]);
      i++;
      continue;
    }
    const kind =
      UNDER_BEFORE.test(before) || UNDER_AFTER.test(after)
        ? 'max'
        : OVER_BEFORE.test(before) || OVER_AFTER.test(after) || fromBefore
          ? 'min'
          : AROUND_BEFORE.test(before)
            ? 'around'
            : a.currency
              ? 'max'
              : undefined;
    if (!kind) continue;
    const lead = [UNDER_BEFORE, OVER_BEFORE, FROM_BEFORE, AROUND_BEFORE]
      .map((re) => re.exec(before)?.[0].length ?? 0)
      .reduce((x, y) => Math.max(x, y), 0);
    const tail = [UNDER_AFTER, OVER_AFTER]
      .map((re) => re.exec(after)?.[0].length ?? 0)
      .reduce((x, y) => Math.max(x, y), 0);
    result.spans.push([a.start - lead, a.end + tail]);
    if (a.negative || a.value > MAX_PRICE || !Number.isFinite(a.value)) {
      refuse(a);
      continue;
    }
    if (kind === 'max') result.max ??= a.value;
    else if (kind === 'min') result.min ??= a.value;
    else {
      result.min ??= Math.floor(a.value * 0.8);
      result.max ??= Math.ceil(a.value * 1.2);
    }
  }
  // "1e9" never reaches MONEY (the exponent is glued), so look for it explicitly to say why.
  const scientific = /[$€£]?\s?-?\d+(?:\.\d+)?e[+-]?\d+\b/i.exec(text);
  if (scientific) {
    result.invalid ??= scientific[0].trim();
    result.spans.push([scientific.index, scientific.index + scientific[0].length]);
  }
  if (result.min !== undefined && result.max !== undefined && result.min > result.max)
    [result.min, result.max] = [result.max, result.min];
  return result;
}
