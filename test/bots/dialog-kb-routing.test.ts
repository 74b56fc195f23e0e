// The dialog's one routing policy with the help centre in it: shop questions go to the knowledge
// base (its answer with the source, or no guess and the offer of a person that "yes" accepts),
// product requests stay searches however well the help centre matches their words. Pure.
import { describe, expect, it } from 'vitest';
import { CANNED, decisionInput, nluResult } from '../support/dialog-input.js';
import { decide, DEFAULT_POLICY } from '../../bots/dialog/decide.js';
import { isQuestion, route } from '../../bots/dialog/routing.js';
import { initialState, type DialogState } from '../../bots/dialog/state.js';
import type { KbLookup, NluEntity, NluResult } from '../../bots/ports.js';

const nlu = (ranking: Array<[string, number]>, extra: Partial<NluResult> = {}): NluResult =>
  nluResult(ranking, 0.9, extra);

const answered: KbLookup = {
  answer: {
    text: 'Standard delivery takes 3 to 5 working days in the United States.',
    title: 'Shipping and delivery',
    url: 'https://northwind.example/help/shipping',
    docId: 'shipping.md',
  },
  confidence: 2.5,
};
const refused: KbLookup = { answer: null, confidence: -0.4 };
const type = (text: string): NluEntity => ({ type: 'product_type', text, value: text });

function run(text: string, result: NluResult, kb: KbLookup | undefined, state: Partial<DialogState> = {}) {
  return decide(decisionInput(text, result, state, kb ? { kb } : {}));
}

describe('routing: the help centre competes with the catalog and the classifier', () => {
  it('a clear shop question is answered from the knowledge base with what it found', () => {
    const d = run('how long does delivery take?', nlu([['shop_policy', 0.96]]), answered);
    expect(d.action).toEqual({
      kind: 'kb_answer',
      question: 'how long does delivery take?',
      lookup: answered,
    });
    expect(d.state.pendingConfirm).toBeNull();
  });

  it('below the gate there is no guess: the person is offered and a plain "yes" accepts', () => {
    const d = run('is there a student discount?', nlu([['shop_policy', 0.88]]), refused);
    expect(d.action).toMatchObject({ kind: 'kb_answer', lookup: { answer: null } });
    expect(d.state.pendingConfirm).toBe('handoff');
    expect(d.offerHandoff).toBeUndefined();
    const yes = run('yes', nlu([['affirm', 0.9]]), refused, d.state);
    expect(yes.action).toMatchObject({ kind: 'handoff' });
  });

  it('a confident answer lowers the bar for an unsure classifier, a refusal does not', () => {
    const unsure = nlu([
      ['shop_policy', 0.34],
      ['product_search', 0.19],
    ]);
    expect(route('can I send my boots back?', unsure, DEFAULT_POLICY, false, answered)).toEqual({
      intent: 'shop_policy',
      via: 'kb',
    });
    expect(route('can I send my boots back?', unsure, DEFAULT_POLICY, false, refused).intent).not.toBe(
      'shop_policy',
    );
    const faint = nlu([['shop_policy', DEFAULT_POLICY.kbMinShopConfidence - 0.01]]);
    expect(route('your shop address', faint, DEFAULT_POLICY, false, answered).intent).toBeNull();
  });

  it('a question the classifier cannot place is answered when the knowledge base answers it', () => {
    const unplaced = nlu(
      [
        ['smalltalk', 0.31],
        ['off_topic', 0.22],
      ],
      { outOfScope: true },
    );
    expect(route('are you open right now?', unplaced, DEFAULT_POLICY, false, answered)).toEqual({
      intent: 'shop_policy',
      via: 'kb',
    });
    expect(run('are you open right now?', unplaced, answered).action.kind).toBe('kb_answer');
    // Without an answer, not phrased as a question, or with a classifier sure of something else,
    // it is not the help centre's.
    expect(route('are you open right now?', unplaced, DEFAULT_POLICY, false, refused).intent).toBeNull();
    expect(route('open now', unplaced, DEFAULT_POLICY, false, answered).intent).toBeNull();
    const sure = nlu([['off_topic', 0.83]]);
    expect(route('what time is it in Tokyo?', sure, DEFAULT_POLICY, false, answered)).toEqual({
      intent: 'off_topic',
      via: 'classifier',
    });
  });

  it('a question naming products is still a shop question; a bare product name stays a search', () => {
    const warranty = nlu(
      [
        ['shop_policy', 0.43],
        ['product_question', 0.42],
      ],
      { entities: [type('kettle')] },
    );
    expect(run('is there a warranty on the kettle?', warranty, answered).action.kind).toBe('kb_answer');
    const giftCard = nlu(
      [
        ['shop_policy', 0.38],
        ['product_search', 0.14],
      ],
      { entities: [type('gift card')] },
    );
    expect(run('gift card', giftCard, answered).action).toMatchObject({ kind: 'search', text: 'gift card' });
  });

  it('a classifier that ranks a product intent first keeps the search, however well the help centre matches', () => {
    const rain = nlu([['product_search', 0.76]], { entities: [type('rain jacket')] });
    expect(run('rain jacket', rain, answered).action.kind).toBe('search');
    const stock = nlu(
      [
        ['product_question', 0.51],
        ['shop_policy', 0.25],
      ],
      { entities: [type('kettle')] },
    );
    expect(run('is the kettle in stock?', stock, answered).action.kind).toBe('product_question');
  });

  it('products asked for by price are a search, even when a page naming the product matches', () => {
    const asked: Array<[string, NluEntity[]]> = [
      ["what's your cheapest kettle", [type('kettle')]],
      ['which is the most expensive espresso machine?', [type('espresso machine')]],
      [
        'do you have boots under $80?',
        [type('boots'), { type: 'price', text: 'under $80', max: 80, currency: 'USD' }],
      ],
    ];
    for (const [text, entities] of asked) {
      const unsure = nlu(
        [
          ['shop_policy', 0.45],
          ['product_search', 0.3],
        ],
        { entities },
      );
      expect(run(text, unsure, answered).action.kind, text).toBe('search');
      const sure = nlu([['shop_policy', 0.95]], { entities });
      expect(run(text, sure, answered).action.kind, text).toBe('search');
    }
    // A price word alone is no product request: "what's your cheapest shipping?" stays a question.
    const shipping = nlu([['shop_policy', 0.9]]);
    expect(run("what's your cheapest shipping option?", shipping, answered).action.kind).toBe('kb_answer');
  });

  it('state-changing intents keep their yes/no question; without a knowledge base the canned reply answers', () => {
    const person = nlu([['handoff', 0.97]]);
    expect(run('is somebody around', person, answered).action).toEqual({
      kind: 'confirm',
      change: 'handoff',
    });
    const d = run('how long does delivery take?', nlu([['shop_policy', 0.96]]), undefined);
    expect(d.action).toEqual({ kind: 'reply', reply: 'shop_policy' });
  });

  it('the "did you mean" button for shop questions asks the knowledge base with the customer words', () => {
    const d = decide({
      state: initialState(),
      message: {
        text: 'postage?',
        attachments: [],
        action: { a: 'intent', intent: 'shop_policy', text: 'postage?' },
      },
      nlu: null,
      handoffOpen: false,
      policy: DEFAULT_POLICY,
      canned: CANNED,
      kb: answered,
    });
    expect(d.action).toEqual({ kind: 'kb_answer', question: 'postage?', lookup: answered });
  });

  it('tells questions from bare phrases', () => {
    expect(
      ['do you ship to Canada', 'What is your phone number', 'postage?', 'is it free'].map(isQuestion),
    ).toEqual([true, true, true, true]);
    expect(['gift card', 'rain jacket under 100', 'showerproof coat'].map(isQuestion)).toEqual([
      false,
      false,
      false,
    ]);
  });
});
