import { stemmer } from 'stemmer';

// Function words carry no topic: "how do I" must not match every FAQ that starts the same way.
const STOP_WORDS = new Set(
  (
    'a an and any are as at be but by can could did do does for from had has have how i if in into is it its ' +
    'me my of on or our should so some than that the their them then there these they this those to up us ' +
    'was we were what when where which who why will with would you your'
  ).split(' '),
);

/** Lower-cased, stemmed content words of a text (the lexical index's terms). */
export function lexicalTerm(term: string): string | null {
  const t = term.toLowerCase();
  if (STOP_WORDS.has(t) || (t.length < 2 && !/\d/.test(t))) return null;
  return stemmer(t);
}

/** Splits text into sentences (., !, ? or a line break followed by a new one). */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[A-Z0-9"'(])|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Content terms of a text, for overlap scoring of answer sentences. */
export function contentTerms(text: string): Set<string> {
  const out = new Set<string>();
  for (const word of text.split(/[^\p{L}\p{N}]+/u)) {
    const term = word ? lexicalTerm(word) : null;
    if (term) out.add(term);
  }
  return out;
}
