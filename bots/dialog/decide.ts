// The dialog's decision logic: a pure function from (state, message, NLU result) to one action and
// the next state. No I/O here, so every branch is unit-tested; execute.ts performs the action.
import type { NluEntity, NluResult, ProductFilters } from '../ports.js';
import type { DialogState } from './state.js';
import type { ButtonAction, InboundMessage } from './types.js';

/** Customer intents the shipped training data defines (bots/nlu-data/customer.yml). */
export const CUSTOMER_INTENTS = [
  'greet',
  'goodbye',
  'thanks',
  'help',
  'smalltalk',
  'product_search',
  'recommend',
  'more_like_this',
  'cheaper',
  'bought_together',
  'product_question',
  'add_to_basket',
  'survey_start',
  'survey_continue',
  'survey_stop',
  'feedback',
  'handoff',
  'opt_in',
  'opt_out',
  'data_export',
  'data_forget',
  'affirm',
  'deny',
] as const;

/** A customer intent name. */
export type CustomerIntent = (typeof CUSTOMER_INTENTS)[number];

/** Canned replies that need no port call. */
export type CannedReply =
  | 'greet'
  | 'goodbye'
  | 'thanks'
  | 'help'
  | 'smalltalk'
  | 'non_english'
  | 'unsupported_attachment'
  | 'out_of_scope'
  | 'no_focus_product'
  | 'no_survey_active'
  | 'forget_cancelled'
  | 'ok';

/** What the bot does this turn. */
export type DialogAction =
  | { kind: 'silent'; reason: 'handoff' | 'duplicate' }
  | { kind: 'reply'; reply: CannedReply }
  | { kind: 'search'; text: string; filters: ProductFilters }
  | { kind: 'recommend' }
  | { kind: 'similar'; sku: string; cheaper: boolean }
  | { kind: 'together'; sku: string }
  | { kind: 'product_question'; sku: string | null; text: string }
  | { kind: 'basket'; sku: string }
  | { kind: 'survey_start'; instrumentId: string; firstAnswer?: string }
  | { kind: 'survey_answer'; instrumentId: string; text: string }
  | { kind: 'survey_stop'; instrumentId: string }
  | { kind: 'handoff'; reason: string }
  | { kind: 'opt'; optIn: boolean }
  | { kind: 'export' }
  | { kind: 'forget_confirm' }
  | { kind: 'forget' }
  | { kind: 'disambiguate'; options: [string, string] };

/** Tunable thresholds and the instruments the dialog starts. */
export interface DialogPolicy {
  /** Below this confidence the bot asks instead of guessing. */
  minConfidence: number;
  /** A candidate must reach this to be offered in "did you mean". */
  offerFloor: number;
  /** During a survey, a control intent needs this much confidence to interrupt it. */
  surveyInterruptConfidence: number;
  instruments: { personality: string; nps: string; csat: string };
}

/** Defaults chosen so a calibrated classifier rarely guesses and surveys are rarely interrupted. */
export const DEFAULT_POLICY: DialogPolicy = {
  minConfidence: 0.55,
  offerFloor: 0.12,
  surveyInterruptConfidence: 0.8,
  instruments: { personality: 'mini-ipip-20', nps: 'nps', csat: 'csat' },
};

/** Input of one decision. */
export interface DecisionInput {
  state: DialogState;
  message: Pick<InboundMessage, 'text' | 'action' | 'attachments'>;
  /** Null when there was no text to analyse. */
  nlu: NluResult | null;
  handoffOpen: boolean;
  policy: DialogPolicy;
}

/** Output of one decision. */
export interface Decision {
  action: DialogAction;
  state: DialogState;
}

// Intents allowed to interrupt a running survey: everything else is taken as an answer.
const SURVEY_INTERRUPTS: ReadonlySet<string> = new Set([
  'survey_stop',
  'handoff',
  'data_forget',
  'data_export',
  'opt_out',
]);
// Intents not worth offering in "did you mean": they are replies to a question, not requests.
const NOT_OFFERED: ReadonlySet<string> = new Set(['affirm', 'deny', 'smalltalk', 'thanks', 'goodbye']);

/** Decides the bot's next action. Pure. */
export function decide(input: DecisionInput): Decision {
  const base: DialogState = { ...input.state, turns: input.state.turns + 1, disambiguation: null };
  if (input.handoffOpen)
    return {
      action: { kind: 'silent', reason: 'handoff' },
      state: { ...base, disambiguation: input.state.disambiguation },
    };
  const { message, nlu, policy } = input;
  if (message.action) return decideButton(message.action, base, input);
  if (message.text.trim() === '') {
    return {
      action: { kind: 'reply', reply: message.attachments.length > 0 ? 'unsupported_attachment' : 'help' },
      state: base,
    };
  }
  if (!nlu) return { action: { kind: 'reply', reply: 'out_of_scope' }, state: base };
  if (!isEnglish(nlu.language)) return { action: { kind: 'reply', reply: 'non_english' }, state: base };

  if (base.pendingConfirm === 'forget') {
    const confident = nlu.confidence >= policy.minConfidence && !nlu.outOfScope;
    if (confident && nlu.intent === 'affirm')
      return { action: { kind: 'forget' }, state: { ...base, pendingConfirm: null } };
    if (!confident || nlu.intent === 'deny') {
      return {
        action: { kind: 'reply', reply: 'forget_cancelled' },
        state: { ...base, pendingConfirm: null },
      };
    }
    base.pendingConfirm = null;
  }

  if (base.survey) {
    const interrupts =
      SURVEY_INTERRUPTS.has(nlu.intent) &&
      !nlu.outOfScope &&
      nlu.confidence >= policy.surveyInterruptConfidence;
    if (!interrupts)
      return {
        action: { kind: 'survey_answer', instrumentId: base.survey, text: message.text },
        state: base,
      };
  }

  if (nlu.outOfScope || nlu.confidence < policy.minConfidence) {
    const offered = nlu.ranking
      .filter((r) => r.confidence >= policy.offerFloor && !NOT_OFFERED.has(r.intent))
      .slice(0, 2);
    if (offered.length === 2 && !nlu.outOfScope) {
      const options: [string, string] = [offered[0]!.intent, offered[1]!.intent];
      return { action: { kind: 'disambiguate', options }, state: { ...base, disambiguation: options } };
    }
    return { action: { kind: 'reply', reply: 'out_of_scope' }, state: base };
  }
  return decideIntent(nlu.intent, message.text, nlu.entities, base, policy);
}

/** Maps a confident intent to an action. Pure; exported for the disambiguation buttons. */
export function decideIntent(
  intent: string,
  text: string,
  entities: readonly NluEntity[],
  state: DialogState,
  policy: DialogPolicy,
): Decision {
  const reply = (r: CannedReply): Decision => ({ action: { kind: 'reply', reply: r }, state });
  const focus = productFromEntities(entities) ?? state.focusSku ?? state.lastSkus[0] ?? null;
  const withFocus = (make: (sku: string) => DialogAction): Decision =>
    focus ? { action: make(focus), state: { ...state, focusSku: focus } } : reply('no_focus_product');
  switch (intent as CustomerIntent) {
    case 'greet':
    case 'goodbye':
    case 'thanks':
    case 'help':
    case 'smalltalk':
      return reply(intent as CannedReply);
    case 'affirm':
    case 'deny':
      return reply('ok');
    case 'product_search':
      return { action: { kind: 'search', text, filters: filtersFromEntities(entities) }, state };
    case 'recommend':
      return { action: { kind: 'recommend' }, state };
    case 'more_like_this':
      return withFocus((sku) => ({ kind: 'similar', sku, cheaper: false }));
    case 'cheaper':
      return withFocus((sku) => ({ kind: 'similar', sku, cheaper: true }));
    case 'bought_together':
      return withFocus((sku) => ({ kind: 'together', sku }));
    case 'add_to_basket':
      return withFocus((sku) => ({ kind: 'basket', sku }));
    case 'product_question':
      return { action: { kind: 'product_question', sku: focus, text }, state: { ...state, focusSku: focus } };
    case 'survey_start': {
      const instrumentId = instrumentFromEntities(entities) ?? policy.instruments.personality;
      return { action: { kind: 'survey_start', instrumentId }, state: { ...state, survey: instrumentId } };
    }
    case 'survey_continue': {
      const instrumentId = state.survey ?? instrumentFromEntities(entities) ?? policy.instruments.personality;
      return { action: { kind: 'survey_start', instrumentId }, state: { ...state, survey: instrumentId } };
    }
    case 'survey_stop':
      return state.survey
        ? { action: { kind: 'survey_stop', instrumentId: state.survey }, state: { ...state, survey: null } }
        : reply('no_survey_active');
    case 'feedback': {
      const instrumentId = instrumentFromEntities(entities) ?? policy.instruments.nps;
      const score = entities.find((e) => e.type === 'number' && typeof e.value === 'number');
      const firstAnswer =
        score && typeof score.value === 'number' && score.value >= 0 && score.value <= 10
          ? String(score.value)
          : undefined;
      return {
        action: { kind: 'survey_start', instrumentId, firstAnswer },
        state: { ...state, survey: instrumentId },
      };
    }
    case 'handoff':
      return {
        action: { kind: 'handoff', reason: 'customer asked for a human' },
        state: { ...state, survey: null },
      };
    case 'opt_in':
      return { action: { kind: 'opt', optIn: true }, state };
    case 'opt_out':
      return { action: { kind: 'opt', optIn: false }, state };
    case 'data_export':
      return { action: { kind: 'export' }, state };
    case 'data_forget':
      return {
        action: { kind: 'forget_confirm' },
        state: { ...state, pendingConfirm: 'forget', survey: null },
      };
    default:
      return reply('out_of_scope');
  }
}

function decideButton(action: ButtonAction, state: DialogState, input: DecisionInput): Decision {
  switch (action.a) {
    case 'more':
      return {
        action: { kind: 'similar', sku: action.sku, cheaper: false },
        state: { ...state, focusSku: action.sku },
      };
    case 'cheaper':
      return {
        action: { kind: 'similar', sku: action.sku, cheaper: true },
        state: { ...state, focusSku: action.sku },
      };
    case 'together':
      return { action: { kind: 'together', sku: action.sku }, state: { ...state, focusSku: action.sku } };
    case 'basket':
      return { action: { kind: 'basket', sku: action.sku }, state: { ...state, focusSku: action.sku } };
    case 'intent':
      // A "did you mean" choice: the user told us the intent, so no second guess.
      return decideIntent(
        action.intent,
        action.text,
        input.nlu?.entities ?? [],
        { ...state, pendingConfirm: null },
        input.policy,
      );
    case 'confirm':
      if (state.pendingConfirm !== 'forget') return { action: { kind: 'reply', reply: 'ok' }, state };
      return action.yes
        ? { action: { kind: 'forget' }, state: { ...state, pendingConfirm: null } }
        : { action: { kind: 'reply', reply: 'forget_cancelled' }, state: { ...state, pendingConfirm: null } };
  }
}

/** True for English or for text too short to tell ("4", "ok"). */
export function isEnglish(language: string): boolean {
  return language === 'eng' || language === 'en' || language === 'und';
}

/** Turns price and category entities into index filters. Pure. */
export function filtersFromEntities(entities: readonly NluEntity[]): ProductFilters {
  const filters: ProductFilters = {};
  for (const e of entities) {
    if (e.type === 'price') {
      if (e.min !== undefined) filters.minPrice = e.min;
      if (e.max !== undefined) filters.maxPrice = e.max;
      if (e.min === undefined && e.max === undefined && typeof e.value === 'number')
        filters.maxPrice = e.value;
    } else if (e.type === 'category' && typeof e.value === 'string') {
      filters.category = e.value;
    }
  }
  return filters;
}

function productFromEntities(entities: readonly NluEntity[]): string | null {
  const p = entities.find((e) => e.type === 'product' && typeof e.value === 'string');
  return p ? String(p.value) : null;
}

function instrumentFromEntities(entities: readonly NluEntity[]): string | null {
  const i = entities.find((e) => e.type === 'instrument' && typeof e.value === 'string');
  return i ? String(i.value) : null;
}
