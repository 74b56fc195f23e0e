import type { SearchFilter } from './product-index.js';

// A small fallback for shoppers' price phrases, used when the caller (the dialog, with NLU
// entities) passes no filters: "under 100", "below $50", "between 20 and 40", "in stock".
// The NLU entity extractor is the main path; this keeps the CLI and API useful on their own.

/** Text with recognised filter phrases removed, plus the filters they meant. */
export interface ParsedQuery {
  text: string;
  filters: SearchFilter;
  /** "like X but cheaper": the product description X to anchor on. */
  cheaperThan?: string;
}

const NUM = String.raw`(?:[$€£]\s*)?(\d+(?:[.,]\d{1,2})?)\s*(?:dollars|usd|eur|euros?|gbp|pounds|bucks)?`;
const BETWEEN = new RegExp(String.raw`\b(?:between|from)\s+${NUM}\s+(?:and|to|-)\s+${NUM}`, 'i');
const UNDER = new RegExp(
  String.raw`\b(?:under|below|less than|cheaper than|at most|max(?:imum)?|up to|<)\s*${NUM}`,
  'i',
);
const OVER = new RegExp(String.raw`\b(?:over|above|more than|at least|min(?:imum)?|from|>)\s*${NUM}`, 'i');
const IN_STOCK = /\b(?:in stock|available now)\b/i;
const CHEAPER =
  /^(?:(?:something|anything|one|a|an|items?|products?)\s+)?(?:like|similar to)\s+(?:the\s+|my\s+|a\s+|an\s+)?(.+?)\s+but\s+(?:cheaper|less expensive|more affordable|for less)\b/i;

const toNumber = (s: string) => Number(s.replace(',', '.'));

/** Pulls price/stock filters and the "like X but cheaper" pattern out of free text. */
export function parseQuery(input: string): ParsedQuery {
  let text = input.trim();
  const filters: SearchFilter = {};
  const cheaper = CHEAPER.exec(text);
  if (cheaper) return { text: cheaper[1]!.trim(), filters, cheaperThan: cheaper[1]!.trim() };
  const between = BETWEEN.exec(text);
  if (between) {
    filters.priceMin = toNumber(between[1]!);
    filters.priceMax = toNumber(between[2]!);
    text = text.replace(between[0], ' ');
  } else {
    const under = UNDER.exec(text);
    if (under) {
      filters.priceMax = toNumber(under[1]!);
      text = text.replace(under[0], ' ');
    }
    const over = OVER.exec(text);
    if (over) {
      filters.priceMin = toNumber(over[1]!);
      text = text.replace(over[0], ' ');
    }
  }
  if (IN_STOCK.test(text)) {
    filters.inStock = true;
    text = text.replace(IN_STOCK, ' ');
  }
  return { text: text.replace(/\s+/g, ' ').trim(), filters };
}

/** Describes filters for a reason text, e.g. "under $100, in stock". */
export function describeFilters(f: SearchFilter, currency = 'USD'): string {
  const sym = currency === 'USD' ? '$' : currency === 'EUR' ? '€' : currency === 'GBP' ? '£' : `${currency} `;
  const parts: string[] = [];
  if (f.priceMin !== undefined && f.priceMax !== undefined)
    parts.push(`${sym}${f.priceMin}–${sym}${f.priceMax}`);
  else if (f.priceMax !== undefined) parts.push(`under ${sym}${f.priceMax}`);
  else if (f.priceMin !== undefined) parts.push(`over ${sym}${f.priceMin}`);
  if (f.category !== undefined)
    parts.push(`in ${Array.isArray(f.category) ? f.category.join(' or ') : f.category}`);
  if (f.inStock) parts.push('in stock');
  return parts.join(', ');
}
