// Reading marketer questions (pure): kinds, entities from the data's vocabulary, periods, segment
// definitions in plain language, and "I need a bit more" only when something required is missing.
import { describe, expect, it } from 'vitest';
import { parseSegmentDefinition } from '../../bots/marketer/segment-language.js';
import { understandQuestion } from '../../bots/marketer/understand.js';
import { readPeriod } from '../../bots/marketer/vocabulary-match.js';
import { parseRolesCommand } from '../../bots/marketer/roles.js';
import { testVocabulary } from '../support/marketer-vocabulary.js';

const vocab = testVocabulary;
const now = new Date('2026-12-04T12:00:00Z');
const ask = (text: string) => understandQuestion(text, null, vocab, now);

describe('understanding marketer questions', () => {
  it('reads the README examples', () => {
    expect(ask('how big is bargain hunters?')).toEqual({
      kind: 'segment',
      name: 'bargain hunters',
      focus: 'size',
    });
    expect(ask('size of segment bargain hunters')).toMatchObject({ kind: 'segment', focus: 'size' });
    expect(ask('chart of openness by age band')).toEqual({
      kind: 'trait_by',
      trait: 'intellect',
      by: 'ageBand',
    });
    expect(ask('top products bought with coffee')).toEqual({ kind: 'bought_together', product: 'coffee' });
    expect(ask('results big-five')).toEqual({ kind: 'survey_results', instrumentId: 'mini-ipip-20' });
    expect(ask('send me the promoters as a spreadsheet')).toEqual({
      kind: 'segment_export',
      name: 'promoters',
    });
    expect(ask('conversation volume last week')).toMatchObject({
      kind: 'conversations',
      period: { label: 'last week' },
    });
  });

  it('reads a metric with its period and segment, and names the default period', () => {
    expect(ask('NPS this month for young explorers')).toMatchObject({
      kind: 'metric',
      metric: 'nps',
      segment: 'young explorers',
      period: { label: 'this month', from: new Date('2026-12-01T00:00:00Z') },
    });
    expect(ask('csat')).toMatchObject({ kind: 'metric', metric: 'csat', period: { label: 'last 30 days' } });
    expect(readPeriod('in 2019', now)).toMatchObject({
      label: '2019',
      from: new Date('2019-01-01T00:00:00Z'),
    });
  });

  it('asks for more only when a required thing is missing, with buttons for the likely choices', () => {
    const q = ask('how big is the segment?');
    expect(q).toMatchObject({ kind: 'missing', what: 'which segment' });
    expect(q.kind === 'missing' && q.choices.map((c) => c.label)).toEqual(vocab.segments);
    expect(ask('completion rate?')).toMatchObject({ kind: 'missing', what: 'which survey' });
    expect(ask('completion rate of purchase motivation')).toEqual({
      kind: 'survey_funnel',
      instrumentId: 'purchase-motivation',
    });
  });

  it('reads segment definitions into rules, and says what it could not read', () => {
    expect(
      parseSegmentDefinition(
        'create a segment called bargain lovers with everyone whose price consciousness is above 3.5',
        vocab,
      ),
    ).toEqual({
      name: 'bargain lovers',
      rules: [{ field: 'traits.price', op: 'gt', value: 3.5 }],
      unread: [],
    });
    expect(
      parseSegmentDefinition(
        'create a segment called happy hikers with customers who are promoters and bought footwear',
        vocab,
      ),
    ).toEqual({
      name: 'happy hikers',
      rules: [
        { field: 'npsClass', op: 'eq', value: 'promoter' },
        { field: 'bought', op: 'contains', value: 'footwear' },
      ],
      unread: [],
    });
    expect(
      parseSegmentDefinition(
        'make a segment named young savers of people aged under 35 and high price consciousness',
        vocab,
      ).rules,
    ).toEqual([
      { field: 'ageBand', op: 'in', value: ['18-24', '25-34'] },
      { field: 'percentiles.price', op: 'gte', value: 70 },
    ]);
    expect(
      parseSegmentDefinition('create a segment called owls with everyone who likes the moon', vocab).unread,
    ).toEqual(['likes the moon']);
    expect(ask('create a segment called owls with everyone who likes the moon')).toMatchObject({
      kind: 'missing',
    });
  });

  it('reads roles commands', () => {
    expect(parseRolesCommand('roles add <@U123|ann> marketer')).toEqual({
      action: 'add',
      userId: 'U123',
      role: 'marketer',
    });
    expect(parseRolesCommand('roles remove <@U123>')).toEqual({ action: 'remove', userId: 'U123' });
    expect(parseRolesCommand('roles add <@U123> boss')).toEqual({ action: 'usage' });
    expect(parseRolesCommand('nps')).toBeNull();
  });
});
