// A small hand-written polarity lexicon with the rules a lexicon method gets right: negation
// ("not good" < 0, "not bad" > 0), intensifiers and down-toners ("very good" > "good"),
// shouting and exclamation marks ("GREAT!!!" > "great"), and contrast ("ok but awful" leans to the
// clause after "but"). Its scores are features of the trained head, not the decision itself: the
// word list generalises to domains the training sentences never saw.
import { sentimentTokens, type SentimentToken } from './tokenize.js';

// Strength 1 = mild, 2 = clear, 3 = strong. Written for this project (customer messages and reviews).
const POSITIVE: Record<number, string> = {
  // Left out on purpose: "ok"/"okay" (acknowledgements in chat), "like" (mostly a preposition:
  // "something like this"), and catalog words such as "cheap", "small", "clear", "value".
  1: `fine decent fair reasonable adequate fast quick easy clean comfortable comfy cute fun friendly helpful
      useful solid sturdy reliable works worked working recommend liked pleasant nice pretty smooth soft fresh
      tasty affordable handy glad satisfied satisfying pleased enjoy enjoyed enjoying worth improved improvement
      correct secure safe lucky thanks thank welcome beautifully properly nicely generous convenient responsive
      attentive courteous polite`,
  // "bargain" is left out: "bargain hunters" names a customer segment here, it is not praise.
  2: `good great loved loves lovely beautiful impressive impressed delicious yummy perfectly wonderful happy
      favorite favourite best better efficient pleasure recommended yay cool terrific fabulous brilliant
      enjoyable sweet thrilled excited delighted perfect fantastic`,
  3: `amazing outstanding exceptional incredible phenomenal spectacular magnificent flawless superb awesome
      excellent masterpiece heavenly marvelous marvellous extraordinary stellar love`,
};

const NEGATIVE: Record<number, string> = {
  1: `slow late expensive pricey overpriced difficult confusing confused noisy loud bland boring weak cheaply
      mediocre meh average odd weird strange issue issues problem problems flimsy lacking unclear annoying
      annoyed sorry unfortunately unfortunate doubt dull dirty stale soggy greasy salty tough rude wrong fail
      fails failed missing lost refund return returned uncomfortable inconvenient unhelpful unprofessional overcooked undercooked dry
      burnt burned waited`,
  2: `bad poor poorly disappointing disappointed disappointment unhappy sad angry mad upset waste wasted broken
      broke break breaks junk crap sucked suck defective faulty frustrating frustrated dislike disliked ugly
      nasty gross inedible unacceptable avoid worse mistake regret unreliable unusable
      unpleasant dissatisfied complaint complain complained lousy shoddy garbage trash insult insulted rubbish
      ridiculous`,
  3: `terrible horrible awful worst disgusting pathetic atrocious dreadful abysmal appalling horrendous hated
      hate useless disaster scam fraud ripoff nightmare sucks worthless`,
};

const EMOTICONS: Record<string, number> = {
  ':)': 2,
  ':-)': 2,
  ':d': 2,
  ':-d': 2,
  ';)': 1,
  ':p': 1,
  '<3': 2,
  ':(': -2,
  ':-(': -2,
  '😀': 2,
  '😃': 2,
  '😄': 2,
  '😁': 2,
  '😊': 2,
  '🙂': 1,
  '😍': 3,
  '🥰': 3,
  '👍': 2,
  '❤': 2,
  '❤️': 2,
  '🎉': 2,
  '😞': -2,
  '😠': -3,
  '😡': -3,
  '🤬': -3,
  '😢': -2,
  '😭': -2,
  '👎': -2,
  '🙁': -1,
  '☹': -2,
  '💩': -2,
};

// Multipliers of the next sentiment word (within two tokens).
const INTENSIFIERS: Record<string, number> = {
  very: 1.5,
  really: 1.4,
  so: 1.3,
  extremely: 1.8,
  super: 1.5,
  totally: 1.5,
  absolutely: 1.6,
  incredibly: 1.7,
  highly: 1.5,
  truly: 1.4,
  completely: 1.5,
  utterly: 1.7,
  most: 1.3,
  too: 1.2,
  quite: 1.1,
  such: 1.3,
};
const DOWNTONERS: Record<string, number> = {
  slightly: 0.6,
  somewhat: 0.6,
  bit: 0.6,
  little: 0.7,
  fairly: 0.8,
  kinda: 0.7,
  rather: 0.8,
  almost: 0.7,
};

const REQUEST_MARKERS = new Set(['would', "i'd", "we'd", "you'd", 'id']);

function buildLexicon(): Map<string, number> {
  const lexicon = new Map<string, number>();
  for (const [table, sign] of [
    [POSITIVE, 1],
    [NEGATIVE, -1],
  ] as const) {
    for (const [strength, words] of Object.entries(table)) {
      for (const word of words.split(/\s+/).filter(Boolean)) lexicon.set(word, sign * Number(strength));
    }
  }
  for (const [emoticon, value] of Object.entries(EMOTICONS)) lexicon.set(emoticon, value);
  return lexicon;
}

/** What the lexicon rules found in a text. */
export interface LexiconScore {
  /** Normalised polarity in (-1, 1); 0 when no sentiment word was found. */
  readonly compound: number;
  /** Sum of positive contributions after rules (≥ 0). */
  readonly positive: number;
  /** Sum of negative contributions after rules, as a magnitude (≥ 0). */
  readonly negative: number;
  /** Number of sentiment-bearing tokens. */
  readonly hits: number;
  /** Whether a negator appeared. */
  readonly negation: boolean;
  /** Exclamation marks (capped at 4). */
  readonly exclamations: number;
  /** Question marks (capped at 4). */
  readonly questions: number;
}

/** Polarity lexicon with negation, intensity and contrast rules. */
export class SentimentLexicon {
  private readonly words = buildLexicon();

  /** Polarity of one word (0 when unknown). */
  polarity(word: string): number {
    return this.words.get(word.toLowerCase()) ?? 0;
  }

  /** Scores a text (or its tokens) with the rules. */
  score(input: string | readonly SentimentToken[]): LexiconScore {
    const tokens = typeof input === 'string' ? sentimentTokens(input) : input;
    const butIndex = tokens.findIndex((t) => t.text === 'but' || t.text === 'however');
    let positive = 0;
    let negative = 0;
    let hits = 0;
    tokens.forEach((token, i) => {
      let value = this.words.get(token.text) ?? 0;
      // "I would like …" / "I'd love to …" is a request, not an opinion.
      if (value > 0 && REQUEST_MARKERS.has(tokens[i - 1]?.text ?? '')) value = 0;
      if (value === 0) return;
      hits += 1;
      for (const previous of [tokens[i - 1], tokens[i - 2]]) {
        if (!previous) continue;
        value *= INTENSIFIERS[previous.text] ?? DOWNTONERS[previous.text] ?? 1;
      }
      if (token.shouted) value *= 1.3;
      // A negated word flips and weakens: "not great" is mildly negative, "not bad" mildly positive.
      if (token.negated) value *= -0.6;
      if (butIndex >= 0) value *= i < butIndex ? 0.5 : 1.5;
      if (value > 0) positive += value;
      else negative -= value;
    });
    const exclamations = Math.min(4, tokens.filter((t) => t.text === '!').length);
    const questions = Math.min(4, tokens.filter((t) => t.text === '?').length);
    const raw = (positive - negative) * (1 + 0.15 * exclamations);
    // Squash to (-1, 1); 4 ≈ one strong word reaching ~0.6, so several words are needed near ±1.
    const compound = raw / Math.sqrt(raw * raw + 4);
    return {
      compound,
      positive,
      negative,
      hits,
      negation: tokens.some((t) => t.negated),
      exclamations,
      questions,
    };
  }
}
