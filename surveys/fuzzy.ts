// Typo tolerance for short answer words. Hand-written: a transposition-aware edit distance over
// words of a few letters is ~20 lines, and no direct dependency of the project provides one.

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), capped at `max + 1`. */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1).fill(0);
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return max + 1;
    for (let j = 0; j <= b.length; j++) prev2[j] = prev[j]!;
    prev = cur;
  }
  return prev[b.length]!;
}

/** A vocabulary that corrects a typed word to its unique nearest known word, or leaves it alone. */
export class Corrector {
  private readonly words: string[];
  constructor(
    vocabulary: Iterable<string>,
    private readonly protectedWords: ReadonlySet<string>,
  ) {
    this.words = [...new Set(vocabulary)];
  }

  /** The corrected word; words under 4 letters, known words and protected words are kept as typed. */
  correct(word: string): string {
    if (this.words.includes(word) || this.protectedWords.has(word) || /\d/.test(word)) return word;
    // "yesss", "noooo", "sooo": squeeze letter runs before measuring distance
    for (const squeezed of [word.replace(/(.)\1{2,}/g, '$1'), word.replace(/(.)\1+/g, '$1')]) {
      if (squeezed !== word && this.words.includes(squeezed)) return squeezed;
    }
    if (word.length < 4) return word;
    const max = word.length >= 7 ? 2 : 1;
    let best: string | undefined;
    let bestD = max + 1;
    let tie = false;
    for (const w of this.words) {
      if (w.length < 4) continue;
      const d = editDistance(word, w, max);
      if (d < bestD) {
        best = w;
        bestD = d;
        tie = false;
      } else if (d === bestD) tie = true;
    }
    return best !== undefined && !tie ? best : word;
  }
}
