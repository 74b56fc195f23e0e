// Phrase tables the query parser looks words up in, derived once per catalog vocabulary: type
// names and their tails, synonyms whose targets the catalog has, attribute values, and the
// dictionary typos are corrected against.
import type { CatalogVocabulary } from './catalog-vocabulary.js';
import { editDistance, parts } from './query-words.js';
import { BASE_COLOURS, COLOUR_NAMES, FILLER, SIZE_WORDS, SYNONYMS } from './shop-lexicon.js';

/** What a phrase of the query can be. */
export interface QueryLexicon {
  /** Type keys and their multi-word tails ("frothing jug" for "milk frothing jug") → type keys. */
  typePhrases: Map<string, string[]>;
  /** Synonym phrase → type keys it reaches in this catalog (through phrases, heads and aliases). */
  synonymTypes: Map<string, string[]>;
  /** Synonym phrase → catalog words it means when it reaches no type ("coffee maker" → words). */
  synonymWords: Map<string, string[]>;
  /** Attribute value phrases and their distinctive parts ("dark roast") → attribute names. */
  attributePhrases: Map<string, string[]>;
  /** Colour words: base colours, colour names and catalog colour values. */
  colourWords: Set<string>;
  /** Words that can be joined from two typed pieces ("usb c" → usb-c, "day pack" → daypack). */
  joinable: Map<string, string>;
  /** Words typos are corrected to, with their catalog frequency (lexicon words count 1). */
  dictionary: Array<[string, number]>;
  /** Words that name products (type words, synonyms) or filters (brands, colours, values): 2, 1. */
  importance: Map<string, number>;
  /** Longest phrase worth trying, in words. */
  maxWords: number;
}

const cache = new WeakMap<CatalogVocabulary, QueryLexicon>();

/** The lexicon of a vocabulary (computed once per vocabulary object). */
export function queryLexicon(vocab: CatalogVocabulary): QueryLexicon {
  let lexicon = cache.get(vocab);
  if (!lexicon) {
    lexicon = buildLexicon(vocab);
    cache.set(vocab, lexicon);
  }
  return lexicon;
}

function add(map: Map<string, string[]>, key: string, values: readonly string[]): void {
  map.set(key, [...new Set([...(map.get(key) ?? []), ...values])]);
}

function buildLexicon(vocab: CatalogVocabulary): QueryLexicon {
  const typePhrases = new Map<string, string[]>();
  for (const t of vocab.types.values())
    for (let i = 0; i < t.words.length - 1; i++) add(typePhrases, t.words.slice(i).join(' '), [t.key]);

  // A synonym target reaches types as a type phrase, a head noun or a tag alias, in that order.
  const reach = (target: string): string[] => {
    const phrase = typePhrases.get(target);
    if (phrase) return phrase;
    const words = target.split(' ');
    const head = vocab.typesByHead.get(words[words.length - 1]!) ?? [];
    if (head.length > 0 && words.length === 1) return head;
    if (head.length > 0) {
      // "running shoe": keep the head's types that share a modifier, else all of them
      const sharing = head.filter((k) =>
        words.slice(0, -1).some((w) => vocab.types.get(k)!.words.includes(w)),
      );
      return sharing.length > 0 ? sharing : head;
    }
    return vocab.typeAliases.get(target) ?? [];
  };
  const synonymTypes = new Map<string, string[]>();
  const synonymWords = new Map<string, string[]>();
  for (const [key, targets] of Object.entries(SYNONYMS)) {
    // the first target the catalog has wins: "sneaker" → running shoes here, plain shoes elsewhere
    const reached = targets.map(reach).find((r) => r.length > 0);
    if (reached) synonymTypes.set(key, reached);
    else {
      const known = targets.flatMap((t) => t.split(' ')).filter((w) => vocab.words.has(w));
      if (known.length > 0) synonymWords.set(key, known);
    }
  }

  const attributePhrases = new Map<string, string[]>();
  const productsWithValueWord = new Map<string, number>();
  for (const f of vocab.facts.values())
    for (const w of new Set([...f.attributes.values()].flatMap((v) => v.split(' '))))
      productsWithValueWord.set(w, (productsWithValueWord.get(w) ?? 0) + 1);
  for (const [value, attributes] of vocab.attributeValues) {
    const words = value.split(' ');
    add(attributePhrases, value, attributes);
    for (let i = 0; i < words.length; i++)
      for (let j = i + 1; j <= words.length; j++) {
        const sub = words.slice(i, j);
        if (sub.length === words.length) continue;
        // one word of a longer value counts only if the catalog uses it for nothing else
        // ("decaf", "sumatra"), never a common word ("water" of "Decaf Swiss water")
        const distinctive =
          sub.length > 1 ||
          (sub[0]!.length >= 4 &&
            !FILLER.has(sub[0]!) &&
            (vocab.words.get(sub[0]!) ?? 0) <= (productsWithValueWord.get(sub[0]!) ?? 0));
        if (distinctive) add(attributePhrases, sub.join(' '), attributes);
      }
  }

  const colourWords = new Set<string>([...BASE_COLOURS, ...Object.keys(COLOUR_NAMES), ...vocab.colourValues]);

  const joinable = new Map<string, string>();
  for (const word of vocab.words.keys()) {
    const isHead = vocab.typesByHead.has(word);
    if (word.includes('-') || word.includes('/') || isHead) joinable.set(word.replace(/[-/]/g, ''), word);
  }

  const dictionary = new Map<string, number>();
  for (const [w, n] of vocab.words) if (w.length >= 3 && !/\d/.test(w)) dictionary.set(w, n);
  const lexiconWords = [
    ...Object.keys(SYNONYMS).flatMap((k) => k.split(' ')),
    ...colourWords,
    ...Object.keys(SIZE_WORDS).flatMap((k) => k.split(' ')),
  ];
  for (const w of lexiconWords)
    for (const p of parts(w)) if (p.length >= 3) dictionary.set(p, dictionary.get(p) ?? 1);

  const importance = new Map<string, number>();
  for (const w of [...vocab.brandWords.keys(), ...colourWords, ...vocab.attributeValues.keys()])
    for (const p of w.split(' ')) importance.set(p, 1);
  for (const t of vocab.types.values()) for (const w of t.words) importance.set(w, 2);
  for (const key of [...synonymTypes.keys(), ...vocab.typeAliases.keys()])
    for (const w of key.split(' ')) importance.set(w, 2);

  let maxWords = 1;
  for (const k of [
    ...typePhrases.keys(),
    ...synonymTypes.keys(),
    ...attributePhrases.keys(),
    ...vocab.brands.keys(),
  ])
    maxWords = Math.max(maxWords, k.split(' ').length);
  return {
    typePhrases,
    synonymTypes,
    synonymWords,
    attributePhrases,
    colourWords,
    joinable,
    dictionary: [...dictionary],
    importance,
    maxWords: Math.min(maxWords, 5),
  };
}

/** Length of the longest common subsequence (letters kept in order: "gren" keeps 4 of "green"). */
function commonLetters(a: string, b: string): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++)
      current[j] = a[i - 1] === b[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!);
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The dictionary words a typo most likely meant, best first: within one edit (two for words of
 * 8+ letters). Fewer edits first, then words that name products or filters ("matt" → mat, not
 * matte), then more letters kept in order ("gren" → green, not grey), then the word the catalog
 * uses most. Empty when nothing is that close. The caller picks among equally good ones by context.
 */
export function typoCandidates(
  word: string,
  lexicon: QueryLexicon,
  anySecondLetter = false,
): Array<{ word: string; key: number[] }> {
  if (word.length < 4 || /\d/.test(word)) return [];
  const max = word.length >= 8 ? 2 : 1;
  const out: Array<{ word: string; key: number[] }> = [];
  for (const [candidate, count] of lexicon.dictionary) {
    if (Math.abs(candidate.length - word.length) > max || candidate.length < 3) continue;
    // Typos rarely hit the first letter. A short word with another second letter is more often a
    // different word ("speaker" is not a misspelt "sneaker") unless a letter was only dropped or
    // swapped ("banie" → beanie, "jakcet" → jacket).
    if (candidate[0] !== word[0]) continue;
    const sameLength = candidate.length === word.length;
    if (
      !anySecondLetter &&
      word.length < 8 &&
      sameLength &&
      candidate[1] !== word[1] &&
      candidate[1] !== word[2]
    )
      continue;
    const d = editDistance(word, candidate, max);
    if (d > max) continue;
    out.push({
      word: candidate,
      key: [-d, lexicon.importance.get(candidate) ?? 0, commonLetters(word, candidate), count],
    });
  }
  const order = (a: number[], b: number[]) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return b[i]! - a[i]!;
    return 0;
  };
  return out.sort((a, b) => order(a.key, b.key) || a.word.localeCompare(b.word));
}
