// Performs one DialogAction through the ports and phrases the result. All decisions were made in
// decide.ts; this file only does I/O and wording, and feeds results (shown SKUs, survey end) back
// into the state.
import type {
  Catalog,
  ChannelName,
  ConversationStore,
  Privacy,
  ProductCard,
  SurveyStep,
  Surveys,
} from '../ports.js';
import type { DialogAction } from './decide.js';
import { cannedText, INTENT_LABELS, starterSuggestions } from './messages.js';
import type { DialogState } from './state.js';
import type { Reply, Suggestion } from './types.js';

/** Ports the executor needs. */
export interface ExecuteDeps {
  catalog: Catalog;
  surveys: Surveys;
  store: ConversationStore;
  privacy: Privacy;
  brandName: string;
}

/** Who the turn is for. */
export interface TurnInfo {
  conversationId: string;
  customerId: string;
  channel: ChannelName;
}

/** Result of executing an action. `forgotten` means the conversation no longer exists. */
export interface Executed {
  replies: Reply[];
  state: DialogState;
  forgotten?: boolean;
}

const PAGE = 4;

/** Runs an action and returns what to say. */
export async function execute(
  action: DialogAction,
  state: DialogState,
  turn: TurnInfo,
  deps: ExecuteDeps,
): Promise<Executed> {
  const text = (t: string, suggestions?: Suggestion[]): Executed => ({
    replies: [{ kind: 'text', text: t, suggestions }],
    state,
  });
  switch (action.kind) {
    case 'silent':
      return { replies: [], state };
    case 'reply': {
      const withStarters =
        action.reply === 'greet' || action.reply === 'help' || action.reply === 'out_of_scope';
      return text(cannedText(action.reply, deps.brandName), withStarters ? starterSuggestions() : undefined);
    }
    case 'search':
    case 'recommend':
    case 'similar':
    case 'together': {
      const list = listing(action, turn, deps);
      return showProducts(await list.load(), state, list.intro, list.empty, list.focus);
    }
    case 'product_question':
      return answerProductQuestion(action.sku, action.text, state, deps);
    case 'basket': {
      const product = await deps.catalog.get(action.sku);
      if (!product) return text('That product is no longer available.');
      await deps.catalog.recordInteraction(turn.customerId, action.sku, 'cart');
      return text(`Added ${product.name} to your basket.`, [
        {
          title: 'What goes with it?',
          text: 'What goes with it?',
          action: { a: 'together', sku: action.sku },
        },
      ]);
    }
    case 'survey_start': {
      let step = await deps.surveys.start(turn.customerId, action.instrumentId, turn.channel);
      if (action.firstAnswer !== undefined && step.kind === 'question' && step.index === 1) {
        step = await deps.surveys.answer(
          turn.customerId,
          action.instrumentId,
          action.firstAnswer,
          turn.channel,
        );
      }
      return surveyReply(step, state);
    }
    case 'survey_answer':
      return surveyReply(
        await deps.surveys.answer(turn.customerId, action.instrumentId, action.text.trim(), turn.channel),
        state,
      );
    case 'survey_stop':
      await deps.surveys.stop(turn.customerId, action.instrumentId, turn.channel);
      return text('OK, I paused the survey. Say "continue the survey" whenever you like.');
    case 'handoff':
      await deps.store.openHandoff(turn.conversationId, action.reason);
      return text(
        "I've asked a colleague to join. They will answer here shortly; until then I'll stay quiet.",
      );
    case 'opt':
      await deps.privacy.setMarketingOptIn(turn.customerId, action.optIn, turn.channel);
      return text(
        action.optIn
          ? "Done: you'll get our offers. You can opt out any time."
          : "Done: you won't get marketing messages from us any more.",
      );
    case 'export':
      return text(describeExport(await deps.privacy.exportData(turn.customerId)));
    case 'forget_confirm':
      return text('This deletes everything we store about you, including this conversation. Are you sure?', [
        { title: 'Yes, delete it', text: 'Yes, delete my data', action: { a: 'confirm', yes: true } },
        { title: 'No, keep it', text: 'No, keep my data', action: { a: 'confirm', yes: false } },
      ]);
    case 'forget':
      await deps.privacy.forget(turn.customerId);
      return {
        replies: [{ kind: 'text', text: 'Done. Everything we stored about you has been deleted.' }],
        state,
        forgotten: true,
      };
    case 'disambiguate': {
      const [a, b] = action.options;
      const suggestions = [a, b].map((intent) => ({
        title: INTENT_LABELS[intent] ?? intent,
        text: INTENT_LABELS[intent] ?? intent,
        action: { a: 'intent' as const, intent, text: '' },
      }));
      return text(
        `I'm not sure I understood. Did you mean "${suggestions[0]!.title}" or "${suggestions[1]!.title}"?`,
        suggestions,
      );
    }
  }
}

type ListingAction = Extract<DialogAction, { kind: 'search' | 'recommend' | 'similar' | 'together' }>;

/** Where a product list comes from, and how the answer is worded with and without results. */
function listing(
  action: ListingAction,
  turn: TurnInfo,
  deps: ExecuteDeps,
): { load: () => Promise<ProductCard[]>; intro: string; empty: string; focus?: string } {
  switch (action.kind) {
    case 'search':
      return {
        load: () => deps.catalog.search({ text: action.text, filters: action.filters, k: PAGE }),
        intro: 'Here is what I found:',
        empty: "I couldn't find anything matching that. Try other words or a wider price range.",
      };
    case 'recommend':
      return {
        load: () => deps.catalog.forCustomer(turn.customerId, PAGE),
        intro: 'Picked for you:',
        empty: 'I have nothing to recommend yet. Tell me what you are looking for.',
      };
    case 'similar':
      return {
        load: () => deps.catalog.similar(action.sku, { k: PAGE, cheaper: action.cheaper }),
        intro: action.cheaper ? 'Cheaper alternatives:' : 'More like this:',
        empty: action.cheaper
          ? 'That is already the cheapest of its kind.'
          : 'I have nothing similar to that one.',
        focus: action.sku,
      };
    case 'together':
      return {
        load: () => deps.catalog.boughtTogether(action.sku, PAGE),
        intro: 'Often bought together with it:',
        empty: 'Nothing is usually bought with that one yet.',
        focus: action.sku,
      };
  }
}

function showProducts(
  products: ProductCard[],
  state: DialogState,
  intro: string,
  empty: string,
  focus?: string,
): Executed {
  if (products.length === 0) return { replies: [{ kind: 'text', text: empty }], state };
  const next: DialogState = { ...state, lastSkus: products.map((p) => p.sku), focusSku: focus ?? null };
  return { replies: [{ kind: 'products', text: intro, products }], state: next };
}

async function answerProductQuestion(
  sku: string | null,
  question: string,
  state: DialogState,
  deps: ExecuteDeps,
): Promise<Executed> {
  if (!sku) {
    const found = await deps.catalog.search({ text: question, filters: {}, k: 1 });
    if (found.length === 0)
      return { replies: [{ kind: 'text', text: 'Which product do you mean? Search for it first.' }], state };
    sku = found[0]!.sku;
  }
  const p = await deps.catalog.get(sku);
  if (!p) return { replies: [{ kind: 'text', text: 'That product is no longer available.' }], state };
  const details = [p.description, p.category ? `Category: ${p.category}.` : ''].filter(Boolean).join(' ');
  return {
    replies: [
      { kind: 'products', text: `About ${p.name}: ${details || 'no further details.'}`, products: [p] },
    ],
    state: { ...state, focusSku: p.sku, lastSkus: [p.sku] },
  };
}

/** Phrases a survey step; buttons for scale options, "n of m" progress. */
export function surveyReply(step: SurveyStep, state: DialogState): Executed {
  if (step.kind !== 'question')
    return { replies: [{ kind: 'text', text: step.text }], state: { ...state, survey: null } };
  const question = step.total > 0 ? `(${step.index} of ${step.total}) ${step.text}` : step.text;
  const parts = [step.preface, step.reask, question].filter((s): s is string => Boolean(s));
  // The button shows the label ("4 · Agree") and sends the value ("4") the survey parser reads.
  const suggestions = step.options.map((o) => ({ title: o.label, text: o.value }));
  return {
    replies: [
      {
        kind: 'text',
        text: parts.join('\n\n'),
        suggestions: suggestions.length > 0 ? suggestions : undefined,
      },
    ],
    state: { ...state, survey: step.instrumentId },
  };
}

/** A short, readable account of an export (the full JSON is available to support on request). */
export function describeExport(data: Record<string, unknown>): string {
  const lines = ['Here is what we store about you:'];
  for (const [key, value] of Object.entries(data)) {
    if (Array.isArray(value)) lines.push(`• ${key}: ${value.length} record${value.length === 1 ? '' : 's'}`);
    else if (value && typeof value === 'object')
      lines.push(`• ${key}: ${Object.keys(value).length} field(s)`);
    else if (value !== null && value !== undefined && value !== '') lines.push(`• ${key}: ${String(value)}`);
  }
  if (lines.length === 1) lines.push('• nothing yet besides this conversation');
  lines.push('Say "forget me" to delete it all.');
  return lines.join('\n');
}
