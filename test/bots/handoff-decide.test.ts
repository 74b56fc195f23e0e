// The dialog's handoff decisions (pure): what the customer keeps control of while a person has
// the conversation, and when the assistant brings a person in by itself.
import { describe, expect, it } from 'vitest';
import { decisionInput, nluResult } from '../support/dialog-input.js';
import { decide, DEFAULT_POLICY } from '../../bots/dialog/decide.js';
import { initialState, type DialogState } from '../../bots/dialog/state.js';
import type { NluResult } from '../../bots/ports.js';

const nlu = (intent: string, extra: Partial<NluResult> = {}): NluResult => nluResult(intent, 0.9, extra);

const input = decisionInput;

const during = (text: string, state: Partial<DialogState> = {}, result = nlu('smalltalk')) =>
  decide(input(text, result, state, { handoffOpen: true }));

describe('during a handoff the customer keeps control', () => {
  it('relays ordinary messages, even ones that look like other requests', () => {
    expect(during('where is my order 1234?').action).toEqual({
      kind: 'relay',
      text: 'where is my order 1234?',
    });
    expect(during('stop the delivery please').action.kind).toBe('relay');
    expect(during('I want a warm jacket', {}, nlu('product_search')).action.kind).toBe('relay');
  });

  it('"stop", "back to the bot" and "end the chat" end the handoff', () => {
    for (const text of [
      'stop',
      'Stop!',
      'back to the bot',
      'take me back to the assistant please',
      'end the chat',
      'cancel',
    ])
      expect(during(text).action, text).toEqual({ kind: 'handoff_end' });
  });

  it('"forget me" asks first; yes deletes, no keeps the handoff going', () => {
    const asked = during('please forget me');
    expect(asked.action).toEqual({ kind: 'confirm', change: 'forget' });
    expect(asked.state.pendingConfirm).toBe('forget');
    expect(during('yes', asked.state, nlu('affirm')).action).toEqual({ kind: 'forget' });
    const kept = during('no', asked.state, nlu('deny'));
    expect(kept.action).toEqual({ kind: 'reply', reply: 'handoff_forget_cancelled' });
    expect(kept.state.pendingConfirm).toBeNull();
    // The confirmation buttons say the same.
    const button = decide({
      ...input('Yes, delete it', null, asked.state, { handoffOpen: true }),
      message: { text: 'Yes, delete it', attachments: [], action: { a: 'confirm', yes: true } },
    });
    expect(button.action).toEqual({ kind: 'forget' });
    // Something else after the question is relayed, and the question lapses.
    const other = during('actually, is the parcel insured?', asked.state);
    expect(other.action.kind).toBe('relay');
    expect(other.state.pendingConfirm).toBeNull();
  });
});

describe('the assistant brings a person in when one is available', () => {
  const notUnderstood = nlu('out_of_scope', { outOfScope: true, ranking: [] });

  it('after the policy number of messages in a row it did not understand', () => {
    const first = decide(input('blorp the frobnicator', notUnderstood, {}, { handoffAvailable: true }));
    expect(first.action).toEqual({ kind: 'reply', reply: 'off_topic' });
    expect(first.state.failures).toBe(1);
    const second = decide(
      input('frobnicate it again', notUnderstood, first.state, { handoffAvailable: true }),
    );
    expect(second.action.kind).toBe('handoff');
    expect(second.state.failures).toBe(0);
    // An understood message in between resets the count.
    const reset = decide(input('hello', nlu('greet'), first.state, { handoffAvailable: true }));
    expect(reset.state.failures).toBe(0);
  });

  it('on a strongly negative message, at the policy threshold', () => {
    const angry = nlu('complaint', {
      sentiment: DEFAULT_POLICY.handoffSentiment,
      sentimentLabel: 'negative',
    });
    expect(
      decide(input('this is the worst shop ever', angry, {}, { handoffAvailable: true })).action.kind,
    ).toBe('handoff');
    const cross = nlu('complaint', {
      sentiment: DEFAULT_POLICY.handoffSentiment + 0.2,
      sentimentLabel: 'negative',
    });
    expect(decide(input('not great', cross, {}, { handoffAvailable: true })).action.kind).not.toBe('handoff');
  });

  it('never without a person to reach (no handoff channel): the usual answers', () => {
    const first = decide(input('blorp', notUnderstood));
    const second = decide(input('blorp again', notUnderstood, first.state));
    expect(second.action.kind).toBe('reply');
    const angry = nlu('complaint', { sentiment: -1 });
    expect(decide(input('awful', angry)).action.kind).not.toBe('handoff');
  });

  it('thresholds come from the policy', () => {
    const policy = { ...DEFAULT_POLICY, failedTurnsBeforeHandoff: 3 };
    let state = initialState();
    const kinds: string[] = [];
    for (const text of ['a1', 'b2', 'c3']) {
      const d = decide({ ...input(text, notUnderstood, state, { handoffAvailable: true }), policy });
      kinds.push(d.action.kind);
      state = d.state;
    }
    expect(kinds).toEqual(['reply', 'reply', 'handoff']);
  });
});

describe('an e-mail address left during a handoff', () => {
  it('is relayed, then used only after a clear yes', () => {
    const left = during('please answer me at jo@example.com');
    expect(left.action).toEqual({
      kind: 'relay',
      text: 'please answer me at jo@example.com',
      askContact: true,
    });
    expect(left.state.pendingConfirm).toBe('contact');
    expect(during('yes', left.state, nlu('affirm')).action).toEqual({ kind: 'contact_consent' });
    expect(during('no', left.state, nlu('deny')).action).toEqual({
      kind: 'reply',
      reply: 'handoff_contact_declined',
    });
    // Anything else is relayed and the question lapses: no consent by default.
    const other = during('my parcel is late', left.state);
    expect(other.action).toEqual({ kind: 'relay', text: 'my parcel is late' });
    expect(other.state.pendingConfirm).toBeNull();
  });
});
