// Builds the review queue and service over the database: the transcript is read with the
// Message.text cipher context, texts are masked with the NLU's PII masking.
import { loadTrainingData, type NluDomain } from '../../bots/index.js';
import type { KbService } from '../../kb/index.js';
import { maskPII } from '../../nlu/index.js';
import type { PrismaClient } from '../../prisma/index.js';
import { PrismaReviewQueue } from '../../prisma/repositories/index.js';
import { ReviewService } from './review-service.js';

/** What the wiring needs. */
export interface ReviewWiringDeps {
  prisma: PrismaClient;
  /** The field cipher, for reading the previous turn from the transcript (the CLI queues nothing). */
  cipher?: { decrypt(sealed: string, context?: string): string };
  kb?: Pick<KbService, 'sync' | 'list'> & Partial<Pick<KbService, 'lookup'>>;
}

/** The queue (the dialog's port) and the service (the reviewers' actions) over one database. */
export function createReviewService(deps: ReviewWiringDeps): {
  queue: PrismaReviewQueue;
  service: ReviewService;
} {
  const queue = new PrismaReviewQueue(deps.prisma, {
    decrypt: (sealed) => {
      if (!deps.cipher) throw new Error('no cipher: the transcript cannot be read here');
      return deps.cipher.decrypt(sealed, 'Message.text');
    },
    mask: maskPII,
  });
  const intents = new Map<NluDomain, Promise<string[]>>();
  const service = new ReviewService({
    queue,
    kb: deps.kb,
    intents: (domain) => {
      let list = intents.get(domain);
      if (!list)
        intents.set(
          domain,
          (list = loadTrainingData(domain).then((rows) => [...new Set(rows.map((r) => r.intent))])),
        );
      return list;
    },
  });
  return { queue, service };
}

/**
 * The service for a command line: answers are written to the platform's knowledge base as FAQ
 * documents (`platform.kb({ embeds: false })`: no model loaded); it reads no transcript (it
 * queues nothing).
 */
export function createReviewServiceForCommands(
  prisma: PrismaClient,
  kb: Pick<KbService, 'sync' | 'list'>,
): ReviewService {
  // No lookup: nothing could embed the message, so no existing entries are offered here.
  return createReviewService({ prisma, kb: { sync: (...a) => kb.sync(...a), list: () => kb.list() } })
    .service;
}
