// The dialog's decision logic: a pure function from (state, message, NLU result) to one action and
// the next state. No I/O here, so every branch is unit-tested; execute.ts performs the action.
// Order: guards (handoff, buttons, bad input, language) → pending yes/no → running survey →
// follow-ups → routing (classifier + catalog, routing.ts) → the intent's route or canned reply.
import type { NluResult } from '../ports.js';
import type { Decision, DecisionInput, DialogAction } from './actions.js';
import { explicitRequest } from './explicit-requests.js';
import { readOrderQuery } from './order-query.js';
import { cheaperLike } from './comparatives.js';
import { asksOtherVariant, familyName, focusItem, pointedItem } from './followups.js';
import { filtersFromEntities, INTENT_ROUTES } from './intent-routes.js';
import { catalogMentions, PRODUCT_INTENTS, route } from './routing.js';
import { asksSurveyList, matchInstrument, mentionsSurvey } from './survey-match.js';
import type { DialogState } from './state.js';
import type { ButtonAction } from './types.js';

export type { Decision, DecisionInput, DialogAction } from './actions.js';
export { DEFAULT_POLICY, type DialogPolicy } from './policy.js';
export { filtersFromEntities } from './intent-routes.js';

// Intents allowed to interrupt a running survey: everything else is taken as an answer.
const SURVEY_INTERRUPTS: ReadonlySet<string> = new Set([
  'survey_stop',
  'handoff',
  'data_forget',
  'data_export',
  'opt_out',
]);
// Intents not worth offering in "did you mean": they are replies to a question, not requests, or
// change state (those are asked about only on an explicit request).
const NOT_OFFERED: ReadonlySet<string> = new Set([
  'affirm',
  'deny',
  'smalltalk',
  'thanks',
  'goodbye',
  'insult',
  'joke',
  'off_topic',
  'bot_identity',
  'opt_in',
  'opt_out',
  'data_forget',
  'handoff',
]);
// Product intents that act on an item of the last list.
const FOLLOW_UP_INTENTS: ReadonlySet<string> = new Set([
  'more_like_this',
  'cheaper',
  'bought_together',
  'add_to_basket',
  'product_question',
]);
// Messages that count towards offering a person, besides a low sentiment score.
const FRUSTRATED_INTENTS: ReadonlySet<string> = new Set(['insult', 'complaint']);
// Replies that already offer a person: no second offer after them.
const OFFERS_PERSON: ReadonlySet<string> = new Set([
  'insult',
  'complaint',
  'shop_policy',
  'handoff_offer',
  'order_lookup_limit',
]);

const act = (action: DialogAction, state: DialogState): Decision => ({ action, state });
const reply = (name: string, state: DialogState): Decision => act({ kind: 'reply', reply: name }, state);

/** Decides the bot's next action. Pure. */
export function decide(input: DecisionInput): Decision {
  const base: DialogState = { ...input.state, turns: input.state.turns + 1, disambiguation: null };
  if (input.handoffOpen)
    return decideDuringHandoff({ ...base, disambiguation: input.state.disambiguation }, input);
  const { message, nlu, policy } = input;
  if (message.action) return decideButton(message.action, base, input);
  const text = message.text.trim();
  if (text === '')
    return reply(message.attachments.length > 0 ? 'unsupported_attachment' : 'empty_message', base);
  if (text.length > policy.maxMessageChars)
    return act(
      { kind: 'reply', reply: 'too_long', vars: { count: text.length, limit: policy.maxMessageChars } },
      base,
    );
  if (!/[\p{L}\p{N}]/u.test(text)) return reply('no_words', base);
  if (!nlu) return reply('out_of_scope', base);
  // Product names read the same in any language detector's eyes: "black espresso machine" is English.
  if (!isEnglish(nlu.language) && catalogMentions(nlu.entities).length === 0)
    return reply('non_english', base);

  const frustration = isFrustrated(nlu, input) ? base.frustration + 1 : 0;
  const decision = countFailures(decideText(text, nlu, { ...base, frustration }, input));
  const escalated = input.handoffAvailable ? escalate(decision, nlu, policy) : null;
  if (escalated) return escalated;
  const offer =
    frustration >= policy.frustrationTurnsBeforeHandoffOffer &&
    decision.action.kind !== 'handoff' &&
    decision.action.kind !== 'confirm' &&
    decision.action.kind !== 'survey_answer' &&
    !(decision.action.kind === 'reply' && OFFERS_PERSON.has(decision.action.reply)) &&
    !(decision.action.kind === 'kb_answer' && decision.action.lookup.answer === null);
  return offer ? { ...decision, offerHandoff: true } : decision;
}

function decideText(text: string, nlu: NluResult, base: DialogState, input: DecisionInput): Decision {
  const { policy } = input;
  if (base.pendingConfirm) {
    const change = base.pendingConfirm;
    const answer = yesOrNo(text, nlu, policy.minConfidence);
    const cleared = { ...base, pendingConfirm: null };
    if (answer === true) return confirmed(change, cleared, input);
    // Deletion: anything but a clear yes cancels. Other questions: a clear no cancels, and a new
    // request is simply handled (the question lapses).
    if (answer === false || change === 'forget') return reply('cancelled', cleared);
    base = cleared;
  }

  if (base.survey) {
    const interrupts =
      SURVEY_INTERRUPTS.has(nlu.intent) &&
      !nlu.outOfScope &&
      nlu.confidence >= policy.surveyInterruptConfidence;
    if (!interrupts) return act({ kind: 'survey_answer', instrumentId: base.survey, text }, base);
  }

  if (base.orderQuery) {
    // Waiting for an order number and e-mail: a message with either continues the lookup; a clear
    // other request drops it; anything else is asked again.
    const given = readOrderQuery(text);
    if (given.number || given.email) return decideIntent('order_status', text, nlu.entities, base, input);
    const clear = !nlu.outOfScope && nlu.confidence >= policy.minConfidence;
    if (!clear || nlu.intent === 'order_status') return reply('order_ask', base);
    base = { ...base, orderQuery: null };
  }

  const followUp = decideFollowUp(text, nlu, base, input);
  if (followUp) return followUp;
  const survey = decideSurveyMention(text, nlu, base, input);
  if (survey) return survey;

  const routed = route(text, nlu, policy, base.lastSkus.length > 0 || base.focusSku !== null, input.kb);
  if (routed.intent === null) return notUnderstood(text, nlu, base, input);
  if (routed.confirm) {
    const change =
      routed.intent === 'data_forget' ? 'forget' : (routed.intent as 'opt_in' | 'opt_out' | 'handoff');
    return act({ kind: 'confirm', change }, { ...base, pendingConfirm: change });
  }
  return decideIntent(routed.intent, text, nlu.entities, base, input);
}

// Follow-ups that only make sense against the last list: "in another size", "the second one",
// "the copper one", and short refinements of the last search ("in red", "under 40").
function decideFollowUp(
  text: string,
  nlu: NluResult,
  state: DialogState,
  input: DecisionInput,
): Decision | null {
  if (state.lastItems.length === 0 || explicitRequest(text)) return null;
  const focus = focusItem(state);
  if (focus && asksOtherVariant(text))
    return act(
      { kind: 'search', text: familyName(focus.name), filters: {} },
      { ...state, focusSku: focus.sku },
    );
  const clear = !nlu.outOfScope && nlu.confidence >= input.policy.clearIntentConfidence;
  const pointed = pointedItem(text, nlu.entities, state);
  if (pointed) {
    const ranked = nlu.ranking.find(
      (r) => FOLLOW_UP_INTENTS.has(r.intent) && r.confidence >= input.policy.offerFloor,
    );
    if (clear && !PRODUCT_INTENTS.has(nlu.intent)) return null;
    // "how much is the last one" asks a price, not for something cheaper.
    const asksPrice = /\b(?:how much|price|cost)\b/i.test(text) && !/\b(?:cheaper|less|lower)\b/i.test(text);
    // "something like the first one but cheaper" asks for cheaper things, whatever the classifier read.
    const intent = cheaperLike(text)
      ? 'cheaper'
      : asksPrice
        ? 'product_question'
        : FOLLOW_UP_INTENTS.has(nlu.intent)
          ? nlu.intent
          : (ranked?.intent ?? 'product_question');
    return decideIntent(intent, text, nlu.entities, state, input);
  }
  const last = state.lastSearch;
  const refines = nlu.entities.some((e) => e.type === 'color' || e.type === 'size' || e.type === 'price');
  const words = text.split(/\s+/).length;
  if (
    last &&
    refines &&
    words <= 5 &&
    catalogMentions(nlu.entities).length === 0 &&
    !(clear && !PRODUCT_INTENTS.has(nlu.intent))
  ) {
    const filters = { ...last.filters, ...filtersFromEntities(nlu.entities, input.policy) };
    return act({ kind: 'search', text: `${last.text} ${text}`.slice(0, 500), filters }, state);
  }
  return null;
}

// "take the satisfaction survey", "which surveys are there": a survey by name beats the classifier.
function decideSurveyMention(
  text: string,
  nlu: NluResult,
  state: DialogState,
  input: DecisionInput,
): Decision | null {
  if (!mentionsSurvey(text) || explicitRequest(text)) return null;
  if (['survey_stop', 'survey_continue'].includes(nlu.intent) && nlu.confidence >= input.policy.minConfidence)
    return null;
  if (asksSurveyList(text)) return act({ kind: 'survey_list' }, state);
  const id = matchInstrument(text, input.instruments ?? [], input.policy.instruments.personality);
  return id ? act({ kind: 'survey_start', instrumentId: id }, { ...state, survey: id }) : null;
}

function notUnderstood(text: string, nlu: NluResult, state: DialogState, input: DecisionInput): Decision {
  // Words the catalog knows ("something to keep my coffee hot") and a classifier leaning towards
  // products: a search is a better answer than "did you mean".
  const hinted = nlu.entities.some((e) => e.type === 'catalog_hint');
  const leansProducts = nlu.ranking.some(
    (r) =>
      (r.intent === 'product_search' || r.intent === 'recommend') && r.confidence >= input.policy.offerFloor,
  );
  if (hinted && leansProducts) return decideIntent('product_search', text, nlu.entities, state, input);
  const offered = nlu.ranking
    .filter((r) => r.confidence >= input.policy.offerFloor && !NOT_OFFERED.has(r.intent))
    .slice(0, 2);
  if (offered.length === 2 && !nlu.outOfScope) {
    const options: [string, string] = [offered[0]!.intent, offered[1]!.intent];
    return act({ kind: 'disambiguate', options, text }, { ...state, disambiguation: options });
  }
  return reply(input.canned?.has('off_topic') && nlu.outOfScope ? 'off_topic' : 'out_of_scope', state);
}

/** Maps an intent to an action: its route, else its canned reply. Pure; used by buttons too. */
export function decideIntent(
  intent: string,
  text: string,
  entities: NluResult['entities'],
  state: DialogState,
  input: Pick<DecisionInput, 'policy' | 'canned' | 'instruments' | 'kb'>,
): Decision {
  const routeOf = Object.hasOwn(INTENT_ROUTES, intent) ? INTENT_ROUTES[intent] : undefined;
  if (routeOf)
    return routeOf({
      intent,
      text,
      entities,
      state,
      policy: input.policy,
      instruments: input.instruments ?? [],
      ...(input.kb ? { kb: input.kb } : {}),
    });
  if (input.canned?.has(intent)) return reply(intent, state);
  return reply('out_of_scope', state);
}

function confirmed(
  change: NonNullable<DialogState['pendingConfirm']>,
  state: DialogState,
  input: DecisionInput,
): Decision {
  switch (change) {
    case 'forget':
      return act({ kind: 'forget' }, state);
    case 'opt_in':
      return act({ kind: 'opt', optIn: true }, state);
    case 'opt_out':
      return act({ kind: 'opt', optIn: false }, state);
    case 'handoff':
      return decideIntent('handoff', '', [], state, input);
    case 'contact':
      return act({ kind: 'contact_consent' }, state);
  }
}

function decideButton(action: ButtonAction, state: DialogState, input: DecisionInput): Decision {
  switch (action.a) {
    case 'more':
      return act({ kind: 'similar', sku: action.sku, cheaper: false }, { ...state, focusSku: action.sku });
    case 'cheaper':
      return act({ kind: 'similar', sku: action.sku, cheaper: true }, { ...state, focusSku: action.sku });
    case 'together':
      return act({ kind: 'together', sku: action.sku }, { ...state, focusSku: action.sku });
    case 'basket':
      return act({ kind: 'basket', sku: action.sku }, { ...state, focusSku: action.sku });
    case 'intent': {
      // A button names the intent, so no second guess; a state change chosen by a button is an
      // explicit request. The text is the customer's own words (or the button's).
      const text = action.text || input.message.text;
      if (action.intent === 'deny') return reply('deny', { ...state, pendingConfirm: null });
      return decideIntent(
        action.intent,
        text,
        input.nlu?.entities ?? [],
        { ...state, pendingConfirm: null },
        input,
      );
    }
    case 'confirm': {
      const change = state.pendingConfirm;
      const cleared = { ...state, pendingConfirm: null };
      if (!change) return reply('ok', state);
      return action.yes ? confirmed(change, cleared, input) : reply('cancelled', cleared);
    }
  }
}

// While a person has the conversation the customer's words go to them, except what keeps the
// customer in control: deleting their data (asked for confirmation as always) and going back to
// the assistant.
function decideDuringHandoff(state: DialogState, input: DecisionInput): Decision {
  const { message } = input;
  const text = message.text.trim();
  const pending = state.pendingConfirm;
  if (pending === 'forget' || pending === 'contact') {
    const cleared = { ...state, pendingConfirm: null };
    const yes =
      message.action?.a === 'confirm'
        ? message.action.yes
        : input.nlu
          ? yesOrNo(text, input.nlu, input.policy.minConfidence)
          : null;
    if (yes === true) return confirmed(pending, cleared, input);
    if (yes === false || message.action?.a === 'confirm')
      return reply(pending === 'forget' ? 'handoff_forget_cancelled' : 'handoff_contact_declined', cleared);
    state = cleared;
  }
  if (explicitRequest(text) === 'data_forget')
    return act({ kind: 'confirm', change: 'forget' }, { ...state, pendingConfirm: 'forget' });
  if (BACK_TO_BOT.test(text)) return act({ kind: 'handoff_end' }, state);
  // An e-mail address for a reply is relayed, and then the customer is asked whether we may use it
  // (consent is recorded only on a clear yes).
  if (EMAIL.test(text))
    return act({ kind: 'relay', text, askContact: true }, { ...state, pendingConfirm: 'contact' });
  return act({ kind: 'relay', text }, state);
}

const EMAIL = /[\w.+-]+@[\w-]+\.[\w.-]+/;

// "stop", "back to the bot", "end the chat": the whole message, so "stop the order" is relayed.
const BACK_TO_BOT =
  /^\s*(?:please\s+)?(?:stop|quit|cancel|end(?: (?:the|this) (?:chat|conversation|handoff))?|(?:(?:go|take me|switch|put me) )?back to (?:the )?(?:bot|assistant)|(?:i want|let me talk to) the (?:bot|assistant)(?: again)?)(?:,? please)?\s*[.!]*\s*$/i;

// Turns the assistant did not understand, in a row: the count goes into the state.
function countFailures(decision: Decision): Decision {
  const a = decision.action;
  const failed = a.kind === 'disambiguate' || (a.kind === 'reply' && FAILED_REPLIES.has(a.reply));
  return { ...decision, state: { ...decision.state, failures: failed ? decision.state.failures + 1 : 0 } };
}

const FAILED_REPLIES: ReadonlySet<string> = new Set(['out_of_scope', 'off_topic']);

// With a person available, repeated failures or a strongly negative message open a handoff at
// once (thresholds in the policy); otherwise the usual offer after repeated frustration applies.
function escalate(decision: Decision, nlu: NluResult, policy: DecisionInput['policy']): Decision | null {
  const kind = decision.action.kind;
  if (kind === 'handoff' || kind === 'confirm' || kind === 'survey_answer' || kind === 'forget') return null;
  const failing = decision.state.failures >= policy.failedTurnsBeforeHandoff;
  const angry = nlu.sentiment <= policy.handoffSentiment;
  if (!failing && !angry) return null;
  const reason = failing
    ? `the assistant did not understand ${decision.state.failures} messages in a row`
    : 'the customer sounds very unhappy';
  return act({ kind: 'handoff', reason }, { ...decision.state, failures: 0, survey: null });
}

// A yes/no answer: the words first (short answers are where classifiers are least sure), then a
// confident affirm/deny.
function yesOrNo(text: string, nlu: NluResult, minConfidence: number): boolean | null {
  const t = text
    .toLowerCase()
    .replace(/[^a-z' ]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const short = t.split(' ').length <= 5;
  if (
    short &&
    /^(?:yes|yeah|yep|yup|sure|ok|okay|y|go ahead|do it|confirm|correct|absolutely|of course|please do|yes please)\b/.test(
      t,
    ) &&
    !/\b(?:not?|don't)\b/.test(t)
  )
    return true;
  if (short && /^(?:no|nope|nah|cancel|don't|do not|never|n|not now|no thanks|keep it)\b/.test(t))
    return false;
  if (short && !nlu.outOfScope && nlu.confidence >= minConfidence) {
    if (nlu.intent === 'affirm') return true;
    if (nlu.intent === 'deny') return false;
  }
  return null;
}

function isFrustrated(nlu: NluResult, input: DecisionInput): boolean {
  if (FRUSTRATED_INTENTS.has(nlu.intent) && !nlu.outOfScope && nlu.confidence >= input.policy.minConfidence)
    return true;
  return nlu.sentiment <= input.policy.frustratedSentiment;
}

/** True for English or for text too short to tell ("4", "ok"). */
export function isEnglish(language: string): boolean {
  return language === 'eng' || language === 'en' || language === 'und';
}
