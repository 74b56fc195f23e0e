// "Something like X but cheaper": a request anchored on a product the customer describes in words,
// asking for things like it that cost less. The anchor is found by searching for X (execute knows
// the catalog; decide does not). Pure.

/** The product description the customer compares with. */
export interface CheaperLike {
  anchor: string;
}

const DET = String.raw`(?:(?:the|my|a|an|your|this|that|those|these)\s+)?`;
const CHEAPER = String.raw`(?:cheaper|less expensive|more affordable|lower[- ]priced|for less(?: money)?|at a lower price|on a (?:tighter |smaller )?budget)`;
const THING = String.raw`(?:(?:something|anything|one|ones|items?|products?|stuff|things?)\s+)?`;

// Most specific first; each captures the anchor description.
const PATTERNS: readonly RegExp[] = [
  // "something like the Cragline rain jacket but cheaper", "similar to X only for less"
  new RegExp(String.raw`${THING}(?:like|similar to|comparable to|as good as)\s+${DET}(.+?),?\s+(?:but|only|just|yet)\s+${CHEAPER}`, 'i'),
  // "a cheaper alternative to X", "cheaper version of X", "less expensive option than X"
  new RegExp(String.raw`${CHEAPER}\s+(?:alternatives?|options?|versions?|ones?|equivalents?|substitutes?)\s+(?:to|of|for|than)\s+${DET}(.+)`, 'i'),
  // "anything cheaper than the Cragline jacket?"
  new RegExp(String.raw`${CHEAPER}\s+than\s+${DET}(.+)`, 'i'),
  // "a Cragline rain jacket but cheaper"
  new RegExp(String.raw`^(?:i (?:want|need|would like|'d like)\s+)?${DET}(.+?),?\s+but\s+${CHEAPER}`, 'i'),
];

/** A price ("$50", "50 dollars") is a filter, not a product to compare with. */
const PRICE_ONLY = /^(?:[$€£]?\s*\d+(?:[.,]\d+)?\s*(?:dollars|euros?|pounds|bucks|usd|eur|gbp)?|that|it|this( one)?|the (?:first|second|third|last) one)$/i;

/** The anchor of a "like X but cheaper" request, or null when the text is not one. */
export function cheaperLike(text: string): CheaperLike | null {
  const clean = text.trim().replace(/[?.!]+$/, '');
  for (const pattern of PATTERNS) {
    const m = pattern.exec(clean);
    const anchor = m?.[1]?.trim().replace(/[?.!,]+$/, '');
    // "that one", "it", a price: a follow-up on shown products or a price limit, handled elsewhere
    if (anchor && anchor.length >= 3 && !PRICE_ONLY.test(anchor)) return { anchor };
  }
  return null;
}
