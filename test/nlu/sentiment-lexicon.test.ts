import { describe, expect, it } from 'vitest';
import { SentimentLexicon } from '../../nlu/sentiment/lexicon.js';
import { sentimentTokens } from '../../nlu/sentiment/tokenize.js';
import { labelFromScore } from '../../nlu/sentiment/types.js';

const lexicon = new SentimentLexicon();
const compound = (text: string) => lexicon.score(text).compound;
const marked = (text: string) =>
  sentimentTokens(text)
    .map((t) => (t.negated ? `NEG_${t.text}` : t.text))
    .join(' ');

describe('sentiment tokens', () => {
  it('marks the words a negator governs, up to a clause break', () => {
    expect(marked('not good')).toBe('not NEG_good');
    expect(marked("It isn't good, but the price is great")).toBe(
      'it is not NEG_good , but the price is great',
    );
    expect(marked("I don't like it")).toBe('i do not NEG_like NEG_it');
    expect(marked('didnt work at all today')).toBe('did not NEG_work NEG_at NEG_all today');
    expect(marked("can't recommend")).toBe('can not NEG_recommend');
    expect(marked("won't buy")).toBe('will not NEG_buy');
  });

  it('keeps exclamation marks, emoticons and shouting', () => {
    const tokens = sentimentTokens('GREAT phone!!! :) 😀');
    expect(tokens.map((t) => t.text)).toEqual(['great', 'phone', '!', '!', '!', ':)', '😀']);
    expect(tokens[0]!.shouted).toBe(true);
    expect(tokens[1]!.shouted).toBe(false);
  });

  it('never throws on odd input', () => {
    for (const text of [
      '',
      '   ',
      '\u0000\u0001\u001b[31m',
      '🙂🙂',
      'Привет 你好 hello',
      'x'.repeat(100_000),
    ]) {
      expect(() => sentimentTokens(text)).not.toThrow();
    }
  });
});

describe('lexicon rules', () => {
  it('flips and weakens negated words: "not good" < 0 < "not bad"', () => {
    expect(compound('not good')).toBeLessThan(0);
    expect(compound('not bad')).toBeGreaterThan(0);
    expect(compound('not bad')).toBeLessThan(compound('good'));
    expect(compound('never disappointed')).toBeGreaterThan(0);
    expect(compound('not great at all')).toBeLessThan(0);
  });

  it('intensifiers, shouting and exclamation marks raise intensity', () => {
    expect(compound('good')).toBeGreaterThan(0);
    expect(compound('very good')).toBeGreaterThan(compound('good'));
    expect(compound('very good!!!')).toBeGreaterThan(compound('very good'));
    expect(compound('GOOD')).toBeGreaterThan(compound('good'));
    expect(compound('extremely bad')).toBeLessThan(compound('bad'));
    expect(compound('slightly bad')).toBeGreaterThan(compound('bad'));
  });

  it('weighs the clause after "but" more', () => {
    expect(compound('the screen is nice but the battery is awful')).toBeLessThan(0);
    expect(compound('shipping was slow but the shoes are great')).toBeGreaterThan(0);
  });

  it('reads emoticons and emoji', () => {
    expect(compound('thanks :)')).toBeGreaterThan(0);
    expect(compound('😡')).toBeLessThan(0);
    expect(compound('👍')).toBeGreaterThan(0);
  });

  it('finds no sentiment in plain requests and catalog words', () => {
    for (const text of [
      'show me running shoes under $50',
      'I would love to see the catalog',
      'something like this but cheaper',
      'size of segment bargain hunters',
      'ok',
    ]) {
      const s = lexicon.score(text);
      expect(s.positive, text).toBe(0);
      expect(s.negative, text).toBe(0);
    }
  });

  it('scores stay within (-1, 1)', () => {
    const extreme = 'AMAZING AMAZING AMAZING excellent perfect love!!!!!!!!';
    expect(compound(extreme)).toBeLessThan(1);
    expect(compound(extreme)).toBeGreaterThan(0.95);
  });
});

describe('labelFromScore', () => {
  it('uses the neutral band, wider without lexical evidence', () => {
    expect(labelFromScore(0.1, 0.3)).toBe('neutral');
    expect(labelFromScore(0.5, 0.3)).toBe('positive');
    expect(labelFromScore(-0.5, 0.3)).toBe('negative');
    expect(labelFromScore(-0.5, 0.3, false)).toBe('neutral');
    expect(labelFromScore(-0.95, 0.3, false)).toBe('negative');
  });
});
