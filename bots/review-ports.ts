// The review queue's port (learning loop): what the dialogs hand over when a turn went badly.
// server/ adapts the database to it (prisma/repositories/review-queue.ts).
import type { ChannelName, NluDomain } from './ports.js';

/** Why a message was queued for review. */
export type ReviewReason =
  'out_of_scope' | 'did_you_mean' | 'fallback' | 'handoff' | 'low_confidence' | 'kb_low_confidence';

/** A message the assistant did not handle well, with what a reviewer needs to label it. */
export interface ReviewCandidate {
  domain: NluDomain;
  reason: ReviewReason;
  channel: ChannelName;
  conversationId: string;
  /** The user's message, PII-masked. */
  text: string;
  /** What the bot answered this turn (masked). */
  answered: string;
  intent: string | null;
  confidence: number | null;
  /** The classifier's best intents, best first. */
  suggestions: Array<{ intent: string; confidence: number }>;
}

/** Where such messages go (the review queue); the store adds the previous turn from the transcript. */
export interface ReviewQueue {
  enqueue(candidate: ReviewCandidate): Promise<void>;
}

/** A queued item as reviewers see it in Slack. */
export interface ReviewItemCard {
  id: string;
  domain: NluDomain;
  reason: ReviewReason;
  text: string;
  previousText: string | null;
  answered: string;
  confidence: number | null;
  suggestions: Array<{ intent: string; confidence: number }>;
}

/** The review actions Slack offers (server/review's ReviewService fits). */
export interface ReviewDesk {
  /** Open items, oldest first. */
  list(filter: { limit?: number }): Promise<ReviewItemCard[]>;
  /** One item (any status). */
  get(id: string): Promise<ReviewItemCard>;
  /** The intents an item of the domain may be labelled with. */
  labels(domain: NluDomain): Promise<string[]>;
  label(id: string, intent: string, by: string): Promise<unknown>;
  answer(id: string, answer: { text: string; title?: string }, by: string): Promise<unknown>;
  /** Existing knowledge-base entries closest to a message, best first (none without a knowledge base). */
  kbEntries(text: string): Promise<Array<{ documentId: string; title: string }>>;
  /** Answers an item with an existing knowledge-base entry (the message becomes a phrasing of its question). */
  answerWith(id: string, documentId: string, by: string): Promise<unknown>;
  ignore(id: string, by: string): Promise<unknown>;
}

/** Rolls a domain's served intent model back to its previous version (every process follows). */
export interface IntentVersions {
  rollback(domain: NluDomain): Promise<{ from: number; to: number }>;
}
