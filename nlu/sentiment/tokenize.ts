// Tokenisation shared by the sentiment lexicon and the TF-IDF features. Negation is marked on the
// tokens it governs ("not good" → "not NEG_good") so that a linear model can learn that a negated
// word flips, which bag-of-words features otherwise cannot express.

/** A token with the flags the lexicon rules need. */
export interface SentimentToken {
  /** Lower-cased word, punctuation mark or emoticon. */
  readonly text: string;
  /** True when a negator governs this token. */
  readonly negated: boolean;
  /** True when the original word was written in capitals (shouting), e.g. "GREAT". */
  readonly shouted: boolean;
}

/** Words that negate the next few words of their clause. */
export const NEGATORS: ReadonlySet<string> = new Set([
  'not',
  'no',
  'never',
  'nothing',
  'nobody',
  'none',
  'neither',
  'nor',
  'cannot',
  'without',
  'hardly',
  'barely',
  'nowhere',
  'lack',
  'lacks',
  'lacking',
]);

// How many words after a negator stay negated: "not very good at all" keeps "good" in scope.
const NEGATION_SCOPE = 3;
// Clause boundaries end a negation scope.
const CLAUSE_BREAK = new Set(['.', ',', ';', ':', '!', '?', 'but', 'however', 'although', 'though', 'yet']);

// Words, numbers, punctuation runs that carry sentiment, and a few text emoticons.
const TOKEN_PATTERN = /[:;]-?[)(dp]|<3|[\p{L}\p{N}]+(?:'[\p{L}]+)?|[!?]|[.,;:]|\p{Extended_Pictographic}/giu;

/** Splits text into sentiment tokens (lower-cased) with negation scopes marked. */
export function sentimentTokens(text: string): SentimentToken[] {
  // Contractions: "isn't" → "is not" so the negator is its own token; "can't"/"won't" keep their verb.
  const expanded = text
    .replace(/\bcan['’]?t\b/gi, 'can not')
    .replace(/\bwon['’]t\b/gi, 'will not')
    .replace(/n['’]t\b/gi, ' not')
    .replace(/\b(do|does|did|is|was|were|are|could|would|should|has|have|had|ai)nt\b/gi, '$1 not');
  const tokens: SentimentToken[] = [];
  let scope = 0;
  for (const match of expanded.matchAll(TOKEN_PATTERN)) {
    const raw = match[0];
    const lower = raw.toLowerCase();
    if (CLAUSE_BREAK.has(lower)) {
      scope = 0;
      tokens.push({ text: lower, negated: false, shouted: false });
      continue;
    }
    const shouted = raw.length > 1 && /\p{Lu}/u.test(raw) && raw === raw.toUpperCase();
    tokens.push({ text: lower, negated: scope > 0, shouted });
    if (NEGATORS.has(lower)) scope = NEGATION_SCOPE;
    else if (scope > 0) scope -= 1;
  }
  return tokens;
}
