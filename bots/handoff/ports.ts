// The handoff's ports: storage (prisma/ implements it), the Slack side (bots/channels/slack), the
// bus that carries a relayed message to whichever process holds the customer's stream (Redis or
// in-process, server/handoff), and the customer's stream itself (the Direct Line buffer).
import { z } from 'zod';
import type { ChannelName, HandoffStats, HandoffView } from '../ports.js';

/** Where a handoff stands. */
export type HandoffStatus = 'open' | 'claimed' | 'released';

/** One handoff as the relay needs it. */
export interface HandoffRecord {
  id: string;
  conversationId: string;
  /** The channel's id of the conversation (the Direct Line conversation id for web chat). */
  conversationExternalId: string;
  channel: ChannelName;
  status: HandoffStatus;
  reason: string | null;
  claimedBy: string | null;
  slackChannel: string | null;
  slackTs: string | null;
  createdAt: Date;
  claimedAt: Date | null;
  firstReplyAt: Date | null;
  closedAt: Date | null;
  closedBy: string | null;
}

/**
 * How much of a customer's personal data (their words, their name) a member's role may read:
 * in clear, with e-mails, phone, card and IBAN numbers masked, or nothing. The server's role
 * table decides; the channel announcement shows what the least privileged role may read.
 */
export type PersonalDataView = 'clear' | 'masked' | 'hidden';

/** One message of a conversation's transcript, decrypted. */
export interface TranscriptEntry {
  at: Date;
  /** The customer's words, the assistant's (replies and notices) or a person's from the team. */
  from: 'customer' | 'assistant' | 'agent';
  /** The agent's display name. */
  author?: string;
  text: string;
}

/** A handoff with its conversation's transcript (oldest first, decrypted: readers mask it). */
export interface HandoffTranscript {
  record: HandoffRecord;
  customerName: string | null;
  entries: TranscriptEntry[];
  /** Older messages left out past the limit. */
  omitted: number;
}

/** Who wrote a relayed message. */
export type RelayDirection = 'agent' | 'notice' | 'customer';

/** A message to put on the customer's stream (agent reply or assistant notice). */
export const ZRelayMessage = z.object({
  messageId: z.string().min(1).max(100),
  handoffId: z.string().min(1).max(100),
  channel: z.enum(['webchat', 'slack', 'api']),
  conversationExternalId: z.string().min(1).max(300),
  direction: z.enum(['agent', 'notice']),
  /** Shown as the sender (agent's display name); absent for notices (the assistant). */
  author: z.string().max(200).optional(),
  text: z.string().min(1).max(8_000),
  /** Quick replies under a notice (e.g. the CSAT offer). */
  suggestions: z
    .array(
      z.object({ title: z.string().max(200), text: z.string().max(500), action: z.unknown().optional() }),
    )
    .max(10)
    .optional(),
  /** Milliseconds since the epoch when the relay received it (latency benchmark). */
  receivedAt: z.number().int().nonnegative(),
});
/** A message on its way to the customer. */
export type RelayMessage = z.infer<typeof ZRelayMessage>;

/** Handoffs and their relayed messages in the database. */
export interface HandoffRepository {
  get(id: string): Promise<HandoffRecord | null>;
  /** The record with the customer's name and the conversation's last `limit` messages. */
  transcript(id: string, limit: number): Promise<HandoffTranscript | null>;
  /** The open or claimed handoff of a conversation. */
  activeFor(conversationId: string): Promise<HandoffRecord | null>;
  /** The handoff announced at this Slack message. */
  byThread(slackChannel: string, slackTs: string): Promise<HandoffRecord | null>;
  /** Open and claimed handoffs, oldest first. */
  listActive(limit: number): Promise<HandoffRecord[]>;
  setAnnouncement(id: string, slackChannel: string, slackTs: string): Promise<void>;
  /** open → claimed by `by`; null when closed or unknown. Claiming a claimed one changes the agent. */
  claim(id: string, by: string, at: Date): Promise<HandoffRecord | null>;
  /** → released; null when already closed or unknown (so the first close wins). */
  close(id: string, by: string, at: Date): Promise<HandoffRecord | null>;
  /** Sets firstReplyAt when not set yet; true when this was the first reply. */
  noteReply(id: string, at: Date): Promise<boolean>;
  /** The queue as marketers see it: names decrypted, thread links. */
  listViews(limit: number): Promise<HandoffView[]>;
  /** Figures since a date. */
  stats(since: Date): Promise<HandoffStats>;
  /** Stores a relayed message; null when its key was stored before (a retry). */
  addMessage(
    handoffId: string,
    message: { direction: RelayDirection; author?: string; text: string; eventKey: string },
  ): Promise<{ id: string } | null>;
  markDelivered(messageIds: readonly string[], at: Date): Promise<void>;
  markPosted(messageId: string, at: Date): Promise<void>;
  /** Agent messages and notices not yet put on a stream, of the conversation's latest handoffs. */
  undelivered(channel: ChannelName, conversationExternalId: string): Promise<RelayMessage[]>;
  /** The customer's messages in this handoff, newest first, decrypted (at most `limit`). */
  customerTexts(handoffId: string, limit: number): Promise<string[]>;
  /**
   * Records the customer's consent to be contacted about this handoff (a Consent row); false when
   * it was recorded already (a resent "yes"), and then nothing is written.
   */
  recordContactConsent(handoffId: string, source: string, at: Date): Promise<boolean>;
  /** Customer messages older than `olderThan` not yet posted in their thread, oldest first. */
  unposted(
    olderThan: Date,
    limit: number,
  ): Promise<Array<{ messageId: string; record: HandoffRecord; text: string }>>;
}

/** The announcement as data; the Slack side renders it as Block Kit. */
export interface AnnouncementView {
  handoffId: string;
  customer: string;
  channel: ChannelName;
  language: string;
  reason: string;
  status: HandoffStatus;
  claimedBy: string | null;
  closedBy: string | null;
  /** "Customer: ..." / "Assistant: ..." lines as every member may read them (none when hidden). */
  lastMessages: string[];
  /** Messages in the conversation so far (the Transcript button shows them). */
  messageCount: number;
  createdAt: Date;
}

/** The Slack Web API as the handoff uses it. */
export interface HandoffSlack {
  announce(channel: string, view: AnnouncementView): Promise<{ channel: string; ts: string }>;
  update(channel: string, ts: string, view: AnnouncementView): Promise<void>;
  postInThread(channel: string, threadTs: string, text: string): Promise<void>;
  /** The member's display name (real name, then handle, then the id). */
  displayName(userId: string): Promise<string>;
}

/** Carries relayed messages to every process; each delivers what its streams hold. */
export interface RelayBus {
  publish(message: RelayMessage): Promise<void>;
  subscribe(handler: (message: RelayMessage) => void): () => void;
  close(): Promise<void>;
}

/** The customer's live stream in this process (the Direct Line buffer). */
export interface CustomerStreams {
  /** Appends the message when this process holds the conversation; false otherwise. */
  deliver(message: RelayMessage): boolean;
}
