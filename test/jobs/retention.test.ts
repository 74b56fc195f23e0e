import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessQueue, jobDefinitions, scheduleDaily } from '../../jobs/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { waitFor } from './job-queue-contract.js';
import {
  createRetentionProcessor,
  purgeExpiredConversations,
  type RetentionResult,
} from '../../prisma/repositories/index.js';

const DAY = 86_400_000;
const NOW = new Date('2026-06-30T12:00:00Z');
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

describe.each(['pglite', 'postgres'] as const)('retention purge on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.close();
  });

  async function conversation(label: string, updatedDaysAgo: number, messageDaysAgo: number[]) {
    const created = await db.prisma.conversation.create({ data: { channel: 'webchat', externalId: label } });
    for (const days of messageDaysAgo) {
      await db.prisma.message.create({
        data: { conversationId: created.id, direction: 'user', text: 'v1:k1:x', createdAt: ago(days) },
      });
    }
    await db.prisma.handoff.create({ data: { conversationId: created.id } });
    // updatedAt is maintained by Prisma on writes; set it last, through a raw update of the column.
    await db.prisma
      .$executeRaw`UPDATE "Conversation" SET "updatedAt" = ${ago(updatedDaysAgo)} WHERE id = ${created.id}`;
    return created.id;
  }

  it('deletes conversations idle beyond the period with their messages and hand-offs, keeps the rest, and is idempotent', async () => {
    const expiredA = await conversation('old-a', 400, [420, 401]);
    const expiredB = await conversation('old-b', 366, []);
    const revived = await conversation('old-but-new-message', 400, [500, 3]);
    const recent = await conversation('recent', 10, [10]);
    await db.prisma.processedEvent.createMany({
      data: [
        { key: 'old-event', createdAt: ago(400) },
        { key: 'new-event', createdAt: ago(1) },
      ],
    });

    const result = await purgeExpiredConversations(db.prisma, { retentionDays: 365, now: NOW, batchSize: 1 });
    expect(result).toEqual({
      cutoff: ago(365).toISOString(),
      conversations: 2,
      messages: 2,
      processedEvents: 1,
    });
    const left = await db.prisma.conversation.findMany({ select: { id: true } });
    expect(left.map((row) => row.id).sort()).toEqual([revived, recent].sort());
    expect(await db.prisma.message.count({ where: { conversationId: { in: [expiredA, expiredB] } } })).toBe(
      0,
    );
    expect(await db.prisma.handoff.count({ where: { conversationId: { in: [expiredA, expiredB] } } })).toBe(
      0,
    );
    expect(await db.prisma.message.count({ where: { conversationId: revived } })).toBe(2);
    expect((await db.prisma.processedEvent.findMany()).map((e) => e.key)).toEqual(['new-event']);

    expect(await purgeExpiredConversations(db.prisma, { retentionDays: 365, now: NOW })).toMatchObject({
      conversations: 0,
      messages: 0,
      processedEvents: 0,
    });
  });

  it('runs as the retention.purge job through the queue, scheduled once per day', async () => {
    await conversation('job-old', 40, [45]);
    const results: RetentionResult[] = [];
    const queue = createInProcessQueue({ definitions: jobDefinitions });
    await queue.process({
      'retention.purge': createRetentionProcessor(db.prisma, {
        retentionDays: 365,
        onResult: (r) => results.push(r),
      }),
    });
    // two schedules (two processes) on the same day: one job
    const a = scheduleDaily(queue, 'retention.purge', { retentionDays: 30 }, { now: () => NOW });
    const b = scheduleDaily(queue, 'retention.purge', { retentionDays: 30 }, { now: () => NOW });
    await waitFor(() => results.length === 1, 30_000, 'purge job');
    await new Promise((resolve) => setTimeout(resolve, 100));
    a.stop();
    b.stop();
    await queue.close();
    expect(results).toHaveLength(1);
    expect(results[0]!.conversations).toBeGreaterThanOrEqual(1);
    expect(await db.prisma.conversation.count({ where: { externalId: 'job-old' } })).toBe(0);
  });
});
