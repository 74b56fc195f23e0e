// Query understanding for product search: a shopper's sentence → hard filters (product type,
// colour, size, other attribute values, brand, category, price) that results must satisfy, and
// soft preferences (uses, descriptive words, gift, cheap) that only order them.
import type { CatalogVocabulary } from './catalog-vocabulary.js';
import { colourFamilies, sizeForms } from './catalog-vocabulary.js';
import { parsePrice } from './price-phrases.js';
import { queryLexicon, typoCandidates, type QueryLexicon } from './query-lexicon.js';
import { singular, stem, tokens } from './query-words.js';
import {
  CHEAP_WORDS,
  FILLER,
  GIFT_WORDS,
  PREMIUM_WORDS,
  SIZE_ATTRIBUTES,
  SIZE_WORDS,
} from './shop-lexicon.js';

/** How a product type was recognised. */
export type TypeEvidence = 'phrase' | 'head' | 'synonym' | 'alias';

/** A product type the query names. */
export interface TypeMatch {
  /** Type key (normal form, e.g. "rain jacket"). */
  key: string;
  /** As the catalog writes it ("Rain Jacket"). */
  name: string;
  how: TypeEvidence;
  /** The words of the query that named it. */
  said: string;
}

/** What a shopper asked for, split into hard filters and soft preferences. */
export interface ProductQuery {
  text: string;
  /** Hard: results are of one of these types (none → any type). */
  types: TypeMatch[];
  /**
   * Soft: types a tag of theirs suggests ("wireless" → earbuds, "home workout" → bands); ranked
   * first but not required, since a tag can be a describing word as well as a name.
   */
  likelyTypes: TypeMatch[];
  /** Hard: colour, as base colours and/or exact catalog colour values (any of them). */
  colour?: { said: string[]; families: string[]; values: string[] };
  /** Hard: size forms, any of them ("l", "l/xl", "42"). */
  sizes: string[];
  /** Hard: other attribute values ("ceramic", "dark roast"); each must hold. */
  attributes: Array<{ said: string; attributes: string[] }>;
  /** Hard: brands as the catalog writes them (any of them). */
  brands: string[];
  /** Hard when no type is named: categories (any of them). */
  categories: string[];
  priceMin?: number;
  priceMax?: number;
  /** A price the shopper wrote that was refused ("-5", "$1e9"). */
  invalidPrice?: string;
  inStock?: boolean;
  /** Soft: what it is for ("running", "writer"), normal forms. */
  uses: string[];
  /** Soft: other descriptive words the catalog knows ("waterproof", "warm"), normal forms. */
  soft: string[];
  /** Soft: shopping for a present. */
  gift: boolean;
  /** Soft: cheap or premium first. */
  sort?: 'price-asc' | 'price-desc';
  /** Words neither the catalog nor the shop lexicon knows. */
  unknown: string[];
  /** The thing the shopper named that the catalog does not have ("sandals"), if any. */
  missing?: string;
  corrections: Array<{ from: string; to: string }>;
}

/** Longest message read; a search query past this is a paste, not a request. */
const MAX_QUERY_CHARS = 500;
// a letter size stands alone: "30 L" is a volume and "A5" a paper size, not sizes L and A
const LETTER_SIZE = /(?:^|[^\w/])(?<!\d\s?)(XXS|XS|S|M|L|XL|XXL|S\/M|M\/L|L\/XL)(?![\w/])/g;
const SIZE_PHRASE =
  /\b(?:size|sz|eu|uk)\s*:?\s*(xxs|xs|s|m|l|xl|xxl|s\/m|m\/l|l\/xl|\d{1,2}(?:\.5)?|small|medium|large|extra large)\b/gi;
const IN_STOCK = /\b(?:in stock|available now|in-stock)\b/i;
const CLAUSE_END = new Set(['and', 'but', 'so', 'because', 'i', 'we', 'then', 'also', 'plus']);
/** Tokens longer than this are noise (a pasted hash, a held key), not words. */
const MAX_WORD = 30;
// English adjective suffixes: a tag word with one of them describes a product, it does not name it
const ADJECTIVE_ENDING = /(?:less|able|ible|ful|ous|ive|ic|al|proof|ed|ing|y)$/;
const INDEFINITE = new Set(['something', 'anything', 'everything', 'nothing', 'things', 'stuff']);
const NOT_A_USE = new Set(['looking', 'searching', 'shopping', 'hunting', 'look', 'search', 'shop']);

/** Parses a shopper's product request against the catalog's vocabulary. */
export function parseProductQuery(input: string, vocab: CatalogVocabulary): ProductQuery {
  const lexicon = queryLexicon(vocab);
  // a long message keeps its opening and its end, where people put what they ask for
  const clipped =
    input.length <= MAX_QUERY_CHARS
      ? input
      : `${input.slice(0, MAX_QUERY_CHARS / 2)} . ${input.slice(-MAX_QUERY_CHARS / 2)}`;
  const text = clipped.normalize('NFKC');
  const query: ProductQuery = {
    text: input,
    types: [],
    likelyTypes: [],
    sizes: [],
    attributes: [],
    brands: [],
    categories: [],
    uses: [],
    soft: [],
    gift: false,
    unknown: [],
    corrections: [],
  };
  const price = parsePrice(text);
  if (price.min !== undefined) query.priceMin = price.min;
  if (price.max !== undefined) query.priceMax = price.max;
  if (price.invalid !== undefined) query.invalidPrice = price.invalid;
  let rest = text;
  for (const [start, end] of [...price.spans].sort((a, b) => b[0] - a[0]))
    rest = `${rest.slice(0, start)} ${rest.slice(end)}`;
  if (IN_STOCK.test(rest)) {
    query.inStock = true;
    rest = rest.replace(IN_STOCK, ' ');
  }
  const sizes = new Set<string>();
  rest = rest.replace(SIZE_PHRASE, (_, size: string) => {
    for (const s of sizeForms(size)) sizes.add(s);
    return ' ';
  });
  rest = rest.replace(LETTER_SIZE, (whole, size: string) => {
    for (const s of sizeForms(size)) sizes.add(s);
    return whole.startsWith(size) ? ' ' : whole[0]!;
  });
  query.sizes = [...sizes];
  // "750ml" → "750 ml", "1 litre" → "1 l": catalogs write units short and apart from the number
  rest = rest
    .replace(/(\d)\s*(?:litres?|liters?)\b/gi, '$1 l')
    .replace(/(\d)\s*(?:millilitres?|milliliters?)\b/gi, '$1 ml')
    .replace(/(\d)\s*watts?\b/gi, '$1 w')
    .replace(/(\d)(ml|l|mm|cm|m|w|mah)\b/gi, '$1 $2');

  const typed = joinPieces(
    tokens(rest).filter((t) => t.length <= MAX_WORD),
    lexicon,
    vocab,
  );
  const words: string[] = [];
  for (const w of typed) {
    const s = knownSingular(w, vocab);
    // a verb form of a catalog word ("charged", "travelling") is not a typo; "slipers" is
    const before = words[words.length - 1];
    const known =
      vocab.words.has(s) ||
      FILLER.has(w) ||
      FILLER.has(s) ||
      isLexiconWord(s, lexicon) ||
      (/(?:ed|ing)$/.test(s) && vocab.stems.has(stem(s)));
    // An everyday word is left alone ("on the train" is not "trail") unless the word before makes
    // its correction a product type ("yoga matt" → yoga mat).
    const fixed = known
      ? undefined
      : vocab.commonWords.has(w)
        ? typeInContext(s, before, lexicon)
        : correctTypo(s, w, before, lexicon);
    if (fixed) query.corrections.push({ from: w, to: fixed });
    words.push(fixed ?? s);
  }
  readWords(words, typed, query, vocab, lexicon);
  return query;
}

/**
 * The correction of a typo: the best candidate for the singular form (or, for a short plural
 * like "socs", the word as typed); among equally good ones, the one that forms a product type
 * with the word before it ("resistance banes" → band, not bank).
 */
function correctTypo(
  singularForm: string,
  asTyped: string,
  before: string | undefined,
  lexicon: QueryLexicon,
): string | undefined {
  let candidates = typoCandidates(singularForm, lexicon);
  if (candidates.length === 0 && asTyped !== singularForm) candidates = typoCandidates(asTyped, lexicon);
  const best = candidates[0];
  if (!best) {
    // the word before vouches for a correction the second-letter rule would refuse ("water bxttle")
    return typeInContext(singularForm, before, lexicon);
  }
  const tied = candidates.filter((c) => c.key[0] === best.key[0] && c.key[1] === best.key[1]);
  const inContext = before ? tied.find((c) => lexicon.typePhrases.has(`${before} ${c.word}`)) : undefined;
  return (inContext ?? best).word;
}

/** The correction that forms a product type with the word before, if any ("yoga matt" → mat). */
function typeInContext(word: string, before: string | undefined, lexicon: QueryLexicon): string | undefined {
  if (!before) return undefined;
  return typoCandidates(word, lexicon, true).find((c) => lexicon.typePhrases.has(`${before} ${c.word}`))
    ?.word;
}

/** Singular form, trying "-ves" → "-f"/"-fe" when the catalog knows that word ("shelves" → shelf). */
function knownSingular(word: string, vocab: CatalogVocabulary): string {
  const s = singular(word);
  if (vocab.words.has(s) || !word.endsWith('ves')) return s;
  return [`${word.slice(0, -3)}f`, `${word.slice(0, -3)}fe`].find((w) => vocab.words.has(w)) ?? s;
}

function isLexiconWord(word: string, lexicon: QueryLexicon): boolean {
  return lexicon.synonymTypes.has(word) || lexicon.synonymWords.has(word) || lexicon.colourWords.has(word);
}

/** Joins typed pieces the catalog writes as one word ("usb c" → usb-c, "ear buds" → earbuds). */
function joinPieces(words: string[], lexicon: QueryLexicon, vocab: CatalogVocabulary): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    const single = lexicon.joinable.get(singular(w).replace(/[-/]/g, ''));
    if (next !== undefined) {
      const joined = lexicon.joinable.get(singular(`${w}${next}`).replace(/[-/]/g, ''));
      const known = (x: string) => vocab.words.has(singular(x));
      if (joined && !(known(w) && known(next) && vocab.words.has(`${singular(w)} ${singular(next)}`))) {
        out.push(joined);
        i++;
        continue;
      }
    }
    out.push(single && !vocab.words.has(singular(w)) ? single : w);
  }
  return out;
}

/** Walks the words left to right, longest phrase first, and files each under what it means. */
function readWords(
  words: string[],
  typed: string[],
  query: ProductQuery,
  vocab: CatalogVocabulary,
  lexicon: QueryLexicon,
): void {
  // "for running", "for a writer": a use, up to the end of its clause ("... for a while and I
  // need a yoga mat" asks for a yoga mat)
  const inUseAt = new Array<boolean>(words.length).fill(false);
  let using = false;
  words.forEach((w, i) => {
    if (w === 'for' && !NOT_A_USE.has(words[i - 1] ?? '')) using = true;
    else if (CLAUSE_END.has(w)) using = false;
    else inUseAt[i] = using;
  });
  // each type match with the position of the words that named it
  const found: Record<TypeEvidence, Array<{ match: TypeMatch; at: number }>> = {
    phrase: [],
    head: [],
    synonym: [],
    alias: [],
  };
  const colourSaid: string[] = [];
  let at = 0;
  const typeOf = (key: string, how: TypeEvidence, said: string) => ({
    match: { key, name: vocab.types.get(key)!.name, how, said },
    at,
  });
  const softWords: string[] = [];
  const useWords: string[] = [];
  const unknown: Array<{ word: string; inUse: boolean }> = [];
  for (let i = 0; i < words.length;) {
    const inUse = inUseAt[i]!;
    at = i;
    let consumed = 0;
    for (let n = Math.min(lexicon.maxWords, words.length - i); n >= 1 && consumed === 0; n--) {
      const phrase = words.slice(i, i + n).join(' ');
      const typed = inUse ? undefined : lexicon.typePhrases.get(phrase);
      if (typed) found.phrase.push(...typed.map((k) => typeOf(k, 'phrase', phrase)));
      else if (vocab.brands.has(phrase) || (n === 1 && vocab.brandWords.has(phrase)))
        query.brands.push(vocab.brands.get(phrase) ?? vocab.brandWords.get(phrase)!);
      else if (!inUse && lexicon.synonymTypes.has(phrase) && !(n === 1 && vocab.typesByHead.has(phrase)))
        found.synonym.push(...lexicon.synonymTypes.get(phrase)!.map((k) => typeOf(k, 'synonym', phrase)));
      else if (lexicon.colourWords.has(phrase) && (n > 1 || !vocab.typesByHead.has(phrase)))
        colourSaid.push(phrase);
      else if (n === 1 && SIZE_WORDS[phrase] !== undefined) softWords.push(phrase);
      else if (lexicon.attributePhrases.get(phrase)?.every((a) => SIZE_ATTRIBUTES.test(a)))
        for (const size of sizeForms(phrase)) query.sizes.push(size);
      else if (lexicon.attributePhrases.has(phrase) && !(n === 1 && FILLER.has(phrase)))
        query.attributes.push({ said: phrase, attributes: lexicon.attributePhrases.get(phrase)! });
      else if (vocab.categories.has(phrase)) query.categories.push(...vocab.categories.get(phrase)!);
      else if (!inUse && n === 1 && vocab.typesByHead.has(phrase))
        found.head.push(...vocab.typesByHead.get(phrase)!.map((k) => typeOf(k, 'head', phrase)));
      else if (!inUse && vocab.typeAliases.has(phrase)) {
        const aliased = vocab.typeAliases.get(phrase)!;
        // A tag that points at one type only and is a word of that type's own name ("fleece" of
        // Fleece Midlayer) names the type as surely as its head noun does: the catalog agrees
        // with itself. It stays weak when it is shared by several types ("warm"), reads as an
        // adjective ("wireless", "foldable"), or describes "something"/"anything".
        const namesIt =
          aliased.length === 1 &&
          ` ${vocab.types.get(aliased[0]!)!.words.join(' ')} `.includes(` ${phrase} `) &&
          !ADJECTIVE_ENDING.test(phrase) &&
          !INDEFINITE.has(words[i - 1] ?? '');
        found[namesIt ? 'head' : 'alias'].push(
          ...aliased.map((k) => typeOf(k, namesIt ? 'head' : 'alias', phrase)),
        );
      } else if (n === 1 && lexicon.synonymWords.has(phrase))
        (inUse ? useWords : softWords).push(...lexicon.synonymWords.get(phrase)!);
      else continue;
      consumed = n;
    }
    if (consumed > 0) {
      i += consumed;
      continue;
    }
    const w = words[i]!;
    i++;
    if (CHEAP_WORDS.has(w)) query.sort = 'price-asc';
    else if (PREMIUM_WORDS.has(w)) query.sort = 'price-desc';
    else if (GIFT_WORDS.has(w)) query.gift = true;
    else if (FILLER.has(w) || w.length < 2) continue;
    else if (vocab.words.has(w) || vocab.stems.has(stem(w))) (inUse ? useWords : softWords).push(w);
    else {
      unknown.push({ word: typed[i - 1] ?? w, inUse });
      if (inUse) useWords.push(w);
    }
  }
  // The most direct evidence decides the type: a type's name, then its head noun, then what a
  // synonym or a tag points at. Weaker evidence only counts when nothing stronger was said.
  const strongest =
    found.phrase.length > 0 ? found.phrase : found.head.length > 0 ? found.head : found.synonym;
  // English compounds put the head last: "boot wax" is wax, "bottle of ink" is ink
  const last = Math.max(...strongest.map((t) => t.at));
  const seen = new Set<string>();
  query.types = strongest
    .filter((t) => t.at === last)
    .map((t) => t.match)
    .filter((t) => !seen.has(t.key) && seen.add(t.key));
  if (query.types.length === 0)
    query.likelyTypes = found.alias.map((t) => t.match).filter((t) => !seen.has(t.key) && seen.add(t.key));
  resolveSizeWords(softWords, query, vocab, lexicon);
  resolveAttributes(query, vocab, softWords);
  if (colourSaid.length > 0) {
    const values = colourSaid.filter((c) => vocab.colourValues.has(c));
    const families = [...new Set(colourSaid.flatMap((c) => [...colourFamilies(c)]))];
    query.colour = { said: colourSaid, families, values };
  }
  query.brands = [...new Set(query.brands)];
  query.categories = [...new Set(query.categories)];
  query.uses = [...new Set(useWords)];
  query.soft = [...new Set(softWords)];
  query.unknown = unknown.map((u) => u.word);
  const named = unknown.filter((u) => !u.inUse);
  const understood =
    softWords.length +
    query.brands.length +
    query.attributes.length +
    colourSaid.length +
    query.categories.length;
  // The shopper named something the catalog lacks when no type was found and the unknown words
  // outweigh the known ones ("sandals", "bluetooth speaker"); a stray unknown word in an
  // otherwise understood request ("cosy things for the living room") is not a product. A tag
  // alias is weak evidence: "bluetooth speaker" names a speaker, not the earbuds tagged bluetooth.
  if (named.length > 0 && named.length >= understood && query.types.length === 0) {
    query.likelyTypes = [];
    query.missing = named.map((u) => u.word).join(' ');
  }
}

/** "large" is a size when the named types come in that size, otherwise just a describing word. */
function resolveSizeWords(
  softWords: string[],
  query: ProductQuery,
  vocab: CatalogVocabulary,
  lexicon: QueryLexicon,
): void {
  const sized = new Set(query.sizes);
  const skus = query.types.flatMap((t) => vocab.types.get(t.key)!.skus);
  for (let i = softWords.length - 1; i >= 0; i--) {
    const w = softWords[i]!;
    if (SIZE_WORDS[w] === undefined) continue;
    if (skus.some((sku) => vocab.facts.get(sku)!.sizes.has(w))) {
      for (const s of sizeForms(w)) sized.add(s);
      softWords.splice(i, 1);
    } else if (lexicon.attributePhrases.has(w)) {
      // "medium" for a pen is its nib; resolveAttributes keeps it only if the type has it
      query.attributes.push({ said: w, attributes: lexicon.attributePhrases.get(w)! });
      softWords.splice(i, 1);
    }
  }
  query.sizes = [...sized];
}

/** Keeps attribute values as hard filters only where the named types have them ("cork" block, not mat). */
function resolveAttributes(query: ProductQuery, vocab: CatalogVocabulary, softWords: string[]): void {
  if (query.types.length === 0) return;
  const skus = query.types.flatMap((t) => vocab.types.get(t.key)!.skus);
  query.attributes = query.attributes.filter((a) => {
    const held = skus.some((sku) => {
      const attributes = vocab.facts.get(sku)!.attributes;
      return a.attributes.some((name) => ` ${attributes.get(name) ?? ''} `.includes(` ${a.said} `));
    });
    if (!held) softWords.push(...a.said.split(' '));
    return held;
  });
}
