// Idempotency keys of inbound events in the ProcessedEvent table (bots' EventLog). A claim is one
// conditional upsert: a new key, or a claim nobody finished within its lease (the process that
// held it died), is won; a done key or a live claim is not. Done and release are single writes.
import type { PrismaClient } from '../generated/client.js';
import type { EventLog } from '../../bots/ports.js';

/** Event claims in the database, shared by every process. */
export class PrismaEventLog implements EventLog {
  constructor(private readonly prisma: PrismaClient) {}

  async claim(key: string, leaseMs: number): Promise<boolean> {
    // Prisma keeps timestamps as UTC wall-clock time; the clock here is the database's.
    const won = await this.prisma.$executeRaw`
      INSERT INTO "ProcessedEvent" ("key", "createdAt") VALUES (${key}, now() AT TIME ZONE 'UTC')
      ON CONFLICT ("key") DO UPDATE SET "createdAt" = now() AT TIME ZONE 'UTC'
      WHERE "ProcessedEvent"."doneAt" IS NULL
        AND "ProcessedEvent"."createdAt" < (now() AT TIME ZONE 'UTC') - make_interval(secs => ${leaseMs / 1000})`;
    return won === 1;
  }

  async done(key: string): Promise<void> {
    await this.prisma.processedEvent.updateMany({
      where: { key, doneAt: null },
      data: { doneAt: new Date() },
    });
  }

  async release(key: string): Promise<void> {
    await this.prisma.processedEvent.deleteMany({ where: { key, doneAt: null } });
  }
}
