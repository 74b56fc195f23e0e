// Live handoffs for another inbox (e.g. Chatwoot): list the queue, write to a customer as a named
// agent (idempotent on the caller's key), and close. The same desk as Slack: the announcement and
// its thread show what was done here.
import { z } from 'zod';
import type { AdminHandoffs, ZodApp } from './context.js';
import { ZErrorBody, ZIdParams } from './schemas.js';
import { ZNoQuery } from '../query-schemas.js';

const ZHandoff = z.object({
  id: z.string(),
  status: z.enum(['open', 'claimed', 'released']),
  channel: z.string(),
  customer: z.string().nullable(),
  claimedBy: z.string().nullable(),
  reason: z.string().nullable(),
  createdAt: z.string(),
  link: z.string().nullable(),
});

const ZReply = z
  .object({
    author: z.string().trim().min(1).max(100),
    text: z.string().trim().min(1).max(4_000),
    /** the caller's message id: a retried call with the same key sends nothing twice */
    idempotencyKey: z.string().min(1).max(200).optional(),
  })
  .strict();

const ZCloseBody = z.object({ by: z.string().trim().min(1).max(100).optional() }).strict();

/** GET /handoffs, POST /handoffs/:id/reply, POST /handoffs/:id/close. */
export function registerHandoffRoutes(app: ZodApp, handoffs: AdminHandoffs): void {
  app.get(
    '/handoffs',
    {
      config: { permission: 'handoffs.read', audit: 'handoff.list' },
      schema: {
        querystring: ZNoQuery,
        tags: ['handoffs'],
        summary: 'Live handoffs waiting for or being answered by a person, oldest first',
        response: { 200: z.array(ZHandoff) },
      },
    },
    async () =>
      (await handoffs.list(100)).map((h) => ({
        id: h.id,
        status: h.status,
        channel: h.channel,
        customer: h.customer ?? null,
        claimedBy: h.claimedBy,
        reason: h.reason,
        createdAt: h.createdAt.toISOString(),
        link: h.link ?? null,
      })),
  );

  app.post(
    '/handoffs/:id/reply',
    {
      config: { permission: 'handoffs.answer', audit: 'handoff.reply' },
      schema: {
        tags: ['handoffs'],
        summary: "Sends a message to the customer, shown with the author's name",
        params: ZIdParams,
        body: ZReply,
        response: {
          202: z.object({ outcome: z.enum(['delivered', 'duplicate']) }),
          404: ZErrorBody,
          409: ZErrorBody,
        },
      },
    },
    async (request, reply) => {
      request.auditTarget = `handoff:${request.params.id}`;
      const { author, text, idempotencyKey } = request.body;
      const outcome = await handoffs.reply(request.params.id, {
        author,
        text,
        key: idempotencyKey ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`,
      });
      if (outcome === 'not_found')
        return reply.code(404).send({ error: 'no handoff with this id', code: 'NOT_FOUND' });
      if (outcome === 'closed')
        return reply
          .code(409)
          .send({ error: 'the handoff is closed; the assistant has the conversation', code: 'CLOSED' });
      return reply.code(202).send({ outcome });
    },
  );

  app.post(
    '/handoffs/:id/close',
    {
      config: { permission: 'handoffs.answer', audit: 'handoff.close' },
      schema: {
        tags: ['handoffs'],
        summary: 'Closes the handoff: the customer is told the assistant is back',
        params: ZIdParams,
        body: ZCloseBody.optional(),
        response: { 200: z.object({ status: z.literal('released') }), 404: ZErrorBody, 409: ZErrorBody },
      },
    },
    async (request, reply) => {
      request.auditTarget = `handoff:${request.params.id}`;
      const by = request.body?.by ?? `api key ${request.principal?.name ?? ''}`.trim();
      const outcome = await handoffs.close(request.params.id, by);
      if (outcome === 'not_found')
        return reply.code(404).send({ error: 'no handoff with this id', code: 'NOT_FOUND' });
      if (outcome === 'already_closed')
        return reply.code(409).send({ error: 'the handoff is already closed', code: 'CLOSED' });
      return { status: 'released' as const };
    },
  );
}
