// Word-level helpers shared by the catalog vocabulary and the query parser: one tokenizer and one
// normal form, so a word in a product name and the same word typed by a shopper always compare equal.

/**
 * Lower-case tokens; hyphenated and slashed compounds stay whole ("usb-c", "s/m", "fleece-lined")
 * because splitting them turns "fleece-lined beanie" into a fleece. `parts` gives the pieces.
 */
export function tokens(text: string): string[] {
  // "10,000 mAh" and "10000mah" are the same number
  return (
    text
      .toLowerCase()
      .replace(/(\d),(?=\d{3}\b)/g, '$1')
      .match(/[a-z0-9]+(?:['’][a-z]+)?(?:[-/][a-z0-9]+)*/g) ?? []
  );
}

/** The pieces of a compound token ("fleece-lined" → fleece, lined); a simple token → itself. */
export function parts(token: string): string[] {
  return token.includes('-') || token.includes('/') ? token.split(/[-/]/).filter((p) => p !== '') : [token];
}

/** English plural → singular for shop nouns ("boots" → boot, "batteries" → battery, "glasses" → glass). */
export function singular(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(?:ss|sh|ch|x|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(?:ss|us|is|ics)$/.test(word)) return word.slice(0, -1);
  return word;
}

/**
 * A light stem for soft matching of uses ("running" ~ "runner" ~ "run", "writer" ~ "writing",
 * "hike" ~ "hiking"). Deliberately cruder than a Porter stemmer: both sides are stemmed the same
 * way, and only soft preferences use it (hard filters compare whole words).
 */
export function stem(word: string): string {
  let w = singular(word);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 5 && w.endsWith('er')) w = w.slice(0, -2);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  if (/([b-df-hj-np-tv-z])\1$/.test(w) && w.length > 3) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('e') && !w.endsWith('ee')) w = w.slice(0, -1);
  return w;
}

/** Normal form of a phrase: singular tokens joined by one space ("Rain Jackets" → "rain jacket"). */
export function normalPhrase(text: string): string {
  return tokens(text).map(singular).join(' ');
}

/**
 * Damerau–Levenshtein distance (adjacent transpositions count one edit), stopping early once it
 * exceeds `max`; typo correction only ever asks "is it within 1 or 2 edits".
 */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  // three rolling rows (the transposition looks two rows back) instead of a full matrix
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, before[j - 2]! + 1);
      current[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}
