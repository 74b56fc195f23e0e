// Everything the catalog knows about its own words: product types (and their head nouns), brands,
// categories, colour, size and other attribute values, tag aliases, and every word it uses. Built
// once from the products (at start and after catalog changes); the query parser reads only this.
import { productTypes } from './product-type.js';
import { normalPhrase, parts, singular, stem, tokens } from './query-words.js';
import {
  BASE_COLOURS,
  COLOUR_ATTRIBUTES,
  COLOUR_NAMES,
  FILLER,
  SIZE_ATTRIBUTES,
  SIZE_WORDS,
} from './shop-lexicon.js';
import type { CatalogProduct } from './types.js';

/** One product type of the catalog ("Rain Jacket"). */
export interface ProductTypeEntry {
  /** Normal form, the key: "rain jacket". */
  key: string;
  /** As written in product names: "Rain Jacket". */
  name: string;
  /** Head noun, normal form: "jacket". */
  head: string;
  /** Words of the key. */
  words: string[];
  skus: string[];
  /** The category most of its products are in. */
  category: string;
}

/** Facts about one product, in normal form, that filters and soft preferences check. */
export interface ProductFacts {
  sku: string;
  /** Key of its product type. */
  type: string;
  /** Colour-like attribute values ("forest green"). */
  colours: string[];
  /** Base colours those values count as ("green"). */
  colourFamilies: Set<string>;
  /** Size values with their letter equivalents and the halves of "s/m". */
  sizes: Set<string>;
  /** Attribute name (lower case) → normal value, for every attribute. */
  attributes: Map<string, string>;
  brand: string | null;
  category: string;
  /** Singular words of name and tags (compounds whole and in pieces). */
  nameWords: Set<string>;
  /** Stems of name, tags and attribute values (strong soft evidence). */
  stems: Set<string>;
  /** Stems of the description (weak soft evidence). */
  descriptionStems: Set<string>;
}

/** The catalog's vocabulary; the query parser needs nothing else. */
export interface CatalogVocabulary {
  types: Map<string, ProductTypeEntry>;
  /** Head noun → type keys. */
  typesByHead: Map<string, string[]>;
  /** Tag phrases that belong to exactly one type ("backpack" → daypack) → type keys. */
  typeAliases: Map<string, string[]>;
  /** Brand phrase (normal form) → brand as written. */
  brands: Map<string, string>;
  /** A brand word no other catalog text uses ("cragline") → brand as written. */
  brandWords: Map<string, string>;
  /** Category phrase or a category word no product text uses ("footwear") → categories. */
  categories: Map<string, string[]>;
  /** Normal attribute value → the attributes (lower case) that take it. */
  attributeValues: Map<string, string[]>;
  colourValues: Set<string>;
  sizeValues: Set<string>;
  /** Every normal word of the catalog with the number of products using it. */
  words: Map<string, number>;
  /** Stems of every catalog word (to tell a known soft word from an unknown one). */
  stems: Set<string>;
  facts: Map<string, ProductFacts>;
  /**
   * Everyday English words the catalog does not use ("train", "once"): real words, never typos
   * to correct into a catalog word ("trail", "one"). Empty when the shop gives none.
   */
  commonWords: ReadonlySet<string>;
}

/** Base colours a colour value counts as: "forest green" → green, "navy" → blue, "brushed steel" → silver, grey. */
export function colourFamilies(value: string): Set<string> {
  const out = new Set<string>();
  const base = new Set<string>(BASE_COLOURS);
  const whole = value.toLowerCase().trim();
  for (const c of COLOUR_NAMES[whole] ?? []) out.add(c);
  for (const token of tokens(whole)) {
    for (const w of [token, ...parts(token)]) {
      if (base.has(w)) out.add(w);
      for (const c of COLOUR_NAMES[w] ?? []) out.add(c);
    }
  }
  return out;
}

/** Size value with its equivalents: "L/XL" → l/xl, l, xl; "large" → large, l; "S" → s, small. */
export function sizeForms(value: string): Set<string> {
  const v = value.toLowerCase().trim().replace(/\s+/g, ' ');
  const out = new Set<string>([v]);
  for (const piece of v.split('/')) out.add(piece.trim());
  for (const [word, letter] of Object.entries(SIZE_WORDS)) {
    if (out.has(word)) out.add(letter);
    if (out.has(letter)) out.add(word);
  }
  return out;
}

const wordsOf = (text: string) => tokens(text).flatMap((t) => [t, ...parts(t)].map(singular));

/** Builds the vocabulary of the active products. */
export function buildCatalogVocabulary(
  all: readonly CatalogProduct[],
  commonWords: ReadonlySet<string> = new Set(),
): CatalogVocabulary {
  const products = all.filter((p) => p.active);
  // products share most of their words: stem each distinct word once
  const stemCache = new Map<string, string>();
  const stemOf = (w: string) => {
    let s = stemCache.get(w);
    if (s === undefined) stemCache.set(w, (s = stem(w)));
    return s;
  };
  const typeOf = productTypes(products);
  const types = new Map<string, ProductTypeEntry>();
  const categoryVotes = new Map<string, Map<string, number>>();
  for (const p of products) {
    const name = typeOf.get(p.sku)!;
    const key = normalPhrase(name) || normalPhrase(p.category);
    let entry = types.get(key);
    if (!entry) {
      const words = key.split(' ');
      entry = { key, name, head: words[words.length - 1]!, words, skus: [], category: p.category };
      types.set(key, entry);
    }
    entry.skus.push(p.sku);
    const votes = categoryVotes.get(key) ?? new Map<string, number>();
    votes.set(p.category, (votes.get(p.category) ?? 0) + 1);
    categoryVotes.set(key, votes);
  }
  for (const [key, votes] of categoryVotes)
    types.get(key)!.category = [...votes].sort((a, b) => b[1] - a[1])[0]![0];

  const typesByHead = new Map<string, string[]>();
  for (const t of types.values()) typesByHead.set(t.head, [...(typesByHead.get(t.head) ?? []), t.key]);

  const words = new Map<string, number>();
  const stems = new Set<string>();
  const facts = new Map<string, ProductFacts>();
  const colourValues = new Set<string>();
  const sizeValues = new Set<string>();
  const attributeValues = new Map<string, string[]>();
  // Words of names, tags and descriptions without the brand: a brand word found here is not
  // distinctive ("Linen Lane" vs linen cushion covers).
  const productWords = new Set<string>();
  for (const p of products) {
    const brandWords = new Set(p.brand ? wordsOf(p.brand) : []);
    const nameWords = new Set(wordsOf(`${p.name} ${p.tags.join(' ')}`));
    const descriptionWords = wordsOf(p.description);
    const seen = new Set<string>();
    const colours: string[] = [];
    const families = new Set<string>();
    const sizes = new Set<string>();
    const attributes = new Map<string, string>();
    for (const [attribute, raw] of Object.entries(p.attributes)) {
      if (typeof raw !== 'string' && typeof raw !== 'number') continue;
      const value = normalPhrase(String(raw));
      if (value === '') continue;
      const name = attribute.toLowerCase();
      attributes.set(name, value);
      attributeValues.set(value, [...new Set([...(attributeValues.get(value) ?? []), name])]);
      for (const w of wordsOf(String(raw))) nameWords.add(w);
      if (COLOUR_ATTRIBUTES.test(attribute)) {
        colours.push(value);
        colourValues.add(value);
        for (const c of colourFamilies(String(raw))) families.add(c);
      }
      if (SIZE_ATTRIBUTES.test(attribute)) {
        for (const s of sizeForms(String(raw))) sizes.add(s);
        sizeValues.add(String(raw).toLowerCase().trim());
      }
    }
    for (const w of [...nameWords, ...descriptionWords, ...brandWords, ...wordsOf(p.category)]) {
      if (seen.has(w)) continue;
      seen.add(w);
      words.set(w, (words.get(w) ?? 0) + 1);
      stems.add(stemOf(w));
    }
    for (const w of [...nameWords, ...descriptionWords]) if (!brandWords.has(w)) productWords.add(w);
    facts.set(p.sku, {
      sku: p.sku,
      type: normalPhrase(typeOf.get(p.sku)!) || normalPhrase(p.category),
      colours,
      colourFamilies: families,
      sizes,
      attributes,
      brand: p.brand ? normalPhrase(p.brand) : null,
      category: p.category.toLowerCase(),
      nameWords,
      stems: new Set([...nameWords].map(stemOf)),
      descriptionStems: new Set(descriptionWords.map(stemOf)),
    });
  }

  const brands = new Map<string, string>();
  const brandWords = new Map<string, string>();
  for (const p of products) {
    if (!p.brand) continue;
    brands.set(normalPhrase(p.brand), p.brand);
    for (const w of wordsOf(p.brand))
      if (w.length >= 4 && !productWords.has(w) && !FILLER.has(w)) brandWords.set(w, p.brand);
  }

  const categories = new Map<string, string[]>();
  const addCategory = (key: string, category: string) =>
    categories.set(key, [...new Set([...(categories.get(key) ?? []), category])]);
  for (const p of products) {
    const phrase = normalPhrase(p.category);
    // a one-word category that products also use ("home") is a describing word, not a filter
    if (phrase.includes(' ') || !productWords.has(phrase)) addCategory(phrase, p.category);
    for (const w of wordsOf(p.category))
      if (w.length >= 4 && !productWords.has(w) && !FILLER.has(w)) addCategory(w, p.category);
  }

  return {
    types,
    typesByHead,
    typeAliases: tagAliases(products, facts, types, attributeValues),
    brands,
    brandWords,
    categories,
    attributeValues,
    colourValues,
    sizeValues,
    words,
    stems,
    facts,
    commonWords,
  };
}

/**
 * Tags that name exactly one product type ("backpack" only on daypacks, "hat" only on beanies)
 * become aliases of it, unless the tag's words also appear in another type's product names
 * ("trail" is a running-shoe tag but also in "Trail Map Print"), which would make it ambiguous.
 */
function tagAliases(
  products: readonly CatalogProduct[],
  facts: Map<string, ProductFacts>,
  types: Map<string, ProductTypeEntry>,
  attributeValues: Map<string, string[]>,
): Map<string, string[]> {
  const tagTypes = new Map<string, Set<string>>();
  for (const p of products) {
    const type = facts.get(p.sku)!.type;
    for (const tag of p.tags) {
      const key = normalPhrase(tag);
      if (key === '') continue;
      tagTypes.set(key, (tagTypes.get(key) ?? new Set()).add(type));
    }
  }
  // whole name word → the types whose product names use it (an index, so the check below costs
  // a few set lookups per tag instead of a scan of the catalog)
  const typesNaming = new Map<string, Set<string>>();
  for (const p of products) {
    const type = facts.get(p.sku)!.type;
    for (const w of tokens(p.name).map(singular))
      typesNaming.set(w, (typesNaming.get(w) ?? new Set()).add(type));
  }
  const aliases = new Map<string, string[]>();
  for (const [tag, owners] of tagTypes) {
    // a tag that repeats a variant value ("navy" on navy jackets) is a filter, not a type
    if (owners.size !== 1 || types.has(tag) || attributeValues.has(tag)) continue;
    const [type] = owners;
    const tagWords = tag.split(' ');
    // whole name words: "fleece" names the fleece midlayer even though a beanie is "fleece-lined"
    const naming = tagWords.map((w) => typesNaming.get(w) ?? new Set<string>());
    const elsewhere = [...naming[0]!].some((t) => t !== type && naming.every((set) => set.has(t)));
    if (!elsewhere && !tagWords.every((w) => FILLER.has(w))) aliases.set(tag, [type!]);
  }
  return aliases;
}
