// The review queue through the admin API (marketers and admins): list what the assistant handled
// badly, label it with the right intent (a training example), answer it with a new
// knowledge-base entry or with an existing one (offered per item, as in Slack), or ignore it. Errors of the review service map to 404/409/422/503 in
// plugin.ts.
import { z } from 'zod';
import type { ReviewItemView } from '../../prisma/repositories/index.js';
import type { ReviewService } from '../review/index.js';
import { ZNoQuery } from '../query-schemas.js';
import { iso, type ZodApp } from './context.js';
import { ZErrorBody } from './schemas.js';

const ZDomain = z.enum(['customer', 'marketer']);
const ZReviewStatus = z.enum(['open', 'labelled', 'answered', 'ignored']);
const ZReviewParams = z.object({ id: z.uuid() });

/** A review item as the API returns it. */
export const ZReviewItem = z.object({
  id: z.string(),
  domain: ZDomain,
  reason: z.string(),
  channel: z.string(),
  text: z.string(),
  previousText: z.string().nullable(),
  previousReply: z.string().nullable(),
  answered: z.string(),
  intent: z.string().nullable(),
  confidence: z.number().nullable(),
  suggestions: z.array(z.object({ intent: z.string(), confidence: z.number() })),
  status: ZReviewStatus,
  label: z.string().nullable(),
  kbDocumentId: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  createdAt: z.string(),
});

const ZReviewQuery = z
  .object({
    status: ZReviewStatus.default('open'),
    domain: ZDomain.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();
const ZLabelBody = z.object({ intent: z.string().trim().min(1).max(100) }).strict();
const ZAnswerBody = z
  .object({ text: z.string().trim().min(1).max(10_000), title: z.string().trim().max(300).optional() })
  .strict();

const ZAnswerWithBody = z.object({ documentId: z.string().trim().min(1).max(500) }).strict();
const ZKbEntryChoice = z.object({ documentId: z.string(), title: z.string() });

function view(item: ReviewItemView): z.infer<typeof ZReviewItem> {
  return { ...item, reviewedAt: iso(item.reviewedAt), createdAt: item.createdAt.toISOString() };
}

/** Registers the review routes. */
export function registerReviewRoutes(app: ZodApp, review: ReviewService): void {
  app.get(
    '/review',
    {
      config: { permission: 'review.manage', audit: 'review.list' },
      schema: {
        tags: ['review'],
        summary: 'Messages queued for review, oldest first (PII-masked, with the turn before)',
        querystring: ZReviewQuery,
        response: { 200: z.array(ZReviewItem) },
      },
    },
    async (request) => (await review.list(request.query)).map(view),
  );

  const by = (request: { principal?: { prefix: string } }) => `apikey:${request.principal?.prefix ?? '?'}`;
  const responses = { 200: ZReviewItem, 404: ZErrorBody, 409: ZErrorBody, 422: ZErrorBody, 503: ZErrorBody };

  // An action on one item that takes a body: audited against the item (with what `detail` picks
  // from the body), answered with the item as it now stands.
  const itemAction = <B extends z.ZodType>(
    action: 'label' | 'answer' | 'answer-with',
    summary: string,
    body: B,
    act: (id: string, body: z.output<B>, by: string) => Promise<ReviewItemView>,
    detail?: (body: z.output<B>) => Record<string, unknown>,
  ) =>
    app.post(
      `/review/:id/${action}`,
      {
        config: { permission: 'review.manage', audit: `review.${action}` },
        schema: { tags: ['review'], summary, params: ZReviewParams, body, response: responses },
      },
      async (request) => {
        request.auditTarget = `review:${request.params.id}`;
        // Validated by `body`; the type provider cannot name a generic schema's output itself.
        const parsed = request.body as z.output<B>;
        if (detail) request.auditDetail = detail(parsed);
        return view(await act(request.params.id, parsed, by(request)));
      },
    );

  itemAction(
    'label',
    'Label an item with the right intent: it becomes a training example',
    ZLabelBody,
    (id, body, who) => review.label(id, body.intent, who),
    (body) => ({ intent: body.intent }),
  );
  itemAction('answer', 'Answer an item with a new knowledge-base entry', ZAnswerBody, (id, body, who) =>
    review.answer(id, body, who),
  );
  itemAction(
    'answer-with',
    "Answer an item with an existing knowledge-base entry: the message becomes one of its question's phrasings",
    ZAnswerWithBody,
    (id, body, who) => review.answerWith(id, body.documentId, who),
    (body) => ({ documentId: body.documentId }),
  );

  app.get(
    '/review/:id/kb-entries',
    {
      config: { permission: 'review.manage', audit: 'review.kb-entries' },
      schema: {
        tags: ['review'],
        summary: "The knowledge-base entries closest to an item's message, best first (to answer with)",
        params: ZReviewParams,
        querystring: ZNoQuery,
        response: { 200: z.array(ZKbEntryChoice), 404: ZErrorBody },
      },
    },
    async (request) => {
      request.auditTarget = `review:${request.params.id}`;
      return review.kbEntries((await review.get(request.params.id)).text);
    },
  );

  app.post(
    '/review/:id/ignore',
    {
      config: { permission: 'review.manage', audit: 'review.ignore' },
      schema: {
        tags: ['review'],
        summary: 'Ignore an item (nothing to learn from it)',
        params: ZReviewParams,
        response: responses,
      },
    },
    async (request) => {
      request.auditTarget = `review:${request.params.id}`;
      return view(await review.ignore(request.params.id, by(request)));
    },
  );
}
