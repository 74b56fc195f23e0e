// Channel-agnostic message shapes: every channel turns its payload into an InboundMessage at the
// edge and renders Reply values back into its own format (Bot Framework activities, Block Kit).
import type { ChannelName, ProductCard } from '../ports.js';

/** A button press carried as structured data, so it bypasses intent classification. */
export type ButtonAction =
  | { a: 'more'; sku: string }
  | { a: 'cheaper'; sku: string }
  | { a: 'together'; sku: string }
  | { a: 'basket'; sku: string }
  | { a: 'intent'; intent: string; text: string }
  | { a: 'confirm'; yes: boolean };

/** One inbound user message, whatever the channel. */
export interface InboundMessage {
  channel: ChannelName;
  /** Channel-side conversation id. */
  conversationExternalId: string;
  /** Channel-side user id. */
  userExternalId: string;
  /** Channel activity id, for idempotent retries. */
  activityId?: string;
  text: string;
  /** Parsed button payload, when the message came from a button. */
  action?: ButtonAction;
  /** Attachments the user sent (the bot only reads their type). */
  attachments: Array<{ contentType: string; name?: string }>;
}

/**
 * A reply shown while it is being written (web chat's livestreaming): each update carries the whole
 * text so far; the turn's reply marked `streamed` then replaces it. Channels without it get only
 * the final reply.
 */
export interface LiveReply {
  update(textSoFar: string): void;
}

/** A quick-reply button. */
export interface Suggestion {
  /** Shown on the button. */
  title: string;
  /** Sent back as the user's message text. */
  text: string;
  /** Structured payload, when the button maps to a fixed action. */
  action?: ButtonAction;
}

/** One thing the bot says; `tag` names what the bot did ("search", "reply:greet"), no customer data. */
export type Reply =
  | {
      kind: 'text';
      text: string;
      suggestions?: Suggestion[];
      tag?: string;
      /** Replaces what a LiveReply showed during the turn (the final text of a streamed answer). */
      streamed?: boolean;
    }
  | { kind: 'products'; text: string; products: ProductCard[]; suggestions?: Suggestion[]; tag?: string };
