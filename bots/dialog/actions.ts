// What the bot can do in one turn. decide.ts picks one DialogAction; execute.ts looks its handler
// up in the registry (handlers/index.ts). To add an action: add a member here, write its handler,
// register it there, and route an intent to it in intent-routes.ts.
import type { KbLookup, NluResult, ProductFilters } from '../ports.js';
import type { DialogPolicy } from './policy.js';
import type { Confirmable, DialogState } from './state.js';
import type { InboundMessage } from './types.js';

/** Which product a follow-up refers to, when decide cannot know the SKU without the catalog. */
export type ProductRef = { sku: string } | { query: string };

/** What the bot does this turn. */
export type DialogAction =
  | { kind: 'silent'; reason: 'handoff' | 'duplicate' }
  /** A canned reply from responses.yml. */
  | { kind: 'reply'; reply: string; vars?: Record<string, string | number> }
  | { kind: 'search'; text: string; filters: ProductFilters; cheaperThan?: { name: string; price: number } }
  | { kind: 'recommend' }
  | { kind: 'similar'; sku: string; cheaper: boolean }
  /** "Something like <anchor> but cheaper": the anchor is found by a search for its words. */
  | { kind: 'cheaper_like'; anchor: string }
  | { kind: 'together'; sku: string }
  | { kind: 'product_question'; sku: string | null; text: string }
  | { kind: 'basket'; sku: string }
  | { kind: 'survey_start'; instrumentId: string; firstAnswer?: string }
  | { kind: 'survey_answer'; instrumentId: string; text: string }
  | { kind: 'survey_stop'; instrumentId: string }
  | { kind: 'survey_list' }
  /** A help-centre answer, or (no answer above the gate) "I don't have that information" + a person. */
  | { kind: 'kb_answer'; question: string; lookup: KbLookup }
  /**
   * Order status: by number (+ e-mail, unless it is the customer's own order), or their latest.
   * `lastTry`: one more wrong pair reaches the conversation's limit.
   */
  | { kind: 'order_status'; number: string | null; email: string | null; lastTry: boolean }
  | { kind: 'handoff'; reason: string }
  /** During a handoff: the customer's message goes to the person (Slack thread). */
  | { kind: 'relay'; text: string; askContact?: boolean }
  /** During a handoff: the customer goes back to the assistant. */
  | { kind: 'handoff_end' }
  /** During a handoff: the customer agreed to be e-mailed about it at the address they gave. */
  | { kind: 'contact_consent' }
  | { kind: 'opt'; optIn: boolean }
  | { kind: 'export' }
  /** Asks yes/no before a state change the customer did not request explicitly. */
  | { kind: 'confirm'; change: Confirmable }
  | { kind: 'forget' }
  /** "Did you mean": two intents as buttons that carry the customer's own words. */
  | { kind: 'disambiguate'; options: [string, string]; text: string };

/** The kind of an action. */
export type ActionKind = DialogAction['kind'];

/** Instruments the customer may start, as the dialog matches them by name. */
export interface InstrumentInfo {
  id: string;
  title: string;
  description?: string;
}

/** Input of one decision. */
export interface DecisionInput {
  state: DialogState;
  message: Pick<InboundMessage, 'text' | 'action' | 'attachments'>;
  /** Null when there was no text to analyse. */
  nlu: NluResult | null;
  handoffOpen: boolean;
  /** A person can be reached (a handoff channel is configured): failures and anger open a handoff. */
  handoffAvailable?: boolean;
  policy: DialogPolicy;
  /** Intents that have a canned reply in responses.yml. */
  canned?: ReadonlySet<string>;
  /** Surveys that can be started by name (empty: only the policy's defaults). */
  instruments?: readonly InstrumentInfo[];
  /** What the help centre says about this message; absent when the shop has no knowledge base. */
  kb?: KbLookup;
}

/** Output of one decision. */
export interface Decision {
  action: DialogAction;
  state: DialogState;
  /** Adds the "shall I get a person?" offer after the action's own reply (repeated frustration). */
  offerHandoff?: boolean;
}
