import { describe, expect, it } from 'vitest';
import { decisionInput, nluResult } from '../support/dialog-input.js';
import { decide, DEFAULT_POLICY, type DecisionInput } from '../../bots/dialog/decide.js';
import { reviewReason } from '../../bots/dialog/review-trigger.js';
import { initialState } from '../../bots/dialog/state.js';
import { marketerReviewReason } from '../../bots/marketer/review.js';
import type { NluResult } from '../../bots/ports.js';

// Each trigger of the review queue, from the decision the real decide() makes for a reading of the
// message: what the customer saw decides whether a person should look at it.

const nlu = nluResult;

function reasonFor(text: string, result: NluResult | null, extra: Partial<DecisionInput> = {}) {
  const { action } = decide(decisionInput(text, result, {}, extra));
  const turn = { action, nlu: result, button: !!extra.message?.action, analysable: true };
  return { action: action.kind, reason: reviewReason(turn, DEFAULT_POLICY) };
}

describe('review trigger (customer turns)', () => {
  it('queues a refused message as out of scope', () => {
    const refused = nlu('greet', 0.13, { outOfScope: true });
    expect(reasonFor('asdkjh qwpoe', refused).reason).toBe('out_of_scope');
  });

  it('queues "did you mean"', () => {
    const torn = nlu('product_question', 0.41, {
      ranking: [
        { intent: 'product_question', confidence: 0.41 },
        { intent: 'shop_policy', confidence: 0.3 },
      ],
    });
    expect(reasonFor('how many legs does a spider have', torn)).toEqual({
      action: 'disambiguate',
      reason: 'did_you_mean',
    });
  });

  it('queues the "not understood" fallback, and a turn whose NLU failed', () => {
    expect(reasonFor('xylophone', nlu('joke', 0.26)).reason).toBe('fallback');
    expect(reasonFor('xylophone', null).reason).toBe('fallback');
  });

  it('queues a handoff', () => {
    expect(reasonFor('I want to talk to a human', nlu('handoff', 0.97))).toEqual({
      action: 'handoff',
      reason: 'handoff',
    });
  });

  it('queues an answer given below the review confidence, not one above it', () => {
    const below = DEFAULT_POLICY.reviewBelowConfidence - 0.05;
    expect(reasonFor('where is my order', nlu('complaint', below)).reason).toBe('low_confidence');
    expect(reasonFor('my parcel is broken', nlu('complaint', 0.99)).reason).toBeNull();
  });

  it('queues a shop question the help centre could not answer, not one it answered', () => {
    const question = 'can I pay with bitcoin';
    const turn = (answer: null | { text: string; title: string; docId: string }) => ({
      action: { kind: 'kb_answer' as const, question, lookup: { answer, confidence: answer ? 0.3 : -0.2 } },
      nlu: nlu('shop_policy', 0.9),
      button: false,
      analysable: true,
    });
    expect(reviewReason(turn(null), DEFAULT_POLICY)).toBe('kb_low_confidence');
    const found = { text: 'We take cards and PayPal.', title: 'Payment', docId: 'payment' };
    expect(reviewReason(turn(found), DEFAULT_POLICY)).toBeNull();
  });

  it('leaves confident off-topic answers, input guards, buttons and survey answers alone', () => {
    expect(reasonFor('who won the match', nlu('off_topic', 0.92)).reason).toBeNull();
    expect(reasonFor('bonjour tout le monde', nlu('greet', 0.3, { language: 'fra' })).reason).toBeNull();
    const button = reasonFor('Find a product', nlu('joke', 0.1), {
      message: {
        text: 'Find a product',
        attachments: [],
        action: { a: 'intent', intent: 'product_search', text: 'x' },
      },
    });
    expect(button.reason).toBeNull();
    const inSurvey = reasonFor('4', nlu('affirm', 0.3), { state: { ...initialState(), survey: 'nps' } });
    expect(inSurvey).toEqual({ action: 'survey_answer', reason: null });
  });
});

describe('review trigger (marketer questions)', () => {
  it('queues unread questions and guesses, not confident or incomplete ones', () => {
    expect(marketerReviewReason(nlu('nps', 0.2, { outOfScope: true }), { kind: 'unknown' })).toBe(
      'out_of_scope',
    );
    expect(marketerReviewReason(nlu('nps', 0.4), { kind: 'unknown' })).toBe('fallback');
    expect(marketerReviewReason(nlu('segments', 0.6), { kind: 'segments' })).toBe('low_confidence');
    expect(marketerReviewReason(nlu('segments', 0.95), { kind: 'segments' })).toBeNull();
    const missing = { kind: 'missing' as const, what: 'segment', example: 'size of loyal', choices: [] };
    expect(marketerReviewReason(nlu('segment_size', 0.4), missing)).toBeNull();
    expect(marketerReviewReason(null, { kind: 'unknown' })).toBeNull();
  });
});
