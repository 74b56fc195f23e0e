// Intent → decision, as a registry: each intent that needs more than a canned reply has one entry.
// An intent with no entry here but an entry in responses.yml is answered with that response, so a
// new canned answer needs no code. A new action (a knowledge-base answer, a relay) adds its entry.
import type { KbLookup, NluEntity, ProductFilters } from '../ports.js';
import type { Decision, DialogAction, InstrumentInfo } from './actions.js';
import { cheaperLike } from './comparatives.js';
import { asksOtherVariant, familyName, focusItem, pointedItem, referencedItem } from './followups.js';
import type { DialogPolicy } from './policy.js';
import { readOrderQuery } from './order-query.js';
import { catalogMentions } from './routing.js';
import type { DialogState, ShownItem } from './state.js';
import { asksSurveyList, matchInstrument } from './survey-match.js';

/** What an intent route sees. */
export interface IntentContext {
  intent: string;
  text: string;
  entities: readonly NluEntity[];
  state: DialogState;
  policy: DialogPolicy;
  instruments: readonly InstrumentInfo[];
  /** The help centre's lookup of the message; absent when the shop has no knowledge base. */
  kb?: KbLookup;
}

/** Maps a routed intent to a decision. */
export type IntentRoute = (ctx: IntentContext) => Decision;

const act = (action: DialogAction, state: DialogState): Decision => ({ action, state });
const reply = (name: string, state: DialogState): Decision => act({ kind: 'reply', reply: name }, state);

/** The product a message is about: named, pointed at in the last list, or the focus. */
function productOf(ctx: IntentContext): string | null {
  return (
    productFromEntities(ctx.entities) ??
    referencedItem(ctx.text, ctx.entities, ctx.state)?.sku ??
    ctx.state.focusSku ??
    ctx.state.lastSkus[0] ??
    null
  );
}

function withProduct(ctx: IntentContext, make: (sku: string) => DialogAction): Decision {
  const sku = productOf(ctx);
  return sku ? act(make(sku), { ...ctx.state, focusSku: sku }) : reply('no_focus_product', ctx.state);
}

/** "like X but cheaper", whichever product intent the classifier read it as; null otherwise. */
function comparedWith(ctx: IntentContext): Decision | null {
  const comparison = cheaperLike(ctx.text);
  if (!comparison) return null;
  // "like the first one / that one / the red one but cheaper" compares with a product on screen.
  const shown = comparison.focus ? focusItem(ctx.state) : pointedItem(comparison.anchor, [], ctx.state);
  if (shown) return cheaperThan(ctx, shown);
  // nothing in focus: the intent's own route answers ("which product?")
  if (comparison.focus) return null;
  return act({ kind: 'cheaper_like', anchor: comparison.anchor }, ctx.state);
}

/** The last search again under the item's price, else things like the item that cost less. */
function cheaperThan(ctx: IntentContext, item: ShownItem): Decision {
  const last = ctx.state.lastSearch;
  if (!last)
    return act({ kind: 'similar', sku: item.sku, cheaper: true }, { ...ctx.state, focusSku: item.sku });
  const filters: ProductFilters = {
    ...last.filters,
    maxPrice: Math.max(0, Math.round(item.price * 100 - 1) / 100),
  };
  return act(
    { kind: 'search', text: last.text, filters, cheaperThan: { name: item.name, price: item.price } },
    { ...ctx.state, focusSku: item.sku },
  );
}

function search(ctx: IntentContext): Decision {
  const comparison = comparedWith(ctx);
  if (comparison) return comparison;
  const focus = focusItem(ctx.state);
  if (focus && asksOtherVariant(ctx.text))
    return act({ kind: 'search', text: familyName(focus.name), filters: {} }, ctx.state);
  const text = withoutImpossiblePrices(ctx.text);
  // The entity extractor reads "$1e9" as "$1": with an exponent price in the text, no price filter.
  const entities = text === ctx.text ? ctx.entities : ctx.entities.filter((e) => e.type !== 'price');
  return act({ kind: 'search', text, filters: filtersFromEntities(entities, ctx.policy) }, ctx.state);
}

// "cheaper" keeps what was searched for: the last search again, under the referenced item's price.
function cheaper(ctx: IntentContext): Decision {
  const comparison = comparedWith(ctx);
  if (comparison) return comparison;
  const item = referencedItem(ctx.text, ctx.entities, ctx.state) ?? focusItem(ctx.state);
  if (item && ctx.state.lastSearch) return cheaperThan(ctx, item);
  return withProduct(ctx, (sku) => ({ kind: 'similar', sku, cheaper: true }));
}

function productQuestion(ctx: IntentContext): Decision {
  const named = productFromEntities(ctx.entities);
  if (named)
    return act({ kind: 'product_question', sku: named, text: ctx.text }, { ...ctx.state, focusSku: named });
  const pointed = referencedItem(ctx.text, ctx.entities, ctx.state);
  if (pointed)
    return act(
      { kind: 'product_question', sku: pointed.sku, text: ctx.text },
      { ...ctx.state, focusSku: pointed.sku },
    );
  // A product type or brand that is not the one in focus: find it first ("is the kettle in stock?").
  if (catalogMentions(ctx.entities).length > 0)
    return act({ kind: 'product_question', sku: null, text: ctx.text }, ctx.state);
  const focus = ctx.state.focusSku ?? ctx.state.lastSkus[0] ?? null;
  return act({ kind: 'product_question', sku: focus, text: ctx.text }, { ...ctx.state, focusSku: focus });
}

// A shop question: the help centre's answer, or (below its confidence gate) no guess but the offer
// of a person, which a plain "yes" accepts. Without a knowledge base, the canned shop_policy reply.
function shopQuestion(ctx: IntentContext): Decision {
  if (!ctx.kb) return reply(ctx.intent, ctx.state);
  const action: DialogAction = { kind: 'kb_answer', question: ctx.text, lookup: ctx.kb };
  return act(action, ctx.kb.answer ? ctx.state : { ...ctx.state, pendingConfirm: 'handoff' });
}

// "Where is my order?": the number (given now or before) with the e-mail, or the signed-in customer's
// own orders; after too many wrong pairs only a person can help (the offer, which "yes" accepts).
function orderStatus(ctx: IntentContext): Decision {
  if (ctx.state.orderFailures >= ctx.policy.orderLookupMaxFailures)
    return reply('order_lookup_limit', { ...ctx.state, orderQuery: null, pendingConfirm: 'handoff' });
  const given = readOrderQuery(ctx.text);
  const number = given.number ?? ctx.state.orderQuery?.number ?? null;
  const lastTry = ctx.state.orderFailures + 1 >= ctx.policy.orderLookupMaxFailures;
  return act({ kind: 'order_status', number, email: given.email, lastTry }, ctx.state);
}

function surveyStart(ctx: IntentContext, fallback: string): Decision {
  if (asksSurveyList(ctx.text)) return act({ kind: 'survey_list' }, ctx.state);
  const instrumentId =
    matchInstrument(ctx.text, ctx.instruments, ctx.policy.instruments.personality) ??
    instrumentFromEntities(ctx.entities) ??
    fallback;
  return act({ kind: 'survey_start', instrumentId }, { ...ctx.state, survey: instrumentId });
}

/** Intents with their own decision; everything else is a canned reply or "not understood". */
export const INTENT_ROUTES: Record<string, IntentRoute> = {
  product_search: search,
  recommend: (ctx) => act({ kind: 'recommend' }, ctx.state),
  more_like_this: (ctx) => {
    return comparedWith(ctx) ?? withProduct(ctx, (sku) => ({ kind: 'similar', sku, cheaper: false }));
  },
  cheaper,
  bought_together: (ctx) => withProduct(ctx, (sku) => ({ kind: 'together', sku })),
  add_to_basket: (ctx) => withProduct(ctx, (sku) => ({ kind: 'basket', sku })),
  product_question: productQuestion,
  shop_policy: shopQuestion,
  order_status: orderStatus,
  survey_start: (ctx) => surveyStart(ctx, ctx.policy.instruments.personality),
  survey_list: (ctx) => act({ kind: 'survey_list' }, ctx.state),
  survey_continue: (ctx) =>
    ctx.state.survey
      ? act({ kind: 'survey_start', instrumentId: ctx.state.survey }, ctx.state)
      : surveyStart(ctx, ctx.policy.instruments.personality),
  survey_stop: (ctx) =>
    ctx.state.survey
      ? act({ kind: 'survey_stop', instrumentId: ctx.state.survey }, { ...ctx.state, survey: null })
      : reply('no_survey_active', ctx.state),
  feedback: (ctx) => {
    const named = matchInstrument(ctx.text, ctx.instruments, ctx.policy.instruments.personality);
    const instrumentId = named ?? instrumentFromEntities(ctx.entities) ?? ctx.policy.instruments.nps;
    const score = ctx.entities.find((e) => e.type === 'number' && typeof e.value === 'number');
    const firstAnswer =
      instrumentId === ctx.policy.instruments.nps &&
      score &&
      typeof score.value === 'number' &&
      Number.isInteger(score.value) &&
      score.value >= 0 &&
      score.value <= 10
        ? String(score.value)
        : undefined;
    return act({ kind: 'survey_start', instrumentId, firstAnswer }, { ...ctx.state, survey: instrumentId });
  },
  handoff: (ctx) =>
    act({ kind: 'handoff', reason: 'customer asked for a human' }, { ...ctx.state, survey: null }),
  opt_in: (ctx) => act({ kind: 'opt', optIn: true }, ctx.state),
  opt_out: (ctx) => act({ kind: 'opt', optIn: false }, ctx.state),
  data_export: (ctx) => act({ kind: 'export' }, ctx.state),
  // Deletion cannot be undone: even an explicit request is confirmed.
  data_forget: (ctx) =>
    act({ kind: 'confirm', change: 'forget' }, { ...ctx.state, pendingConfirm: 'forget', survey: null }),
};

/** Turns price and category entities into index filters; impossible prices are dropped. Pure. */
export function filtersFromEntities(
  entities: readonly NluEntity[],
  policy?: Pick<DialogPolicy, 'maxPrice'>,
): ProductFilters {
  const filters: ProductFilters = {};
  const ceiling = policy?.maxPrice ?? Number.MAX_SAFE_INTEGER;
  const sane = (n: number | undefined): n is number =>
    n !== undefined && Number.isFinite(n) && n >= 0 && n <= ceiling;
  for (const e of entities) {
    if (e.type === 'price') {
      if (sane(e.min)) filters.minPrice = e.min;
      if (sane(e.max)) filters.maxPrice = e.max;
      if (e.min === undefined && e.max === undefined && typeof e.value === 'number' && sane(e.value))
        filters.maxPrice = e.value;
    } else if (e.type === 'category' && typeof e.value === 'string') {
      filters.category = e.value;
    }
  }
  if (filters.minPrice !== undefined && filters.maxPrice !== undefined && filters.minPrice > filters.maxPrice)
    return { ...filters, minPrice: filters.maxPrice, maxPrice: filters.minPrice };
  return filters;
}

// "under $1e9" or "below 1e12": exponent notation is no shop price; the phrase is dropped from the
// search text so that it cannot be read as "$1" further down.
const EXPONENT_PRICE =
  /\b(?:under|below|less than|over|above|more than|max|min|up to|at most|at least)?\s*[$€£]?\s*\d+(?:[.,]\d+)?e[+-]?\d+\b/gi;

/** The text without price phrases in exponent notation. Pure. */
export function withoutImpossiblePrices(text: string): string {
  return text.replace(EXPONENT_PRICE, ' ').replace(/\s+/g, ' ').trim() || text;
}

function productFromEntities(entities: readonly NluEntity[]): string | null {
  const p = entities.find((e) => e.type === 'product' && typeof e.value === 'string');
  return p ? String(p.value) : null;
}

function instrumentFromEntities(entities: readonly NluEntity[]): string | null {
  const i = entities.find((e) => e.type === 'instrument' && typeof e.value === 'string');
  return i ? String(i.value) : null;
}
