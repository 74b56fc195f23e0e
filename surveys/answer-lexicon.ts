// Word lists for reading typed survey answers. Intensities run from -3 (strongest disagreement,
// "strongly disagree", "very inaccurate") through 0 (neutral) to +3; they map onto any bipolar
// scale length (see `intensityToValue`). Hand-written because no maintained English library maps
// survey replies ("not really", "kinda", "defo") onto scale points.

/** Answer phrases with a direction and strength, matched longest-first on normalised tokens. */
export const POLAR: Record<string, number> = {
  // strong agreement / accuracy / satisfaction
  defo: 3, certainly: 3, 'for sure': 3, 'very much so': 3, 'hell yes': 3, 'of course': 3, 'couldnt agree more': 3,
  exactly: 3, 'spot on': 3, 'thats me': 3, 'so true': 3, always: 3, 'love it': 3, excellent: 3,
  perfect: 3, amazing: 3, awesome: 3, fantastic: 3, outstanding: 3, 'loved it': 3,
  'strongly agree': 3, 'agree strongly': 3, 'very accurate': 3, 'very satisfied': 3, 'extremely likely': 3,
  // agreement
  agree: 2, agreed: 2, yes: 2, yeah: 2, yea: 2, yep: 2, yup: 2, ya: 2, ye: 2, aye: 2, true: 2,
  accurate: 2, satisfied: 2, happy: 2, pleased: 2, likely: 2, mostly: 2, 'pretty much': 2,
  'i think so': 2, sure: 2, good: 2, great: 2, often: 2, usually: 2, correct: 2, right: 2,
  'describes me': 2, 'like me': 2, 'thats right': 2, 'more often than not': 2, nice: 2,
  // weak agreement
  'a little bit': 1, partially: 1, 'i guess': 1, 'i guess so': 1, 'i suppose': 1,
  'i suppose so': 1, probably: 1, fairly: 1, 'to some extent': 1, 'a little accurate': 1,
  // neutral
  neutral: 0, neither: 0, 'neither agree nor disagree': 0, 'not sure': 0, unsure: 0, maybe: 0,
  perhaps: 0, meh: 0, 'so so': 0, 'in between': 0, 'in the middle': 0, middle: 0, 'it depends': 0,
  depends: 0, sometimes: 0, average: 0, ok: 0, okay: 0, fine: 0, alright: 0, 'fifty fifty': 0,
  'half and half': 0, 'cant decide': 0, undecided: 0, indifferent: 0, 'more or less': 0, mixed: 0,
  'yes and no': 0, 'no opinion': 0, 'hard to say': 0, 'not bad not good': 0, 'on the fence': 0,
  // weak disagreement
  'not quite': -1, 'not exactly': -1, 'not entirely': -1, 'not very': -1, 'not totally': -1,
  'not completely': -1, 'not always': -1,
  // disagreement
  disagree: -2, disagreed: -2, no: -2, nope: -2, nah: -2, naw: -2, 'not really': -2, false: -2,
  inaccurate: -2, wrong: -2, unlikely: -2, dissatisfied: -2, unsatisfied: -2, unhappy: -2,
  rarely: -2, seldom: -2, hardly: -2, 'not much': -2, 'not so much': -2, 'not me': -2,
  incorrect: -2, bad: -2, poor: -2, disappointed: -2, disappointing: -2, 'not really me': -2,
  // strong disagreement
  'strongly disagree': -3, 'disagree strongly': -3, 'not at all': -3, 'absolutely not': -3,
  'definitely not': -3, never: -3, 'no way': -3, 'hell no': -3, 'not in the slightest': -3,
  'not one bit': -3, terrible: -3, awful: -3, horrible: -3, 'hate it': -3, 'far from it': -3,
  'couldnt disagree more': -3, 'very inaccurate': -3, 'very dissatisfied': -3, 'not at all likely': -3,
  'of course not': -3, 'certainly not': -3, 'totally not': -3,
};

/** Negative phrases that, directly before a positive word, replace it ("not at all likely"). */
export const NEG_PREFIX = new Set(['not at all', 'not really', 'not quite', 'not exactly', 'not very', 'not entirely', 'not totally', 'not completely', 'not so much', 'not much']);

/** Modifiers of a following (or preceding) polar word: the strength they set. */
export const MODIFIERS: Record<string, number> = {
  strongly: 3, very: 3, totally: 3, completely: 3, absolutely: 3, really: 3, extremely: 3,
  fully: 3, so: 3, super: 3, definitely: 3, entirely: 3, highly: 3, 'very much': 3, quite: 2,
  moderately: 2, somewhat: 1, slightly: 1, 'kind of': 1, kinda: 1, 'sort of': 1, sorta: 1,
  'a bit': 1, 'a little': 1, partly: 1, fairly: 1, mildly: 1,
};

/** What a modifier means when it stands alone ("absolutely", "somewhat"): a (positive) answer. */
export const STANDALONE_MODIFIERS: Record<string, number> = {
  absolutely: 3, definitely: 3, totally: 3, completely: 3, very: 3, 'very much': 3, entirely: 3,
  fully: 3, quite: 2, moderately: 2, somewhat: 1, slightly: 1, 'kind of': 1, kinda: 1, 'sort of': 1,
  sorta: 1, 'a bit': 1, 'a little': 1, partly: 1, fairly: 1, mildly: 1,
};

/** Words that reverse the next polar word ("I don't agree"). */
export const NEGATORS = new Set(['not', 'dont', 'doesnt', 'isnt', 'wouldnt', 'cant', 'cannot', 'wont', 'arent', 'didnt', 'aint']);

/** Non-substantive replies: the respondent declines this item. */
export const SKIP_PHRASES = [
  'skip', 'skip it', 'skip this', 'skip this one', 'pass', 'next', 'next question', 'prefer not to say',
  'prefer not to answer', 'rather not say', 'rather not answer', 'id rather not say', 'id rather not answer',
  'no comment', 'n a', 'na', 'idk', 'dunno', 'dont know', 'i dont know', 'no idea', 'no answer',
  'not applicable', 'does not apply', 'doesnt apply', 'cant say', 'decline', 'id prefer not to say',
];

/** Number words, so "four" and "a solid seven" count as numbers. */
export const NUMBER_WORDS: Record<string, number> = {
  zero: 0, nil: 0, nought: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7,
  eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
};

/** Common words that are one typo away from a lexicon word and must not be "corrected" into it. */
export const PROTECTED_WORDS = new Set([
  'none', 'ever', 'tree', 'fore', 'free', 'note', 'nose', 'ones', 'gone', 'done', 'tone', 'bone',
  'agent', 'very', 'yesterday', 'your', 'yours', 'some', 'same', 'save', 'sale', 'suite', 'sense',
  'more', 'mode', 'fire', 'fines', 'nines', 'this', 'that', 'then', 'than', 'them', 'they', 'like',
  'give', 'gave', 'would', 'could', 'should', 'rate', 'rated', 'it', 'score', 'think', 'thing',
  'really', 'about', 'with', 'just', 'what', 'when', 'where', 'which', 'know', 'sort', 'kind',
  'says', 'said', 'much', 'such', 'most', 'must', 'great', 'treat', 'trust', 'true', 'trues',
]);

/** Emoji → intensity (skin-tone modifiers and variation selectors are stripped first). */
export const EMOJI: Record<string, number> = {
  '👍': 2, '👎': -2, '👌': 2, '💯': 3, '❤': 3, '😍': 3, '🤩': 3, '🥰': 3, '😀': 2, '😃': 2, '😄': 2,
  '😁': 2, '🙂': 1, '😊': 2, '☺': 2, '😐': 0, '😑': 0, '🤷': 0, '😶': 0, '🤔': 0, '😕': -1, '🙁': -2,
  '☹': -2, '😞': -2, '😟': -2, '😢': -2, '😠': -3, '😡': -3, '🤬': -3, '🤮': -3, '💩': -3, '✅': 2,
  '❌': -2, '🙌': 3, '👏': 2, '🔥': 3, '😒': -2, '😬': -1, '🆗': 0,
};

/** Star characters counted as a rating ("⭐⭐⭐⭐" = 4). */
export const STARS = /[⭐★🌟]/gu;
