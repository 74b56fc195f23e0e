// What every action handler receives and returns.
import type {
  Catalog,
  ChannelName,
  ConversationStore,
  HelpCentre,
  OrderStatusLookup,
  Privacy,
  Surveys,
} from '../../ports.js';
import type { DialogAction } from '../actions.js';
import type { Responses } from '../responses.js';
import type { DialogState } from '../state.js';
import type { LiveReply, Reply, Suggestion } from '../types.js';

/**
 * The live handoff (bots/handoff), when a person can be reached in Slack. Never throws: a Slack or
 * relay failure is logged and retried by the desk's sweep, the customer's turn goes on.
 */
export interface HandoffHooks {
  /** A handoff was opened: announce it; `open: false` outside business hours (`hours` says when). */
  opened(handoffId: string): Promise<{ open: boolean; hours: string }>;
  /** The customer agreed to be e-mailed at the address they gave; false when none was found. */
  contactConsent(conversationId: string, channel: ChannelName): Promise<boolean>;
  /** A customer message while a person has the conversation: post it in the thread. */
  customerMessage(conversationId: string, text: string, eventKey: string): Promise<void>;
  /** The customer went back to the assistant or deleted their data. */
  customerLeft(conversationId: string, how: 'back_to_bot' | 'forgotten'): Promise<void>;
}

/** Ports the executor needs. */
export interface ExecuteDeps {
  catalog: Catalog;
  surveys: Surveys;
  store: ConversationStore;
  privacy: Privacy;
  brandName: string;
  /** The live handoff; without it a handoff only stops the assistant (nobody is told). */
  handoff?: HandoffHooks;
  /** The shop's help centre; without one, shop questions get the canned shop_policy reply. */
  kb?: HelpCentre;
  /** Order status from the shop's data; without it "where is my order?" is handed to a person. */
  orders?: OrderStatusLookup;
  /** The bot's wording (responses.yml); the shipped file when not given. */
  responses?: Responses;
}

/** Who the turn is for. */
export interface TurnInfo {
  conversationId: string;
  customerId: string;
  channel: ChannelName;
  /** The channel's id of the customer's message (idempotent relaying). */
  activityId?: string;
  /**
   * The turn's own key ("<conversationId>:<activityId>", see `turnKey`), given to every write the
   * turn makes; each store keeps it under a unique constraint, so a resend that finishes a turn the
   * database left half-written repeats none of them. Absent for a message without an activity id.
   */
  key?: string;
  /** Shows an answer while it is written, when the channel can (web chat). */
  live?: LiveReply;
}

/** Result of executing an action. `forgotten` means the conversation no longer exists. */
export interface Executed {
  replies: Reply[];
  state: DialogState;
  forgotten?: boolean;
}

/** One handler's view of the turn. */
export interface ActionContext {
  state: DialogState;
  turn: TurnInfo;
  deps: ExecuteDeps & { responses: Responses };
}

/** Performs one kind of action. */
export type ActionHandler<K extends DialogAction['kind']> = (
  action: Extract<DialogAction, { kind: K }>,
  ctx: ActionContext,
) => Promise<Executed>;

/** A text reply from responses.yml, tagged with what the bot did. */
export function say(
  ctx: ActionContext,
  name: string,
  tag: string,
  vars: Record<string, string | number> = {},
  state: DialogState = ctx.state,
): Executed {
  const r = ctx.deps.responses.render(name, vars);
  return { replies: [textReply(r.text, tag, r.suggestions)], state };
}

/** A plain text reply. */
export function textReply(text: string, tag: string, suggestions?: Suggestion[]): Reply {
  return suggestions && suggestions.length > 0
    ? { kind: 'text', text, suggestions, tag }
    : { kind: 'text', text, tag };
}

/**
 * The key a turn's writes are recorded under: the conversation and the message's activity id (for
 * web chat the client's clientActivityID, the same on every resend), unique across conversations.
 */
export function turnKey(conversationId: string, activityId: string): string {
  return `${conversationId}:${activityId}`;
}
