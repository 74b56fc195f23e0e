// Language check: is a message English? Non-English messages are flagged so the dialog answers
// politely that only English is supported, instead of guessing an intent. franc-min alone
// misreads short English chat ("show me running shoes under $50" → Swedish), so the decision is
// layered: writing system first, then common English words, and franc only for longer text.
import { franc } from 'franc-min';

/** Result of the language check. */
export interface LanguageCheck {
  /** ISO 639-3 code ("eng", "fra", …) or "und" when undetermined. */
  readonly language: string;
  /** True when the message should get the "only English is supported" answer. */
  readonly flagged: boolean;
  /** How the decision was made. */
  readonly reason: 'empty' | 'short' | 'english-words' | 'script' | 'detector';
}

// Texts with fewer letters than this are never flagged from statistics alone ("hi", "cheaper?").
const MIN_LETTERS_FOR_DETECTOR = 20;
// Share of tokens that are common English words above which a text counts as English.
const ENGLISH_WORD_SHARE = 0.3;
// Languages franc may answer with: the ones shoppers most often write in. Restricting the set
// avoids exotic answers (Scots, Tagalog …) on short Latin-script text.
const CANDIDATES = [
  'eng',
  'fra',
  'spa',
  'deu',
  'ita',
  'por',
  'nld',
  'swe',
  'dan',
  'nob',
  'pol',
  'tur',
  'ces',
  'ron',
  'hun',
  'fin',
  'ind',
  'vie',
];

// Frequent English words that are rare as words in the candidate languages (so "a", "in", "die",
// "was", "me" are left out); plus common shop and chat vocabulary.
const ENGLISH_WORDS = new Set(
  `the is are was were be been am i you your yours my mine we our us they them their he she his her it its this that
  these those what where when how why who which whose do does did done can could would should will shall may might
  must have has had of and or but not no yes to for with from by about into than then there here some any every each
  all much many more most less least very really just also only please thanks thank hi hello hey bye okay ok sorry
  show tell give get got buy bought order orders ordered want need looking look find search send help talk human
  agent price prices cheap cheaper cheapest expensive size sizes colour color shoes shoe jacket shirt product products
  item items delivery shipping ship shipped return refund available stock new best good great bad nice love like
  month week year today yesterday tomorrow last next since until under over between around below above off sale
  discount deal deals nps segment segments survey chart top customer customers how's what's where's i'm it's don't
  can't won't isn't`.split(/\s+/),
);

/** Checks whether `text` is English; never throws. */
export function checkLanguage(text: unknown): LanguageCheck {
  const value = typeof text === 'string' ? text.slice(0, 5_000) : '';
  const letters = [...value.matchAll(/\p{L}/gu)].length;
  if (letters === 0) return { language: 'und', flagged: false, reason: 'empty' };
  const latin = [...value.matchAll(/\p{Script=Latin}/gu)].length;
  // Mostly another writing system (Cyrillic, Han, Arabic …): not English, whatever the length.
  if (latin / letters < 0.5) {
    const guess = franc(value, { minLength: 1 });
    return { language: guess, flagged: true, reason: 'script' };
  }
  const tokens = value.toLowerCase().match(/[\p{L}']+/gu) ?? [];
  const english = tokens.filter((t) => ENGLISH_WORDS.has(t)).length;
  if (english > 0 && english / tokens.length >= ENGLISH_WORD_SHARE) {
    return { language: 'eng', flagged: false, reason: 'english-words' };
  }
  if (letters < MIN_LETTERS_FOR_DETECTOR) return { language: 'und', flagged: false, reason: 'short' };
  const guess = franc(value, { only: CANDIDATES, minLength: MIN_LETTERS_FOR_DETECTOR });
  // A text with some English words that franc still calls foreign is left unflagged: a wrong
  // "English only" answer to an English speaker is worse than a missed foreign message.
  const flagged = guess !== 'eng' && guess !== 'und' && english / Math.max(1, tokens.length) < 0.15;
  return { language: guess, flagged, reason: 'detector' };
}
