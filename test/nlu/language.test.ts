import { describe, expect, it } from 'vitest';
import { checkLanguage } from '../../nlu/index.js';

describe('checkLanguage: English is never flagged', () => {
  it.each([
    'hi',
    'hey',
    'ok',
    'thanks!',
    'cheaper?',
    'nps this month',
    'size 42',
    'red ones?',
    'Nike Pegasus',
    'show me running shoes under $50',
    'What is the price of the red shoes?',
    'I would like to talk to a human please',
    'size of segment bargain hunters',
    'top products bought with coffee',
    'chart of openness by age band',
    'Is this available in blue?',
    'Where is my order? It has been two weeks',
    'Something like this but cheaper',
    'between 20 and 30 euros',
    'The jacket arrived broken and nobody answers my emails',
    'Do you have waterproof hiking boots in stock for winter?',
    'Crust is not good.',
    'Wow... Loved this place.',
  ])('%j', (text) => {
    expect(checkLanguage(text).flagged).toBe(false);
  });
});

describe('checkLanguage: other languages are flagged', () => {
  it.each([
    ['Bonjour, je cherche des chaussures rouges pour ma fille', 'fra'],
    ['Hola, quiero comprar unos zapatos baratos para correr', 'spa'],
    ['Guten Tag, ich suche rote Schuhe für meine Tochter', 'deu'],
    ['Ciao, vorrei delle scarpe rosse per mia figlia', 'ita'],
    ['Olá, quero comprar sapatos vermelhos para minha filha', 'por'],
    ['Goedemiddag, ik wil graag rode schoenen kopen', null], // franc-min reads this Dutch as German: still flagged
    ['Wo ist meine Bestellung? Ich warte seit zwei Wochen', 'deu'],
  ])('%j', (text, language) => {
    const result = checkLanguage(text);
    expect(result.flagged).toBe(true);
    expect(result.language).not.toBe('eng');
    if (language) expect(result.language).toBe(language);
  });

  it.each([
    'Привет, мне нужны туфли',
    '你好，我想买鞋',
    'مرحبا، أريد شراء حذاء',
    'こんにちは',
    'Привет hello 你好',
  ])('flags another writing system even when short: %j', (text) => {
    expect(checkLanguage(text)).toMatchObject({ flagged: true, reason: 'script' });
  });
});

describe('checkLanguage: odd input', () => {
  it.each(['', '   ', '😀😀😀', '12345', '$$$ !!!', '\u0000\u0007', '👍'])('does not flag %j', (text) => {
    expect(checkLanguage(text)).toMatchObject({ flagged: false, reason: 'empty' });
  });

  it('handles 100 kB and non-strings without throwing', () => {
    expect(checkLanguage('please help me find shoes '.repeat(4_000)).flagged).toBe(false);
    expect(checkLanguage(undefined).flagged).toBe(false);
    expect(checkLanguage(42).flagged).toBe(false);
  });
});
