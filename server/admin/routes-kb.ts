import { z } from 'zod';
import type { KbService } from '../../kb/index.js';
import type { ZodApp } from './context.js';
import { ZErrorBody } from './schemas.js';
import { ZNoQuery } from '../query-schemas.js';

// The help centre through the admin API, as `mkt kb` in the CLI and "/mkt kb unanswered" in Slack:
// list, add or replace a set of pages, remove one, try a question, and the questions the assistant
// could not answer. Imports from files and crawls stay in the CLI (the server reads no paths or
// URLs on an API caller's behalf).

const ZDocumentSummary = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  source: z.string(),
  origin: z.string(),
  version: z.number(),
});
const ZPage = z
  .object({
    id: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9._-]{1,100}$/, 'id: 1-100 of A-Z a-z 0-9 . _ -'),
    title: z.string().trim().min(1).max(500),
    /** Markdown: `#` headings and blank-line paragraphs. */
    body: z.string().trim().min(1).max(200_000),
    url: z.string().url().max(2000).optional(),
    /** Other ways customers ask what the page answers (they calibrate the confidence gate). */
    questions: z.array(z.string().trim().min(1).max(2000)).max(50).optional(),
  })
  .strict();
const ZSourceName = z.object({ name: z.string().regex(/^[a-z0-9-]{1,40}$/, 'name: 1-40 of a-z 0-9 -') });
const ZReport = z.object({
  origin: z.string(),
  added: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  removed: z.number(),
  version: z.number(),
});

/** Knowledge-base routes (present when the server passes its knowledge base). */
export function registerKbRoutes(app: ZodApp, kb: KbService): void {
  app.get(
    '/kb/documents',
    {
      config: { permission: 'kb.read', audit: 'kb.list' },
      schema: {
        querystring: ZNoQuery,
        tags: ['knowledge base'],
        summary: 'Documents of the help centre',
        response: { 200: z.array(ZDocumentSummary) },
      },
    },
    async () =>
      (await kb.list()).map(({ id, kind, title, source, origin, version }) => ({
        id,
        kind,
        title,
        source,
        origin,
        version,
      })),
  );

  app.put(
    '/kb/sources/:name',
    {
      config: { permission: 'kb.write', audit: 'kb.import' },
      schema: {
        tags: ['knowledge base'],
        summary:
          'Replace the pages of one named source: pages are added or updated, pages of the source not sent are removed',
        params: ZSourceName,
        body: z.object({ pages: z.array(ZPage).max(1000) }).strict(),
        response: { 200: ZReport, 400: ZErrorBody },
      },
    },
    async (request) => {
      const origin = `api:${request.params.name}`;
      request.auditTarget = origin;
      const report = await kb.sync(
        origin,
        request.body.pages.map((p) => ({
          id: `${origin}/${p.id}`,
          kind: 'markdown' as const,
          title: p.title,
          source: p.url ?? p.title,
          body: p.body,
          ...(p.questions ? { altQuestions: p.questions } : {}),
        })),
      );
      request.auditDetail = { added: report.added, updated: report.updated, removed: report.removed };
      const { skipped: _skipped, ...rest } = report;
      return rest;
    },
  );

  app.delete(
    '/kb/documents/:id',
    {
      config: { permission: 'kb.write', audit: 'kb.remove' },
      schema: {
        tags: ['knowledge base'],
        summary: 'Remove one document (URL-encode ids that are paths or addresses)',
        params: z.object({ id: z.string().min(1).max(500) }),
        response: { 204: z.null(), 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      request.auditTarget = request.params.id;
      const exists = (await kb.list()).some((d) => d.id === request.params.id);
      if (!exists) return reply.code(404).send({ error: 'no such document', code: 'NOT_FOUND' });
      await kb.remove(request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/kb/ask',
    {
      config: { permission: 'kb.read', audit: 'kb.ask' },
      schema: {
        tags: ['knowledge base'],
        summary: 'What the assistant would answer (not recorded as a customer question)',
        body: z.object({ question: z.string().trim().min(1).max(1500) }).strict(),
        response: {
          200: z.object({
            answered: z.boolean(),
            confidence: z.number().nullable(),
            text: z.string().optional(),
            title: z.string().optional(),
            source: z.string().optional(),
          }),
        },
      },
    },
    async (request) => {
      const answer = await kb.lookup(request.body.question);
      const confidence = Number.isFinite(answer.confidence) ? answer.confidence : null;
      if (!answer.answered) return { answered: false, confidence };
      return { answered: true, confidence, text: answer.text, title: answer.title, source: answer.source };
    },
  );

  app.get(
    '/kb/unanswered',
    {
      config: { permission: 'kb.read', audit: 'kb.unanswered' },
      schema: {
        tags: ['knowledge base'],
        summary: 'Questions customers asked that the help centre could not answer, most asked first',
        querystring: z
          .object({
            days: z.coerce.number().int().min(1).max(90).default(7),
            limit: z.coerce.number().int().min(1).max(200).default(20),
          })
          .strict(),
        response: {
          200: z.array(z.object({ text: z.string(), count: z.number(), lastAskedAt: z.string() })),
        },
      },
    },
    async (request) =>
      (await kb.unanswered(request.query.days, request.query.limit)).map((q) => ({
        ...q,
        lastAskedAt: q.lastAskedAt.toISOString(),
      })),
  );
}
