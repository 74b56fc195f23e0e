import { z } from 'zod';
import { loadInstrumentResponses } from '../../prisma/repositories/index.js';
import { reportSummary, SurveyError } from '../../surveys/index.js';
import { readableAnswers, redactedAnswers } from '../readable-answers.js';
import type { AdminApiOptions, ZodApp } from './context.js';
import { ZErrorBody } from './schemas.js';
import { ZNoQuery } from '../query-schemas.js';

// An instrument's results: the headline figures for every role, and the free-text comments
// (decrypted, PII masked) for the marketer and admin roles only; a viewer's call never decrypts them.

const ZComment = z.object({
  itemId: z.string(),
  item: z.string(),
  text: z.string(),
  sentiment: z.number().nullable(),
  answeredAt: z.string().nullable(),
});
const ZResults = z.object({
  summary: z.record(z.string(), z.unknown()),
  /** null for viewers: they see figures only */
  comments: z.array(ZComment).nullable(),
});

/** GET /surveys/:id/results. */
export function registerSurveyRoutes(app: ZodApp, { prisma, cipher }: AdminApiOptions): void {
  if (!cipher) return;
  app.get(
    '/surveys/:id/results',
    {
      config: { permission: 'surveys.read', audit: 'survey.results' },
      schema: {
        querystring: ZNoQuery,
        tags: ['surveys'],
        summary:
          "An instrument's results: completion, trait means, NPS/CSAT, and free-text comments (PII masked) for marketers and admins",
        params: z.object({
          id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'an instrument id such as "nps"'),
        }),
        response: { 200: ZResults, 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      request.auditTarget = `instrument:${request.params.id}`;
      const readsComments = request.principal!.role !== 'viewer';
      const data = await loadInstrumentResponses(
        prisma,
        request.params.id,
        readsComments ? readableAnswers(cipher) : redactedAnswers,
      ).catch((error: unknown) => {
        if (error instanceof SurveyError && error.code === 'SURVEY_INSTRUMENT_NOT_FOUND') return null;
        throw error;
      });
      if (!data)
        return reply.code(404).send({ error: `no instrument "${request.params.id}"`, code: 'NOT_FOUND' });
      const textItems = new Map(
        data.instrument.items.filter((i) => i.type === 'text').map((i) => [i.id, i.text]),
      );
      const comments = readsComments
        ? data.sessions.flatMap((s) =>
            s.answers
              .filter((a) => textItems.has(a.itemId) && !a.skipped && a.text)
              .map((a) => ({
                itemId: a.itemId,
                item: textItems.get(a.itemId)!,
                text: a.text!,
                sentiment: a.sentiment,
                answeredAt: a.createdAt?.toISOString() ?? null,
              })),
          )
        : null;
      request.auditDetail = { comments: comments?.length ?? 'hidden' };
      return { summary: reportSummary(data) as Record<string, unknown>, comments };
    },
  );
}
