import type { PrismaClient } from '../generated/client.js';

// GDPR storage limitation: conversations (and their messages and hand-offs, by cascade) are
// deleted once they have been idle for longer than the retention period. A thin adapter over
// Prisma, so it runs the same from the in-process queue, a BullMQ worker or a test.

/** What one purge removed. */
export interface RetentionResult {
  cutoff: string;
  conversations: number;
  messages: number;
  processedEvents: number;
}

/** Options of a purge. */
export interface RetentionOptions {
  retentionDays: number;
  /** "now" for the cutoff (tests pass a fixed clock) */
  now?: Date;
  /** conversations deleted per statement, so one purge never holds a huge transaction */
  batchSize?: number;
}

/**
 * Deletes conversations idle for more than `retentionDays`: last updated before the cutoff and no
 * message since (a message insert does not always touch the conversation row). Also forgets
 * inbound-event idempotency keys older than the cutoff. Safe to run twice.
 */
export async function purgeExpiredConversations(
  prisma: PrismaClient,
  options: RetentionOptions,
): Promise<RetentionResult> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.retentionDays * 86_400_000);
  const batchSize = options.batchSize ?? 500;
  let conversations = 0;
  let messages = 0;
  for (;;) {
    const expired = await prisma.conversation.findMany({
      where: { updatedAt: { lt: cutoff }, messages: { none: { createdAt: { gte: cutoff } } } },
      select: { id: true },
      take: batchSize,
    });
    if (expired.length === 0) break;
    const ids = expired.map((row) => row.id);
    const [counted, deleted] = await prisma.$transaction([
      prisma.message.count({ where: { conversationId: { in: ids } } }),
      prisma.conversation.deleteMany({ where: { id: { in: ids } } }),
    ]);
    messages += counted;
    conversations += deleted.count;
    if (expired.length < batchSize) break;
  }
  const events = await prisma.processedEvent.deleteMany({ where: { createdAt: { lt: cutoff } } });
  return { cutoff: cutoff.toISOString(), conversations, messages, processedEvents: events.count };
}

/** The `retention.purge` processor: payload `retentionDays` overrides the configured period. */
export function createRetentionProcessor(
  prisma: PrismaClient,
  options: { retentionDays: number; onResult?: (result: RetentionResult) => void },
): (payload: { retentionDays?: number }) => Promise<RetentionResult> {
  return async (payload) => {
    const result = await purgeExpiredConversations(prisma, {
      retentionDays: payload.retentionDays ?? options.retentionDays,
    });
    options.onResult?.(result);
    return result;
  };
}
