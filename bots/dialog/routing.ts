// Which intent a message means, combining the intent classifier with what the shop knows. The
// catalog (product types, brands, categories and product names found by the gazetteer) makes a
// message a product request unless the classifier clearly means something else; "not understood"
// is left for messages neither recognises. The help centre competes in the same policy: a question
// the classifier ranks as a shop question goes to the knowledge base, and a confident knowledge-base
// answer lowers the bar for it, so "can I send my boots back?" is answered rather than searched.
// State-changing intents need an explicit request or a yes/no question (explicit-requests.ts). Pure.
import type { KbLookup, NluEntity, NluResult } from '../ports.js';
import { explicitRequest, STATE_CHANGING_INTENTS } from './explicit-requests.js';
import type { DialogPolicy } from './policy.js';

/** Intents about products; a catalog mention keeps them rather than turning them into a search. */
export const PRODUCT_INTENTS: ReadonlySet<string> = new Set([
  'product_search',
  'recommend',
  'more_like_this',
  'cheaper',
  'bought_together',
  'product_question',
  'add_to_basket',
]);

/** Intents that are questions about the shop itself, answered from the knowledge base. */
export const SHOP_INTENTS: ReadonlySet<string> = new Set(['shop_policy']);

// The shop intent a question is routed as when the knowledge base answers it on its own.
const SHOP_INTENT = 'shop_policy';

/** Entity types that name catalog things (the gazetteer's kinds as the NLU port reports them). */
export const CATALOG_ENTITY_TYPES: ReadonlySet<string> = new Set([
  'product',
  'product_type',
  'brand',
  'category',
]);

/** How a message was understood. */
export type Route =
  | { intent: string; via: 'explicit' | 'classifier' | 'catalog' | 'kb'; confirm?: false }
  /** A state-changing intent the classifier guessed: ask yes/no first. */
  | { intent: string; via: 'classifier'; confirm: true }
  | { intent: null };

/** Catalog things the message names. */
export function catalogMentions(entities: readonly NluEntity[]): NluEntity[] {
  return entities.filter((e) => CATALOG_ENTITY_TYPES.has(e.type));
}

// Intents that act on a product already shown; without one, a message naming a type is a search.
const NEEDS_FOCUS: ReadonlySet<string> = new Set([
  'more_like_this',
  'cheaper',
  'bought_together',
  'add_to_basket',
]);

/**
 * Routes one analysed message; `hasFocus` is true when products were shown before, `kb` is the
 * help centre's lookup of the message (absent when the shop has no knowledge base).
 */
export function route(
  text: string,
  nlu: NluResult,
  policy: DialogPolicy,
  hasFocus = true,
  kb?: KbLookup,
): Route {
  const explicit = explicitRequest(text);
  if (explicit) return { intent: explicit, via: 'explicit' };

  const understood = !nlu.outOfScope && nlu.confidence >= policy.minConfidence;
  // A product named in full is something to act on, like a shown one.
  hasFocus ||= nlu.entities.some((e) => e.type === 'product');
  // A type read through a typo correction counts only when the classifier has no idea.
  const mentions = catalogMentions(nlu.entities).concat(
    understood ? [] : nlu.entities.filter((e) => e.type === 'product_type_guess'),
  );
  const clear = !nlu.outOfScope && nlu.confidence >= policy.clearIntentConfidence;
  const top = nlu.intent;

  if (STATE_CHANGING_INTENTS.has(top)) {
    // A guess about consent, deletion or a person never acts; a confident one is asked about,
    // unless the message names products (then it is about them).
    if (mentions.length === 0 && !nlu.outOfScope && nlu.confidence >= policy.stateChangeAskConfidence)
      return { intent: top, via: 'classifier', confirm: true };
    if (mentions.length > 0) return { intent: productIntent(nlu, hasFocus), via: 'catalog' };
    return { intent: null };
  }
  // "what's your cheapest kettle?", "any boots under $80?": products asked for by price, however
  // well a help-centre page that names the product matches (the warranty page's kettle).
  const byPrice = PRICE_ORDER.test(text) || nlu.entities.some((e) => e.type === 'price');
  if (mentions.length > 0 && byPrice && (SHOP_INTENTS.has(top) || !understood))
    return { intent: productIntent(nlu, hasFocus), via: 'catalog' };
  const shop = helpCentreRoute(text, nlu, policy, kb, mentions.length > 0);
  if (shop) return shop;
  if (mentions.length > 0) {
    // "recommend a rain jacket" names what to find: a search, not personal picks.
    if (PRODUCT_INTENTS.has(top) && understood) {
      const search = top === 'recommend' || (NEEDS_FOCUS.has(top) && !hasFocus);
      return { intent: search ? 'product_search' : top, via: 'classifier' };
    }
    if (clear) return { intent: top, via: 'classifier' };
    return { intent: productIntent(nlu, hasFocus), via: 'catalog' };
  }
  return understood ? { intent: top, via: 'classifier' } : { intent: null };
}

// The help centre's route, if it answers the message. A shop question: the classifier ranks a shop
// intent first, and is sure of it or the knowledge base has a confident answer. Product names do
// not turn a question into a search ("is there a warranty on the kettle?"), but a bare product name
// ("gift card") stays one; a classifier that ranks a product intent first keeps "rain jacket" a
// search however well the care guide matches it. And a question the classifier cannot place ("are
// you open right now?" reads to it like small talk about time) that the knowledge base answers
// above its gate: the classifier knows the shop's topics only from its training phrasings, the help
// centre from its pages; a classifier sure of another intent keeps it, products named keep their
// search.
function helpCentreRoute(
  text: string,
  nlu: NluResult,
  policy: DialogPolicy,
  kb: KbLookup | undefined,
  namesProducts: boolean,
): Route | null {
  if (!kb) return null;
  const question = isQuestion(text);
  const unsure = nlu.outOfScope || nlu.confidence < policy.minConfidence;
  if (SHOP_INTENTS.has(nlu.intent) && (question || !namesProducts)) {
    if (!unsure) return { intent: nlu.intent, via: 'kb' };
    if (kb.answer !== null && nlu.confidence >= policy.kbMinShopConfidence)
      return { intent: nlu.intent, via: 'kb' };
  }
  if (unsure && !namesProducts && kb.answer != null && question) return { intent: SHOP_INTENT, via: 'kb' };
  return null;
}

/** Words that ask for products ordered by price ("cheapest", "most expensive"). */
const PRICE_ORDER =
  /\b(?:cheapest|least expensive|most affordable|lowest[- ]priced?|priciest|most expensive|highest[- ]priced?|best value)\b/i;

const QUESTION =
  /\?|^\s*(?:how|what|what's|when|where|which|who|why|do|does|did|can|could|is|are|will|would|should|may|shall|have|has)\b/i;

/** True when the message is phrased as a question ("do you...", "how long...", "...?"). Pure. */
export function isQuestion(text: string): boolean {
  return QUESTION.test(text);
}

// The product intent the classifier ranks highest (a question about stock stays a question), or a
// search.
function productIntent(nlu: NluResult, hasFocus: boolean): string {
  const ranked = nlu.ranking.find((r) => PRODUCT_INTENTS.has(r.intent) && r.confidence >= 0.2);
  if (!ranked || ranked.intent === 'recommend' || (NEEDS_FOCUS.has(ranked.intent) && !hasFocus))
    return 'product_search';
  return ranked.intent;
}
