import { describe, expect, it } from 'vitest';
import { decisionInput, nluResult } from '../support/dialog-input.js';
import { decide, filtersFromEntities } from '../../bots/dialog/decide.js';
import { initialState, parseState } from '../../bots/dialog/state.js';
import { describeExport, surveyReply } from '../../bots/dialog/execute.js';
import type { NluEntity } from '../../bots/ports.js';

const nlu = nluResult;

const input = decisionInput;

describe('decide: customer intents', () => {
  it('turns a product search with a price entity into a filtered search', () => {
    const entities: NluEntity[] = [{ type: 'price', text: 'under 100', max: 100, currency: 'USD' }];
    const d = decide(input('I need a warm jacket under 100', nlu('product_search', 0.93, { entities })));
    expect(d.action).toEqual({
      kind: 'search',
      text: 'I need a warm jacket under 100',
      filters: { maxPrice: 100 },
    });
    expect(d.state.turns).toBe(1);
  });

  it('maps the canned intents to replies', () => {
    for (const intent of ['greet', 'help', 'thanks', 'goodbye', 'smalltalk']) {
      expect(decide(input('x', nlu(intent))).action).toEqual({ kind: 'reply', reply: intent });
    }
  });

  it('uses the last shown product for "more like this", "cheaper" and "bought together"', () => {
    const state = { lastSkus: ['JKT-1', 'JKT-2'] };
    expect(decide(input('more like this', nlu('more_like_this'), state)).action).toEqual({
      kind: 'similar',
      sku: 'JKT-1',
      cheaper: false,
    });
    expect(decide(input('anything cheaper?', nlu('cheaper'), state)).action).toEqual({
      kind: 'similar',
      sku: 'JKT-1',
      cheaper: true,
    });
    expect(
      decide(input('what goes with it', nlu('bought_together'), { ...state, focusSku: 'JKT-2' })).action,
    ).toEqual({ kind: 'together', sku: 'JKT-2' });
  });

  it('prefers a product named in the message over the focus', () => {
    const entities: NluEntity[] = [{ type: 'product', text: 'alpine shell', value: 'JKT-9' }];
    const d = decide(
      input('more like the alpine shell', nlu('more_like_this', 0.9, { entities }), { lastSkus: ['JKT-1'] }),
    );
    expect(d.action).toEqual({ kind: 'similar', sku: 'JKT-9', cheaper: false });
    expect(d.state.focusSku).toBe('JKT-9');
  });

  it('asks which product when there is nothing to refer to', () => {
    expect(decide(input('more like this', nlu('more_like_this'))).action).toEqual({
      kind: 'reply',
      reply: 'no_focus_product',
    });
  });

  it('starts the personality survey by default and remembers it', () => {
    const d = decide(input('I want to take the personality test', nlu('survey_start')));
    expect(d.action).toEqual({ kind: 'survey_start', instrumentId: 'mini-ipip-20' });
    expect(d.state.survey).toBe('mini-ipip-20');
  });

  it('feedback starts NPS and passes a score given up front', () => {
    const entities: NluEntity[] = [{ type: 'number', text: '9', value: 9 }];
    expect(decide(input('I would give you a 9', nlu('feedback', 0.9, { entities }))).action).toEqual({
      kind: 'survey_start',
      instrumentId: 'nps',
      firstAnswer: '9',
    });
  });

  it('handoff, opt in/out, export and forget (with confirmation)', () => {
    expect(decide(input('human please', nlu('handoff'))).action.kind).toBe('handoff');
    expect(decide(input('sign me up for your newsletter', nlu('opt_in'))).action).toEqual({
      kind: 'opt',
      optIn: true,
    });
    expect(decide(input('unsubscribe', nlu('opt_out'))).action).toEqual({ kind: 'opt', optIn: false });
    expect(decide(input('what do you know about me', nlu('data_export'))).action).toEqual({ kind: 'export' });
    const asked = decide(input('forget me', nlu('data_forget')));
    expect(asked.action).toEqual({ kind: 'confirm', change: 'forget' });
    expect(asked.state.pendingConfirm).toBe('forget');
    expect(decide(input('yes', nlu('affirm'), asked.state)).action).toEqual({ kind: 'forget' });
    const cancelled = decide(input('no', nlu('deny'), asked.state));
    expect(cancelled.action).toEqual({ kind: 'reply', reply: 'cancelled' });
    expect(cancelled.state.pendingConfirm).toBeNull();
  });
});

describe('decide: guards', () => {
  it('relays the message to the person while a human has the conversation (the bot says nothing)', () => {
    expect(decide(input('hello?', nlu('greet'), {}, { handoffOpen: true })).action).toEqual({
      kind: 'relay',
      text: 'hello?',
    });
  });

  it('answers non-English politely instead of guessing an intent', () => {
    expect(
      decide(input('quiero una chaqueta', nlu('product_search', 0.9, { language: 'spa' }))).action,
    ).toEqual({ kind: 'reply', reply: 'non_english' });
    expect(decide(input('4', nlu('feedback', 0.9, { language: 'und' }))).action.kind).toBe('survey_start');
  });

  it('offers two buttons when confidence is low', () => {
    const result = nlu('recommend', 0.41, {
      ranking: [
        { intent: 'recommend', confidence: 0.41 },
        { intent: 'affirm', confidence: 0.3 },
        { intent: 'product_search', confidence: 0.2 },
      ],
    });
    const d = decide(input('something nice maybe', result));
    expect(d.action).toEqual({
      kind: 'disambiguate',
      options: ['recommend', 'product_search'],
      text: 'something nice maybe',
    });
    expect(d.state.disambiguation).toEqual(['recommend', 'product_search']);
  });

  it('says what it can do instead when out of scope', () => {
    expect(
      decide(input('what is the capital of peru', nlu('smalltalk', 0.9, { outOfScope: true }))).action,
    ).toEqual({ kind: 'reply', reply: 'off_topic' });
  });

  it('a "did you mean" button runs the chosen intent without a second guess', () => {
    const d = decide({
      ...input('', null),
      message: {
        text: 'Find a product',
        attachments: [],
        action: { a: 'intent', intent: 'recommend', text: '' },
      },
    });
    expect(d.action).toEqual({ kind: 'recommend' });
  });

  it('product buttons act on their SKU', () => {
    const d = decide({
      ...input('More like this', null),
      message: { text: 'More like this', attachments: [], action: { a: 'more', sku: 'S1' } },
    });
    expect(d.action).toEqual({ kind: 'similar', sku: 'S1', cheaper: false });
    expect(d.state.focusSku).toBe('S1');
  });

  it('attachments without text get a polite answer', () => {
    expect(
      decide({ ...input('', null), message: { text: '', attachments: [{ contentType: 'image/png' }] } })
        .action,
    ).toEqual({ kind: 'reply', reply: 'unsupported_attachment' });
  });

  it('NLU failure is answered, not thrown', () => {
    expect(decide(input('hello', null)).action).toEqual({ kind: 'reply', reply: 'out_of_scope' });
  });
});

describe('decide: surveys', () => {
  const inSurvey = { survey: 'big-five' };

  it('takes any message as an answer while a survey runs', () => {
    expect(decide(input('agree', nlu('affirm'), inSurvey)).action).toEqual({
      kind: 'survey_answer',
      instrumentId: 'big-five',
      text: 'agree',
    });
    expect(decide(input('jackets', nlu('product_search', 0.95), inSurvey)).action.kind).toBe('survey_answer');
  });

  it('lets a confident control intent interrupt the survey', () => {
    const d = decide(input('stop the survey', nlu('survey_stop', 0.95), inSurvey));
    expect(d.action).toEqual({ kind: 'survey_stop', instrumentId: 'big-five' });
    expect(d.state.survey).toBeNull();
    expect(decide(input('stop', nlu('survey_stop', 0.6), inSurvey)).action.kind).toBe('survey_answer');
  });

  it('resumes the conversation survey on "continue"', () => {
    expect(decide(input('continue', nlu('survey_continue'), { survey: 'nps' })).action.kind).toBe(
      'survey_answer',
    );
    expect(decide(input('continue the survey', nlu('survey_continue'))).action).toEqual({
      kind: 'survey_start',
      instrumentId: 'mini-ipip-20',
    });
  });

  it('stopping with no survey says so', () => {
    expect(decide(input('stop the survey', nlu('survey_stop'))).action).toEqual({
      kind: 'reply',
      reply: 'no_survey_active',
    });
  });

  it('phrases a survey step with progress and buttons, and clears the survey at the end', () => {
    const q = surveyReply(
      {
        kind: 'question',
        instrumentId: 'big-five',
        itemId: 'e1',
        text: 'I am the life of the party.',
        index: 3,
        total: 20,
        options: [{ label: '4 · Agree', value: '4' }],
      },
      initialState(),
    );
    expect(q.replies[0]).toEqual({
      kind: 'text',
      text: '(3 of 20) I am the life of the party.',
      suggestions: [{ title: '4 · Agree', text: '4' }],
      tag: 'survey:big-five',
    });
    expect(q.state.survey).toBe('big-five');
    const done = surveyReply(
      { kind: 'completed', instrumentId: 'big-five', text: 'Thanks!' },
      { ...initialState(), survey: 'big-five' },
    );
    expect(done.state.survey).toBeNull();
  });
});

describe('state and helpers', () => {
  it('starts over on an invalid stored state', () => {
    expect(parseState({}).valid).toBe(true);
    expect(parseState({ v: 99 })).toEqual({ state: initialState(), valid: false });
    const s = { ...initialState(), turns: 3, survey: 'nps' };
    expect(parseState(JSON.parse(JSON.stringify(s))).state).toEqual(s);
  });

  it('builds filters from price ranges and categories', () => {
    expect(
      filtersFromEntities([
        { type: 'price', text: 'between 20 and 30', min: 20, max: 30 },
        { type: 'category', text: 'shoes', value: 'footwear' },
      ]),
    ).toEqual({ minPrice: 20, maxPrice: 30, category: 'footwear' });
  });

  it('summarises an export', () => {
    const text = describeExport({ customerId: 'c1', messages: [1, 2], profile: { a: 1 } });
    expect(text).toContain('messages: 2 records');
    expect(text).toContain('customerId: c1');
    const profiled = describeExport({
      profile: { traits: { intellect: 4.25 }, percentiles: { intellect: 81.6 }, npsClass: 'promoter' },
    });
    expect(profiled).toContain('intellect 4.3 of 5, higher than 82% of people');
    expect(profiled).toContain('you are a promoter');
  });
});
