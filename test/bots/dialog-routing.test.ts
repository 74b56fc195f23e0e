import { describe, expect, it } from 'vitest';
import { CANNED, decisionInput, nluResult } from '../support/dialog-input.js';
import { decide, DEFAULT_POLICY, type DecisionInput } from '../../bots/dialog/decide.js';
import { explicitRequest } from '../../bots/dialog/explicit-requests.js';
import { dialogPolicy } from '../../bots/dialog/policy.js';
import type { DialogState } from '../../bots/dialog/state.js';
import { matchInstrument } from '../../bots/dialog/survey-match.js';
import type { NluEntity, NluResult } from '../../bots/ports.js';

const INSTRUMENTS = [
  { id: 'csat', title: 'Customer satisfaction (CSAT)', description: 'One 5-point satisfaction rating.' },
  {
    id: 'ipip-bfm-50',
    title: 'Big-Five personality (IPIP 50-item factor markers)',
    description: '10 items per factor.',
  },
  { id: 'mini-ipip-20', title: 'Big-Five personality, short form (Mini-IPIP, 20 items)' },
  {
    id: 'nps',
    title: 'Net Promoter Score with follow-up',
    description:
      'The standard 0-10 likelihood-to-recommend question, an open "why?" and an improvement question.',
  },
  {
    id: 'purchase-motivation',
    title: 'What drives your purchases? (purchase-motivation inventory)',
    description: 'A 16-item inventory of four shopping motives.',
  },
  {
    id: 'store-visit-2026',
    title: 'Store visit experience',
    description: 'How was your visit to our flagship store?',
  },
];

const nlu = nluResult;

function run(
  text: string,
  result: NluResult | null,
  state: Partial<DialogState> = {},
  extra: Partial<DecisionInput> = {},
) {
  return decide(decisionInput(text, result, state, { instruments: INSTRUMENTS, ...extra }));
}

const type = (text: string): NluEntity => ({ type: 'product_type', text, value: text });
const shown = {
  lastSkus: ['JKT-1101', 'JKT-1104', 'PRK-1201'],
  lastItems: [
    { sku: 'JKT-1101', name: 'Cragline Waterproof Rain Jacket, navy', price: 145.99 },
    { sku: 'JKT-1104', name: 'Cragline Waterproof Rain Jacket, ember red', price: 121.5 },
    { sku: 'PRK-1201', name: 'Summitry Arctic Insulated Parka, black', price: 250 },
  ],
  lastSearch: { text: 'rain jacket', filters: {} },
};

describe('routing: the catalog makes a product request', () => {
  it('a bare product type the classifier does not know is a search, with the customer text', () => {
    const d = run('coffee filters', nlu('smalltalk', 0.3, { entities: [type('coffee filters')] }));
    expect(d.action).toEqual({ kind: 'search', text: 'coffee filters', filters: {} });
  });

  it('a product type beats an out-of-scope verdict', () => {
    const d = run('frothing jug', nlu('greet', 0.7, { outOfScope: true, entities: [type('frothing jug')] }));
    expect(d.action.kind).toBe('search');
  });

  it('a clearly meant other intent still wins over a catalog word', () => {
    expect(run('thanks for the jacket', nlu('thanks', 0.95, { entities: [type('jacket')] })).action).toEqual({
      kind: 'reply',
      reply: 'thanks',
    });
  });

  it('"recommend a rain jacket" searches for rain jackets', () => {
    expect(
      run('recommend a rain jacket', nlu('recommend', 0.8, { entities: [type('rain jacket')] })).action.kind,
    ).toBe('search');
  });

  it('"did you mean" buttons carry the customer text, and the chosen intent gets it', () => {
    const ranking = [
      { intent: 'product_search', confidence: 0.4 },
      { intent: 'recommend', confidence: 0.3 },
    ];
    const asked = run('zzz things', nlu('product_search', 0.4, { ranking }));
    expect(asked.action).toEqual({
      kind: 'disambiguate',
      options: ['product_search', 'recommend'],
      text: 'zzz things',
    });
    const clicked = decide({
      state: asked.state,
      message: {
        text: 'zzz things',
        attachments: [],
        action: { a: 'intent', intent: 'product_search', text: 'zzz things' },
      },
      nlu: null,
      handoffOpen: false,
      policy: DEFAULT_POLICY,
      canned: CANNED,
    });
    expect(clicked.action).toEqual({ kind: 'search', text: 'zzz things', filters: {} });
  });
});

describe('safe state changes', () => {
  it.each([
    ['can I pay by card?', 'opt_in'],
    ['please email me the receipt', 'opt_in'],
    ['my delivery is three days late', 'opt_out'],
    ['where is my parcel', 'data_forget'],
  ])('"%s" classified %s never changes consent or data', (text, guess) => {
    for (const confidence of [0.5, 0.7, 0.99]) {
      const d = run(text, nlu(guess, confidence));
      expect(['opt', 'forget', 'handoff']).not.toContain(d.action.kind);
    }
  });

  it('a confident guess is asked about; yes acts, no does not', () => {
    const asked = run('I would love to hear about deals', nlu('opt_in', 0.9));
    expect(asked.action).toEqual({ kind: 'confirm', change: 'opt_in' });
    expect(run('yes', nlu('affirm'), asked.state).action).toEqual({ kind: 'opt', optIn: true });
    expect(run('no thanks', nlu('deny'), asked.state).action).toEqual({ kind: 'reply', reply: 'cancelled' });
    // Another request lets the question lapse without acting on it.
    const lapsed = run('please email me the receipt', nlu('opt_in', 0.5), asked.state);
    expect(lapsed.action.kind).not.toBe('opt');
    expect(lapsed.state.pendingConfirm).toBeNull();
  });

  it('explicit requests act at once (deletion is still confirmed)', () => {
    expect(run('unsubscribe me from your newsletter', nlu('smalltalk', 0.2)).action).toEqual({
      kind: 'opt',
      optIn: false,
    });
    expect(run('I want to talk to a real person', nlu('greet', 0.3)).action.kind).toBe('handoff');
    expect(run('delete my data', nlu('data_forget', 0.3)).action).toEqual({
      kind: 'confirm',
      change: 'forget',
    });
  });

  it('explicit patterns do not fire on look-alikes', () => {
    for (const text of [
      'can I pay by card?',
      'please email me the receipt',
      'my delivery is late',
      'is this jacket available',
      'send me the invoice',
    ])
      expect(explicitRequest(text), text).toBeNull();
    expect(explicitRequest('unsubscribe')).toBe('opt_out');
    expect(explicitRequest('please subscribe me to the newsletter')).toBe('opt_in');
    expect(explicitRequest('forget me')).toBe('data_forget');
    // particle verbs with the object in the middle
    expect(explicitRequest('please opt us out of your mailing list')).toBe('opt_out');
    expect(explicitRequest('opt me in for the newsletter')).toBe('opt_in');
    expect(explicitRequest('what are my options in the app?')).toBeNull();
  });
});

describe('follow-ups against the last results', () => {
  it('"the second one", "the red one" and "the parka" resolve to shown items', () => {
    expect(run('tell me more about the second one', nlu('product_question'), shown).action).toMatchObject({
      sku: 'JKT-1104',
    });
    const red: NluEntity = { type: 'color', text: 'red', value: 'red' };
    expect(
      run('more like the red one', nlu('more_like_this', 0.9, { entities: [red] }), shown).action,
    ).toEqual({
      kind: 'similar',
      sku: 'JKT-1104',
      cheaper: false,
    });
    expect(
      run('is the parka in stock?', nlu('product_question', 0.9, { entities: [type('parka')] }), shown)
        .action,
    ).toMatchObject({
      kind: 'product_question',
      sku: 'PRK-1201',
    });
  });

  it('a product not in the last results is looked up first, not answered about the focus', () => {
    const d = run(
      'is the gooseneck kettle in stock?',
      nlu('product_question', 0.9, { entities: [type('gooseneck kettle')] }),
      {
        ...shown,
        focusSku: 'JKT-1101',
      },
    );
    expect(d.action).toEqual({
      kind: 'product_question',
      sku: null,
      text: 'is the gooseneck kettle in stock?',
    });
  });

  it('"cheaper" repeats the last search under the price of the item referred to', () => {
    const d = run('anything cheaper?', nlu('cheaper'), shown);
    expect(d.action).toEqual({
      kind: 'search',
      text: 'rain jacket',
      filters: { maxPrice: 145.98 },
      cheaperThan: { name: 'Cragline Waterproof Rain Jacket, navy', price: 145.99 },
    });
  });

  it('"in another size" searches the focused product family', () => {
    const d = run('do you have it in another size?', nlu('product_search'), {
      ...shown,
      focusSku: 'PRK-1201',
    });
    expect(d.action).toEqual({ kind: 'search', text: 'Summitry Arctic Insulated Parka', filters: {} });
  });
});

describe('surveys by name', () => {
  it.each([
    ['I want to do the shopping motivation survey', 'purchase-motivation'],
    ['start the customer satisfaction survey', 'csat'],
    ['can I take the store visit survey', 'store-visit-2026'],
    ['the nps survey please', 'nps'],
    ['personality test', 'mini-ipip-20'],
    ['the long 50 item personality survey', 'ipip-bfm-50'],
  ])('"%s" → %s', (text, id) => {
    expect(matchInstrument(text, INSTRUMENTS, 'mini-ipip-20')).toBe(id);
    expect(run(text, nlu('survey_start')).action).toMatchObject({ kind: 'survey_start', instrumentId: id });
  });

  it('"which surveys can I take" lists them', () => {
    expect(run('which surveys can I take?', nlu('survey_start')).action).toEqual({ kind: 'survey_list' });
  });
});

describe('bad input and frustration', () => {
  it.each([
    ['', 'empty_message'],
    ['😀😀😀', 'no_words'],
    ['?!', 'no_words'],
  ])('%j → %s', (text, reply) => {
    expect(run(text, null).action).toEqual({ kind: 'reply', reply });
  });

  it('a message over the limit is "too long", not "only English"', () => {
    const long = 'I am looking for a warm jacket. '.repeat(150);
    expect(run(long, null).action).toEqual({
      kind: 'reply',
      reply: 'too_long',
      vars: { count: long.trim().length, limit: DEFAULT_POLICY.maxMessageChars },
    });
  });

  it('impossible prices are not used as filters', () => {
    const entities: NluEntity[] = [{ type: 'price', text: '-5', max: -5 }];
    expect(run('boots under -5', nlu('product_search', 0.9, { entities })).action).toMatchObject({
      filters: {},
    });
    const huge: NluEntity[] = [{ type: 'price', text: '$1e9', max: 1e9 }];
    expect(run('boots under $1e9', nlu('product_search', 0.9, { entities: huge })).action).toMatchObject({
      filters: {},
    });
  });

  it('offers a person after repeated frustration, and insults get a calm answer', () => {
    const first = run('you are useless', nlu('insult', 0.9, { sentiment: -0.8 }));
    expect(first.action).toEqual({ kind: 'reply', reply: 'insult' });
    const second = run(
      'this is rubbish, where are my boots',
      nlu('product_search', 0.4, { sentiment: -0.7 }),
      first.state,
    );
    expect(second.state.frustration).toBe(2);
    expect(second.offerHandoff).toBe(true);
    expect(run('ok thanks', nlu('thanks'), second.state).state.frustration).toBe(0);
  });

  it('the policy validates overrides', () => {
    expect(dialogPolicy({ minConfidence: 0.7 }).minConfidence).toBe(0.7);
    expect(() => dialogPolicy({ minConfidence: 2 })).toThrow();
  });
});

describe('prices in exponent notation', () => {
  it('are dropped from the search text', async () => {
    const { withoutImpossiblePrices } = await import('../../bots/dialog/intent-routes.js');
    expect(withoutImpossiblePrices('hiking boots under $1e9')).toBe('hiking boots');
    expect(withoutImpossiblePrices('boots under 100')).toBe('boots under 100');
  });
});

describe('survey names: numbers and question words', () => {
  it('a score is not a survey name, and "why" names no survey', () => {
    expect(matchInstrument('I would give you a 9 out of 10', INSTRUMENTS, 'mini-ipip-20')).toBeNull();
    expect(matchInstrument('can I do the survey about why I shop', INSTRUMENTS, 'mini-ipip-20')).toBe(
      'purchase-motivation',
    );
  });
});
