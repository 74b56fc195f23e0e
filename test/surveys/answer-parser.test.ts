import { describe, expect, it } from 'vitest';
import { SCALE_PRESETS, intensityToValue, parseScaleAnswer, type ParsedAnswer } from '../../surveys/index.js';

// What the parser returns, reduced to the CLI's vocabulary: a number, "skip" or "invalid".
type Short = number | 'skip' | 'invalid' | 'out';
const short = (p: ParsedAnswer): Short =>
  p.kind === 'value' ? p.value : p.kind === 'skip' ? 'skip' : p.kind === 'out-of-range' ? 'out' : 'invalid';

/** One test per typed answer: what `parseScaleAnswer` reads it as on `scale`. */
function scaleCases(
  title: string,
  scale: Parameters<typeof parseScaleAnswer>[1],
  cases: [string, Short][],
): void {
  describe(title, () => {
    it.each(cases)('%j → %j', (answer, expected) => {
      expect(short(parseScaleAnswer(answer, scale))).toBe(expected);
    });
  });
}

scaleCases('parseScaleAnswer on a 5-point agreement scale', SCALE_PRESETS.agree5, [
  ['4', 4],
  [' 5 ', 5],
  ['1', 1],
  ['I would say 2', 2],
  ['4/5', 4],
  ['4 out of 5', 4],
  ['a solid 4!', 4],
  ['four', 4],
  ['Five.', 5],
  ['fuor', 4],
  ['thre', 3],
  ['strongly agree', 5],
  ['Strongly Agree!!', 5],
  ['agree', 4],
  ['I agree', 4],
  ['yes', 4],
  ['yeah', 4],
  ['yep', 4],
  ['Yes, definitely', 5],
  ['absolutely', 5],
  ['100%', 5],
  ['totally agree', 5],
  ['agree strongly', 5],
  ['somewhat agree', 4],
  ['kinda', 4],
  ['neutral', 3],
  ['neither agree nor disagree', 3],
  ['not sure', 3],
  ['meh', 3],
  ['maybe', 3],
  ['50/50', 3],
  ['so-so', 3],
  ['disagree', 2],
  ['I disagree', 2],
  ["I don't agree", 2],
  ['no', 2],
  ['nope', 2],
  ['not really', 2],
  ['Not really.', 2],
  ['strongly disagree', 1],
  ['not at all', 1],
  ['never', 1],
  ['absolutely not', 1],
  ['hell no', 1],
  ['no way', 1],
  ['I do not agree at all', 1],
  ['stongly agre', 5],
  ['strongy disagre', 1],
  ['disagre', 2],
  ['agre', 4],
  ['nuetral', 3],
  ['definately', 5],
  ['yesss', 4],
  ['noooo', 2],
  ['👍', 4],
  ['👍👍', 5],
  ['👎', 2],
  ['😐', 3],
  ['😍', 5],
  ['😡', 1],
  ['👍🏽', 4],
  ['skip', 'skip'],
  ['Skip this one', 'skip'],
  ['pass', 'skip'],
  ['prefer not to say', 'skip'],
  ["I'd rather not say", 'skip'],
  ['n/a', 'skip'],
  ['idk', 'skip'],
  ["don't know", 'skip'],
  ['6', 'out'],
  ['0', 'out'],
  ['-1', 'out'],
  ['10', 'out'],
  ['3.5', 'invalid'],
  ['3 or 4', 'invalid'],
  ['between 3-4', 'invalid'],
  ['banana', 'invalid'],
  ['', 'invalid'],
  ['???', 'invalid'],
  ['yes and no', 3],
  ['5 - strongly agree', 5],
  ['1 - strongly disagree', 1],
  ['5 strongly disagree', 'invalid'],
  ['agree 👍', 4],
  ['agree 👎', 'invalid'],
  ['8/10', 'invalid'],
  ['none', 'invalid'],
  ['nice', 4],
]);

scaleCases('parseScaleAnswer on the IPIP accuracy scale', SCALE_PRESETS.accuracy5, [
  ['very accurate', 5],
  ['Moderately accurate', 4],
  ['moderately inaccurate', 2],
  ['very inaccurate', 1],
  ['neither inaccurate nor accurate', 3],
  ['not very accurate', 2],
  ['not accurate', 2],
  ['not at all accurate', 1],
  ['thats me', 5],
  ['not me', 2],
  ['sometimes', 3],
  ['rarely', 2],
  ['accurate', 4],
  ['inacurate', 2],
  ['very', 5],
  ['somewhat', 4],
]);

scaleCases('parseScaleAnswer on NPS 0–10', SCALE_PRESETS.nps, [
  ['10', 10],
  ['0', 0],
  ['9!', 9],
  ['10/10', 10],
  ['8 out of 10', 8],
  ["I'd give it a 7", 7],
  ['seven', 7],
  ['sevn', 7],
  ['ten', 10],
  ['zero', 0],
  ['Definitely a 10', 10],
  ['extremely likely', 10],
  ['not at all likely', 0],
  ['11', 'out'],
  ['-2', 'out'],
  ['7.5', 'invalid'],
  ['8 or 9', 'invalid'],
  ['very likely', 'invalid'],
  ['👍', 'invalid'],
  ['skip', 'skip'],
  ['4/5', 'invalid'],
]);

scaleCases('parseScaleAnswer on CSAT', SCALE_PRESETS.csat, [
  ['very satisfied', 5],
  ['satisfied', 4],
  ['dissatisfied', 2],
  ['very dissatisfied', 1],
  ['it was ok', 3],
  ['terrible', 1],
  ['loved it', 5],
  ['⭐⭐⭐⭐', 4],
  ['★★☆☆☆', 2],
  ['not happy', 2],
  ['unhappy', 2],
]);

describe('intensityToValue', () => {
  it('maps -3..3 onto odd and even scales symmetrically', () => {
    expect([-3, -2, -1, 0, 1, 2, 3].map((i) => intensityToValue(i, 1, 5))).toEqual([1, 2, 2, 3, 4, 4, 5]);
    expect([-3, -2, -1, 0, 1, 2, 3].map((i) => intensityToValue(i, 1, 7))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect([-3, -2, -1, 1, 2, 3].map((i) => intensityToValue(i, 1, 6))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(intensityToValue(0, 1, 6)).toBeNull();
  });
});
