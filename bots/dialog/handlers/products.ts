// Product actions: search, recommendations, similar items, bought together, questions, basket.
import type { ProductCard } from '../../ports.js';
import type { DialogAction } from '../actions.js';
import { formatPrice } from '../format.js';
import type { DialogState } from '../state.js';
import {
  say as sayResponse,
  textReply,
  type ActionContext,
  type ActionHandler,
  type Executed,
} from './context.js';

const PAGE = 4;

type Listing = Extract<DialogAction, { kind: 'search' | 'recommend' | 'similar' | 'together' }>;

function show(
  ctx: ActionContext,
  action: Listing,
  products: ProductCard[],
  found: string,
  empty: string,
  vars: Record<string, string | number> = {},
  focus?: string,
): Executed {
  if (products.length === 0) return sayResponse(ctx, empty, action.kind, vars);
  const next: DialogState = {
    ...ctx.state,
    lastSkus: products.map((p) => p.sku),
    lastItems: products.map((p) => ({ sku: p.sku, name: p.name.slice(0, 300), price: p.price })),
    focusSku: focus ?? null,
  };
  // A refinement ("cheaper") keeps the search it refines, so the next "cheaper" refines it again.
  if (action.kind === 'search' && !action.cheaperThan)
    next.lastSearch = { text: action.text.slice(0, 500), filters: action.filters };
  if (action.kind !== 'search') next.lastSearch = null;
  const intro = ctx.deps.responses.text(found, vars);
  return { replies: [{ kind: 'products', text: intro, products, tag: action.kind }], state: next };
}

export const search: ActionHandler<'search'> = async (action, ctx) => {
  const answer = await ctx.deps.catalog.find({ text: action.text, filters: action.filters, k: PAGE });
  if (action.cheaperThan) {
    const vars = {
      name: action.cheaperThan.name,
      price: formatPrice(action.cheaperThan.price, answer.products[0]?.currency ?? 'USD'),
    };
    const cheaper =
      answer.status === 'matched' ? answer.products.filter((p) => p.price < action.cheaperThan!.price) : [];
    if (cheaper.length > 0 || !ctx.state.focusSku)
      return show(ctx, action, cheaper, 'cheaper_found', 'cheaper_empty', vars);
    // Nothing of that kind costs less: say so, and offer cheaper things like it, labelled as such.
    const nearest = await ctx.deps.catalog.similar(ctx.state.focusSku, { k: PAGE, cheaper: true });
    const shown = show(ctx, action, nearest, 'cheaper_nearest', 'cheaper_empty', vars, ctx.state.focusSku);
    return { ...shown, replies: shown.replies.map((r) => ({ ...r, tag: 'search:nearest' })) };
  }
  if (answer.status === 'no-match') {
    // Nothing meets the request: say so, and show the nearest products labelled as such.
    const shown = show(ctx, action, answer.products, 'search_found', 'search_empty');
    const notice = answer.notice ?? ctx.deps.responses.text('search_nearest');
    return {
      ...shown,
      replies: shown.replies.map((r) =>
        r.kind === 'products' ? { ...r, text: notice, tag: 'search:nearest' } : r,
      ),
    };
  }
  const shown = show(ctx, action, answer.products, 'search_found', 'search_empty');
  if (answer.notes.length === 0) return shown;
  return {
    ...shown,
    replies: shown.replies.map((r) =>
      r.kind === 'products' ? { ...r, text: `${answer.notes.join(' ')} ${r.text}` } : r,
    ),
  };
};

export const recommend: ActionHandler<'recommend'> = async (action, ctx) =>
  show(
    ctx,
    action,
    await ctx.deps.catalog.forCustomer(ctx.turn.customerId, PAGE),
    'recommend_found',
    'recommend_empty',
  );

export const similar: ActionHandler<'similar'> = async (action, ctx) => {
  const products = await ctx.deps.catalog.similar(action.sku, { k: PAGE, cheaper: action.cheaper });
  const [found, empty] = action.cheaper
    ? ['similar_cheaper_found', 'similar_cheaper_empty']
    : ['similar_found', 'similar_empty'];
  return show(ctx, action, products, found, empty, {}, action.sku);
};

export const cheaperLike: ActionHandler<'cheaper_like'> = async (action, ctx) => {
  const found = await ctx.deps.catalog.find({ text: action.anchor, filters: {}, k: PAGE });
  // Several products fit the words ("the chunky-knit throw", two brands): compare with the dearest,
  // so the cheaper ones that fit the same words are among the answers.
  const anchor =
    found.status === 'matched'
      ? found.products.reduce<ProductCard | undefined>((a, p) => (a && a.price >= p.price ? a : p), undefined)
      : undefined;
  if (!anchor) return sayResponse(ctx, 'cheaper_like_unknown', 'cheaper_like', { anchor: action.anchor });
  const products = await ctx.deps.catalog.similar(anchor.sku, { k: PAGE, cheaper: true });
  const vars = { name: anchor.name, price: formatPrice(anchor.price, anchor.currency) };
  const listing = { kind: 'similar', sku: anchor.sku, cheaper: true } as const;
  return show(ctx, listing, products, 'cheaper_like_found', 'cheaper_like_empty', vars, anchor.sku);
};

export const together: ActionHandler<'together'> = async (action, ctx) =>
  show(
    ctx,
    action,
    await ctx.deps.catalog.boughtTogether(action.sku, PAGE),
    'together_found',
    'together_empty',
    {},
    action.sku,
  );

export const basket: ActionHandler<'basket'> = async (action, ctx) => {
  const product = await ctx.deps.catalog.get(action.sku);
  if (!product) return sayResponse(ctx, 'product_gone', 'basket');
  await ctx.deps.catalog.recordInteraction(ctx.turn.customerId, action.sku, 'cart', ctx.turn.key);
  const text = ctx.deps.responses.text('added_to_basket', { name: product.name });
  return {
    replies: [
      textReply(text, 'basket', [
        {
          title: 'What goes with it?',
          text: 'What goes with it?',
          action: { a: 'together', sku: action.sku },
        },
      ]),
    ],
    state: ctx.state,
  };
};

const ASKS_STOCK = /\b(?:in stock|stock|available|availability|sold out|have (?:it|any|one)|left)\b/i;
const ASKS_PRICE = /\b(?:how much|price|cost|costs|expensive)\b/i;

export const productQuestion: ActionHandler<'product_question'> = async (action, ctx) => {
  let sku = action.sku;
  if (!sku) {
    const found = await ctx.deps.catalog.find({ text: action.text, filters: {}, k: 1 });
    if (found.status !== 'matched' || found.products.length === 0)
      return sayResponse(ctx, 'which_product', 'product_question');
    sku = found.products[0]!.sku;
  }
  const p = await ctx.deps.catalog.get(sku);
  if (!p) return sayResponse(ctx, 'product_gone', 'product_question');
  const price = formatPrice(p.price, p.currency);
  const say = (name: string, vars: Record<string, string | number> = {}) =>
    ctx.deps.responses.text(name, { name: p.name, price, ...vars });
  let text: string;
  if (ASKS_STOCK.test(action.text) && p.stock !== undefined)
    text = p.stock > 0 ? say('stock_yes', { count: p.stock }) : say('stock_no');
  else if (ASKS_PRICE.test(action.text)) text = say('price_answer');
  else {
    const details = [p.description, p.category ? `Category: ${p.category}.` : ''].filter(Boolean).join(' ');
    text = say('about_product', { details: details || 'no further details.' });
  }
  return {
    replies: [{ kind: 'products', text, products: [p], tag: 'product_question' }],
    state: {
      ...ctx.state,
      focusSku: p.sku,
      lastSkus: [p.sku],
      lastItems: [{ sku: p.sku, name: p.name.slice(0, 300), price: p.price }],
    },
  };
};
