// The knowledge base of one process: documents in the database and, with LLM_BASE_URL and
// LLM_MODEL, answers written by the shop's own model (streamed; its failures fall back to the extract).
import type { Logger } from 'pino';
import { KbService } from '../kb/index.js';
import { maskPII, type SentenceEncoder } from '../nlu/index.js';
import type { PrismaClient } from '../prisma/index.js';
import {
  createPrismaKbStore,
  PrismaReviewQueue,
  type SqlStatementRunner,
} from '../prisma/repositories/index.js';
import type { Config } from './config.js';
import { createLlmAnswerWriter } from './llm-answer-writer.js';

/**
 * Stands in for the model where the knowledge base is only written or listed (import, list,
 * remove, a reviewer's new answer): nothing is embedded there, so no model is loaded.
 */
export const NO_ENCODER: SentenceEncoder = {
  id: 'none',
  dims: 0,
  embed: () => Promise.reject(new Error('no encoder loaded')),
  dispose: async () => {},
};

/** Builds the KbService from the configuration: the one construction site (platform.kb()). */
export function createKbService(deps: {
  config: Config;
  prisma: PrismaClient;
  encoder: SentenceEncoder;
  logger: Logger;
  /** The database pool's statements (PostgreSQL): the per-turn version read runs there. */
  sql?: SqlStatementRunner;
}): KbService {
  const { config, logger } = deps;
  const writer =
    config.LLM_BASE_URL && config.LLM_MODEL
      ? createLlmAnswerWriter({
          baseUrl: config.LLM_BASE_URL,
          model: config.LLM_MODEL,
          timeoutMs: config.LLM_TIMEOUT_MS,
        })
      : undefined;
  // What reviewers answered with an existing entry is in the review queue (the answered items):
  // a re-import of the entry's source keeps those phrasings. Only those are read, no transcript.
  const reviewed = new PrismaReviewQueue(deps.prisma, {
    decrypt: () => {
      throw new Error('the knowledge base reads no transcript');
    },
    mask: maskPII,
  });
  return new KbService(createPrismaKbStore(deps.prisma, { sql: deps.sql }), deps.encoder, {
    ...(writer ? { writer } : {}),
    onWriterError: (err) => logger.warn({ err }, 'the model did not answer; the extract was used'),
    keptPhrasings: async () =>
      (await reviewed.answeredQuestions()).map((q) => ({ documentId: q.kbDocumentId, text: q.text })),
  });
}
