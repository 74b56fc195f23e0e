// "Something like X but cheaper": a request anchored on a product the customer describes in words,
// asking for things like it that cost less. The anchor is found by searching for X (execute knows
// the catalog; decide does not). Pure.

/** The product description the customer compares with. */
export interface CheaperLike {
  anchor: string;
  /** The anchor only says "that", "it" or "this one": the product in focus. */
  focus?: true;
}

const DET = String.raw`(?:(?:the|my|a|an|your|this|that|those|these)\s+)?`;
const CHEAPER = String.raw`(?:cheaper|less expensive|more affordable|lower[- ]priced|for less(?: money)?|at a lower price|on a (?:tighter |smaller )?budget)`;
const THING = String.raw`(?:(?:something|anything|one|ones|items?|products?|stuff|things?)\s+)?`;

// Most specific first; each captures the anchor description.
const PATTERNS: readonly RegExp[] = [
  // "something like the Cragline rain jacket but cheaper", "similar to X only for less"
  new RegExp(
    String.raw`${THING}(?:like|similar to|comparable to|as good as)\s+${DET}(.+?),?\s+(?:but|only|just|yet)\s+${CHEAPER}`,
    'i',
  ),
  // "a cheaper alternative to X", "cheaper version of X", "less expensive option than X"
  new RegExp(
    String.raw`${CHEAPER}\s+(?:alternatives?|options?|versions?|ones?|equivalents?|substitutes?)\s+(?:to|of|for|than)\s+${DET}(.+)`,
    'i',
  ),
  // "anything cheaper than the Cragline jacket?"
  new RegExp(String.raw`${CHEAPER}\s+than\s+${DET}(.+)`, 'i'),
  // "a Cragline rain jacket but cheaper"
  new RegExp(String.raw`^(?:i (?:want|need|would like|'d like)\s+)?${DET}(.+?),?\s+but\s+${CHEAPER}`, 'i'),
];

/** A price ("$50", "50 dollars") is a filter, not a product to compare with. */
const PRICE_ONLY = /^[$€£]?\s*\d+(?:[.,]\d+)?\s*(?:dollars|euros?|pounds|bucks|usd|eur|gbp)?$/i;

/** "that", "it", "this one": the product in focus, which the caller knows from the dialog state. */
// The determiner is stripped before the anchor ("this one" → "one").
const FOCUS_REFERENCE = /^(?:that|this|it|the same|same|the one|one)(?:\s+(?:one|item|product))?$/i;

/**
 * The anchor of a "like X but cheaper" request, or null when the text is not one. The anchor may
 * point at a product already shown ("the first one", "that one", "the red one"): the caller
 * resolves it against the last list before searching for it by name.
 */
export function cheaperLike(text: string): CheaperLike | null {
  const clean = text.trim().replace(/[?.!]+$/, '');
  for (const pattern of PATTERNS) {
    const m = pattern.exec(clean);
    const anchor = m?.[1]?.trim().replace(/[?.!,]+$/, '');
    // a price is a limit ("cheaper than $50"), handled by the search's price filter
    if (!anchor || PRICE_ONLY.test(anchor)) continue;
    const focus = FOCUS_REFERENCE.test(anchor);
    if (anchor.length >= 3 || focus) return { anchor, ...(focus ? { focus: true } : {}) };
  }
  return null;
}
