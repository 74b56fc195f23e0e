import type { FastifyInstance } from 'fastify';
import type { HandoffView } from '../../bots/ports.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { KbService } from '../../kb/index.js';
import type { PrismaClient } from '../../prisma/index.js';
import type { FailedJob, JobQueue, ProductJobs } from '../../jobs/index.js';
import type { ApiKeyPrincipal, ApiKeyStore } from '../security/api-keys.js';
import type { AuditWriter } from '../security/audit.js';
import type { FieldCipher } from '../security/field-cipher.js';
import type { LookupHasher } from '../security/lookup-hash.js';
import type { RateCounter, RateLimit } from '../security/rate-counter.js';
import type { Permission } from '../security/roles.js';
import type { ReviewService } from '../review/index.js';

/** Export and erasure of one customer's personal data (the bots module's Privacy adapter fits). */
export interface CustomerPrivacy {
  exportData(customerId: string): Promise<Record<string, unknown>>;
  forget(customerId: string): Promise<void>;
}

/** The slice of the job queue the admin API uses. */
export type AdminJobs = Pick<JobQueue<ProductJobs>, 'enqueue' | 'retry' | 'discard'> & {
  failed(limit?: number): Promise<FailedJob[]>;
};

/** Live handoffs as another inbox drives them (server/handoff wires it over the desk). */
export interface AdminHandoffs {
  list(limit: number): Promise<HandoffView[]>;
  /** Sends a message to the customer as `author`; `key` makes a retried call a no-op. */
  reply(
    id: string,
    message: { author: string; text: string; key: string },
  ): Promise<'delivered' | 'duplicate' | 'closed' | 'not_found'>;
  close(id: string, by: string): Promise<'closed' | 'already_closed' | 'not_found'>;
}

/** Dependencies of the admin API, passed in by the composition root. */
export interface AdminApiOptions {
  prisma: PrismaClient;
  apiKeys: ApiKeyStore;
  audit: AuditWriter;
  lookup: LookupHasher;
  privacy: CustomerPrivacy;
  /** optional: decrypts personal fields; the segment export and survey results routes appear only with it */
  cipher?: FieldCipher;
  /** optional: catalog changes enqueue a reindex job; the jobs routes appear only with it */
  jobs?: AdminJobs;
  /** optional: the review queue routes (learning loop) appear only with it */
  review?: ReviewService;
  /** optional: the help centre; the knowledge-base routes appear only with it */
  kb?: KbService;
  /** optional: live handoffs; the /handoffs routes appear only with it */
  handoffs?: AdminHandoffs;
  /** serve the OpenAPI document and UI at /docs (default true) */
  docs?: boolean;
  /**
   * failed authentications per address: over the limit the address gets 429 until the window
   * ends, and refusals are audited once per address and minute instead of once per request
   */
  authFailures?: { counter: RateCounter; limit: RateLimit };
}

/** A Fastify instance with the zod type provider. */
export type ZodApp = ReturnType<typeof withZod>;
/** Switches an instance to the zod type provider. */
export function withZod(app: FastifyInstance) {
  return app.withTypeProvider<ZodTypeProvider>();
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** permission the route requires (every admin route must declare one) */
    permission?: Permission;
    /** audit action written for each call */
    audit?: string;
  }
  interface FastifyRequest {
    principal?: ApiKeyPrincipal;
    /** record the call touched, for the audit entry */
    auditTarget?: string;
    auditDetail?: Record<string, unknown>;
    /** an anonymous refusal (401/429): audited once per address and minute */
    auditOncePerMinute?: boolean;
  }
}

/** ISO string of a date (or null). */
export function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
