import type { Prisma, PrismaClient } from '../../prisma/index.js';

// The audit trail: who read or changed what, and when. Entries name records by id, never by
// personal data, so the audit log itself needs no encryption and survives customer deletion.

/** One audit entry. */
export interface AuditEntry {
  /** "apikey:<prefix>", "slack:<team>:<user>", "cli", "system:<job>", "anonymous" */
  actor: string;
  /** "catalog.upsert", "customer.export", "access.denied", ... */
  action: string;
  target?: string;
  detail?: Record<string, unknown>;
}

/** Writes audit entries. */
export interface AuditWriter {
  write(entry: AuditEntry): Promise<void>;
}

/** Audit entries in the AuditLog table. */
export function createPrismaAuditWriter(prisma: PrismaClient): AuditWriter {
  return {
    async write(entry) {
      await prisma.auditLog.create({
        data: {
          actor: entry.actor,
          action: entry.action,
          target: entry.target ?? null,
          detail: (entry.detail ?? undefined) as Prisma.InputJsonValue | undefined,
        },
      });
    },
  };
}
