// The review queue in the database: messages the assistant handled badly (ReviewItem), and the
// training examples reviewers' labels become (NluExample, source "review", with who and when).
// Texts arrive PII-masked; the previous turn is read from the encrypted transcript and masked here.
import type { PrismaClient } from '../generated/client.js';
import { ReviewError } from '../../bots/review-errors.js';
import type { ChannelName, NluDomain } from '../../bots/ports.js';
import type { ReviewCandidate, ReviewQueue, ReviewReason } from '../../bots/review-ports.js';

/** Where an item stands. */
export type ReviewStatus = 'open' | 'labelled' | 'answered' | 'ignored';

/** An item as reviewers see it. */
export interface ReviewItemView {
  id: string;
  domain: NluDomain;
  reason: ReviewReason;
  channel: ChannelName;
  text: string;
  previousText: string | null;
  previousReply: string | null;
  answered: string;
  intent: string | null;
  confidence: number | null;
  suggestions: Array<{ intent: string; confidence: number }>;
  status: ReviewStatus;
  label: string | null;
  kbDocumentId: string | null;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  createdAt: Date;
}

/** A reviewed training example. */
export interface ReviewedExample {
  text: string;
  intent: string;
  labelledBy: string | null;
  labelledAt: Date | null;
}

/** What the store needs: the transcript's cipher and the PII mask. */
export interface ReviewQueueOptions {
  decrypt(stored: string): string;
  mask(text: string): string;
}

// Messages read back to find the previous turn: the current turn's bot replies, its user message,
// then the previous turn's replies and message.
const TRANSCRIPT_WINDOW = 12;
const MAX_TEXT = 2000;

/** The review queue over Prisma. */
export class PrismaReviewQueue implements ReviewQueue {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: ReviewQueueOptions,
  ) {}

  /** Queues a message with the turn before it. */
  async enqueue(c: ReviewCandidate): Promise<void> {
    const previous = await this.previousTurn(c.conversationId);
    await this.prisma.reviewItem.create({
      data: {
        domain: c.domain,
        reason: c.reason,
        channel: c.channel,
        conversationId: c.conversationId,
        text: c.text.slice(0, MAX_TEXT),
        answered: c.answered.slice(0, MAX_TEXT),
        previousText: previous.text,
        previousReply: previous.reply,
        intent: c.intent,
        confidence: c.confidence === null || !Number.isFinite(c.confidence) ? null : c.confidence,
        suggestions: c.suggestions,
      },
    });
  }

  /** Items, oldest first (open ones by default). */
  async list(
    filter: { status?: ReviewStatus; domain?: NluDomain; limit?: number } = {},
  ): Promise<ReviewItemView[]> {
    const rows = await this.prisma.reviewItem.findMany({
      where: { status: filter.status ?? 'open', ...(filter.domain ? { domain: filter.domain } : {}) },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: filter.limit ?? 50,
    });
    return rows.map(toView);
  }

  /** One item; REVIEW_NOT_FOUND when there is none. */
  async get(id: string): Promise<ReviewItemView> {
    const row = await this.prisma.reviewItem.findUnique({ where: { id } });
    if (!row) throw new ReviewError('REVIEW_NOT_FOUND', `no review item ${id}`);
    return toView(row);
  }

  /** Labels an open item with an intent: it becomes a training example of its domain. */
  async label(id: string, intent: string, by: string): Promise<ReviewItemView> {
    return this.prisma.$transaction(async (tx) => {
      const item = await this.claim(tx, id, { status: 'labelled', label: intent, by });
      const now = item.reviewedAt ?? new Date();
      await tx.nluExample.upsert({
        where: { domain_text_intent: { domain: item.domain, text: item.text, intent } },
        create: {
          domain: item.domain,
          text: item.text,
          intent,
          source: 'review',
          labelledBy: by,
          labelledAt: now,
          reviewItemId: item.id,
        },
        update: { source: 'review', labelledBy: by, labelledAt: now, reviewItemId: item.id },
      });
      return item;
    });
  }

  /** Records that an open item was answered by a new knowledge-base entry. */
  async answered(id: string, kbDocumentId: string, by: string): Promise<ReviewItemView> {
    return this.prisma.$transaction((tx) => this.claim(tx, id, { status: 'answered', kbDocumentId, by }));
  }

  /** Ignores an open item (nothing to learn from it). */
  async ignore(id: string, by: string): Promise<ReviewItemView> {
    return this.prisma.$transaction((tx) => this.claim(tx, id, { status: 'ignored', by }));
  }

  /** Questions reviewers answered with a knowledge-base entry (masked text and entry), oldest first. */
  async answeredQuestions(): Promise<Array<{ text: string; kbDocumentId: string }>> {
    const rows = await this.prisma.reviewItem.findMany({
      where: { status: 'answered', kbDocumentId: { not: null } },
      orderBy: [{ reviewedAt: 'asc' }, { id: 'asc' }],
      select: { text: true, kbDocumentId: true },
    });
    return rows.flatMap((r) => (r.kbDocumentId ? [{ text: r.text, kbDocumentId: r.kbDocumentId }] : []));
  }

  /** The reviewed training examples of a domain, oldest first. */
  async reviewedExamples(domain: NluDomain): Promise<ReviewedExample[]> {
    const rows = await this.prisma.nluExample.findMany({
      where: { domain, source: 'review' },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { text: true, intent: true, labelledBy: true, labelledAt: true },
    });
    return rows;
  }

  // One reviewer wins: the update only matches an open item, so a second click finds it done.
  private async claim(
    tx: Pick<PrismaClient, 'reviewItem'>,
    id: string,
    change: { status: Exclude<ReviewStatus, 'open'>; by: string; label?: string; kbDocumentId?: string },
  ): Promise<ReviewItemView> {
    const reviewedAt = new Date();
    const { count } = await tx.reviewItem.updateMany({
      where: { id, status: 'open' },
      data: {
        status: change.status,
        reviewedBy: change.by,
        reviewedAt,
        ...(change.label !== undefined ? { label: change.label } : {}),
        ...(change.kbDocumentId !== undefined ? { kbDocumentId: change.kbDocumentId } : {}),
      },
    });
    const row = await tx.reviewItem.findUnique({ where: { id } });
    if (!row) throw new ReviewError('REVIEW_NOT_FOUND', `no review item ${id}`);
    if (count === 0)
      throw new ReviewError(
        'REVIEW_ALREADY_REVIEWED',
        `review item ${id} is already ${row.status}${row.reviewedBy ? ` (by ${row.reviewedBy})` : ''}`,
      );
    return toView(row);
  }

  // The user message and bot replies before the current turn, decrypted and masked.
  private async previousTurn(conversationId: string): Promise<{ text: string | null; reply: string | null }> {
    const rows = await this.prisma.message.findMany({
      where: { conversationId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: TRANSCRIPT_WINDOW,
      select: { direction: true, text: true },
    });
    let usersSeen = 0;
    const replies: string[] = [];
    for (const row of rows) {
      if (row.direction === 'user') {
        usersSeen++;
        if (usersSeen === 2)
          return { text: this.open(row.text), reply: replies.length ? replies.reverse().join('\n') : null };
      } else if (usersSeen === 1) replies.push(this.open(row.text));
    }
    return { text: null, reply: null };
  }

  private open(stored: string): string {
    try {
      return this.options.mask(this.options.decrypt(stored)).slice(0, MAX_TEXT);
    } catch {
      return '(unreadable)';
    }
  }
}

function toView(row: {
  id: string;
  domain: string;
  reason: string;
  channel: ChannelName;
  text: string;
  previousText: string | null;
  previousReply: string | null;
  answered: string;
  intent: string | null;
  confidence: number | null;
  suggestions: unknown;
  status: string;
  label: string | null;
  kbDocumentId: string | null;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  createdAt: Date;
}): ReviewItemView {
  return {
    ...row,
    domain: row.domain as NluDomain,
    reason: row.reason as ReviewReason,
    status: row.status as ReviewStatus,
    suggestions: Array.isArray(row.suggestions)
      ? (row.suggestions as Array<{ intent: string; confidence: number }>)
      : [],
  };
}
