// Follow-ups against the last list shown: "the first one", "the red one", "that one", "in another
// size", and refinements of the last search ("in green", "under 50"). Pure: the last list's names
// and prices are in the dialog state, so no catalog call is needed to resolve them.
import type { NluEntity } from '../ports.js';
import type { DialogState, ShownItem } from './state.js';

const ORDINALS: Record<string, number> = {
  first: 0,
  '1st': 0,
  second: 1,
  '2nd': 1,
  third: 2,
  '3rd': 2,
  fourth: 3,
  '4th': 3,
  fifth: 4,
  '5th': 4,
};

const ORDINAL =
  /\b(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last)\b(?:\s+(?:one|item|product|option|result))?/i;
const NUMBERED = /\b(?:number|no\.?|option|item|#)\s*([1-9])\b/i;
const DEICTIC = /\b(?:that|this|the same) one\b|\b(?:that|this|it)\b/i;
const OTHER_VARIANT =
  /\b(?:another|other|different|a smaller|a bigger|a larger|smaller|bigger|larger)\s+(?:size|colou?r|one)s?\b|\bin (?:a )?(?:smaller|bigger|larger)\b|\bother (?:sizes|colou?rs)\b/i;

/** The item of the last list the text points at, or null. */
export function referencedItem(
  text: string,
  entities: readonly NluEntity[],
  state: DialogState,
): ShownItem | null {
  const items = state.lastItems;
  if (items.length === 0) return null;
  const ordinal = ORDINAL.exec(text);
  if (ordinal) {
    const word = ordinal[1]!.toLowerCase();
    return (word === 'last' ? items.at(-1) : items[ORDINALS[word]!]) ?? null;
  }
  const numbered = NUMBERED.exec(text);
  if (numbered) return items[Number(numbered[1]) - 1] ?? null;
  for (const e of entities) {
    if (e.type !== 'color' && e.type !== 'size') continue;
    const words = [String(e.value ?? ''), e.text].map((w) => w.toLowerCase()).filter(Boolean);
    const hit = items.find((i) => words.some((w) => variantOf(i.name).includes(w)));
    if (hit) return hit;
  }
  // "the parka", "the Cragline one": the head noun or the brand of a shown item.
  const named = items.find((i) => {
    const words = nameWords(i.name);
    return [words[0], words.at(-1)].some((w) => w !== undefined && w.length > 2 && wordIn(w, text));
  });
  if (named) return named;
  if (DEICTIC.test(text)) return focusItem(state);
  return null;
}

/**
 * A reference that can only mean an item of the last list: an ordinal ("the second one"), a number
 * ("option 2"), or a variant word with "one" ("the red one", "the copper one"). Unlike
 * referencedItem, a product type alone ("rain jacket") is not taken as a reference here: it may
 * be a new search.
 */
export function pointedItem(
  text: string,
  entities: readonly NluEntity[],
  state: DialogState,
): ShownItem | null {
  const items = state.lastItems;
  if (items.length === 0) return null;
  if (ORDINAL.test(text) || NUMBERED.test(text)) return referencedItem(text, entities, state);
  if (!/\bones?\b/i.test(text)) return null;
  const words = text
    .toLowerCase()
    .split(/[^a-z0-9/]+/)
    .filter(
      (w) =>
        w.length > 1 &&
        ![
          'the',
          'one',
          'ones',
          'a',
          'an',
          'is',
          'that',
          'this',
          'about',
          'me',
          'tell',
          'more',
          'like',
        ].includes(w),
    );
  for (const w of words) {
    const hit = items.find((i) =>
      variantOf(i.name)
        .split(/[^a-z0-9/]+/)
        .includes(w),
    );
    if (hit) return hit;
  }
  return null;
}

/** The product the conversation is about: the focus, else the first of the last list. */
export function focusItem(state: DialogState): ShownItem | null {
  return state.lastItems.find((i) => i.sku === state.focusSku) ?? state.lastItems[0] ?? null;
}

/** True for "in another size", "other colours". */
export function asksOtherVariant(text: string): boolean {
  return OTHER_VARIANT.test(text);
}

/** "Cragline Rain Jacket, navy" → "Cragline Rain Jacket": the product without its variant. */
export function familyName(name: string): string {
  return name.split(',')[0]!.trim();
}

/** The variant part of a name ("navy" in "Cragline Rain Jacket, navy"), lower case. */
export function variantOf(name: string): string {
  const i = name.indexOf(',');
  return i < 0
    ? ''
    : name
        .slice(i + 1)
        .trim()
        .toLowerCase();
}

function nameWords(name: string): string[] {
  return familyName(name)
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function wordIn(word: string, text: string): boolean {
  const stem = word.endsWith('s') ? word.slice(0, -1) : word;
  return new RegExp(`\\b${stem}`, 'i').test(text);
}
