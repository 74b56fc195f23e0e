import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { ZSegmentRule } from '../../surveys/index.js';
import {
  SegmentService,
  SegmentServiceError,
  ZSegmentInput,
  ZSegmentName,
  ZSegmentPatch,
} from '../segment-service.js';
import type { AdminApiOptions, ZodApp } from './context.js';
import { ZErrorBody } from './schemas.js';
import { ZNoQuery } from '../query-schemas.js';

// Saved segments: one by name with its rules in words, create (or preview with ?dryRun=true),
// redefine, delete and the consented CSV export. The same definitions the Slack path saves.

const ZNameParams = z.object({ name: ZSegmentName });
const ZDryRun = z.object({ dryRun: z.enum(['true', 'false']).optional() });

const ZSegmentDetail = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  kind: z.string(),
  size: z.number(),
  demo: z.boolean(),
  match: z.enum(['all', 'any']).nullable(),
  rules: z.array(ZSegmentRule).nullable(),
  words: z.string(),
  updatedAt: z.string(),
});
const ZSegmentPreview = z.object({
  dryRun: z.literal(true),
  name: z.string(),
  match: z.enum(['all', 'any']),
  rules: z.array(ZSegmentRule),
  words: z.string(),
  size: z.number(),
});

const STATUS: Record<SegmentServiceError['code'], number> = {
  SEGMENT_NOT_FOUND: 404,
  SEGMENT_EXISTS: 409,
  SEGMENT_NOT_RULES: 409,
  SEGMENT_UNREADABLE: 422,
};

/** Runs the work; a refused segment operation becomes its 4xx with the service's message. */
async function answer<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof SegmentServiceError)) throw error;
    return reply.code(STATUS[error.code]).send({ error: error.message, code: error.code });
  }
}

/** Segment CRUD and export (reading: every role; changing: marketer, admin; export: marketer, admin). */
export function registerSegmentRoutes(app: ZodApp, { prisma, cipher }: AdminApiOptions): void {
  const segments = new SegmentService(
    prisma,
    cipher && ((sealed, context) => cipher.decrypt(sealed, context)),
  );
  const errors = { 404: ZErrorBody, 409: ZErrorBody, 422: ZErrorBody };

  app.get(
    '/segments/:name',
    {
      config: { permission: 'segments.read', audit: 'segment.read' },
      schema: {
        querystring: ZNoQuery,
        tags: ['segments'],
        summary: 'One segment: its rules (structured and in words) and its size',
        params: ZNameParams,
        response: { 200: ZSegmentDetail, 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      request.auditTarget = `segment:${request.params.name}`;
      const found = await segments.get(request.params.name);
      return (
        found ??
        reply
          .code(404)
          .send({ error: `no segment called "${request.params.name}"`, code: 'SEGMENT_NOT_FOUND' })
      );
    },
  );

  app.post(
    '/segments',
    {
      config: { permission: 'segments.write', audit: 'segment.create' },
      schema: {
        tags: ['segments'],
        summary:
          'Create a rule segment from structured "rules" or plain-language "where" ("price consciousness above 3.5 and bought footwear"); ?dryRun=true only previews its size',
        querystring: ZDryRun,
        body: ZSegmentInput,
        response: { 200: ZSegmentPreview, 201: ZSegmentDetail, ...errors },
      },
    },
    async (request, reply) => {
      request.auditTarget = `segment:${request.body.name}`;
      return answer(reply, async () => {
        if (request.query.dryRun === 'true') {
          request.auditDetail = { dryRun: true };
          return { dryRun: true as const, ...(await segments.preview(request.body)) };
        }
        return reply.code(201).send(await segments.create(request.body));
      });
    },
  );

  app.put(
    '/segments/:name',
    {
      config: { permission: 'segments.write', audit: 'segment.update' },
      schema: {
        tags: ['segments'],
        summary: 'Rename, re-describe or redefine a segment (members are recomputed)',
        params: ZNameParams,
        body: ZSegmentPatch,
        response: { 200: ZSegmentDetail, ...errors },
      },
    },
    async (request, reply) => {
      request.auditTarget = `segment:${request.params.name}`;
      return answer(reply, () => segments.update(request.params.name, request.body));
    },
  );

  app.delete(
    '/segments/:name',
    {
      config: { permission: 'segments.write', audit: 'segment.delete' },
      schema: {
        tags: ['segments'],
        summary: 'Delete a segment',
        params: ZNameParams,
        response: { 204: z.null(), 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      request.auditTarget = `segment:${request.params.name}`;
      return answer(reply, async () => {
        await segments.remove(request.params.name);
        return reply.code(204).send(null);
      });
    },
  );

  if (!cipher) return;
  app.get(
    '/segments/:name/export',
    {
      config: { permission: 'segments.export', audit: 'segment.export' },
      schema: {
        querystring: ZNoQuery,
        tags: ['segments'],
        summary:
          'The members who agreed to marketing as CSV (customer_id, name, email, age_band, nps_class, comments: their free-text survey answers, PII masked); the others are counted in the x-without-consent header',
        params: ZNameParams,
        produces: ['text/csv'],
        response: { 200: z.string().describe('CSV with a header row'), 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      request.auditTarget = `segment:${request.params.name}`;
      return answer(reply, async () => {
        const exported = await segments.exportCsv(request.params.name);
        request.auditDetail = {
          rows: exported.rows,
          withoutConsent: exported.withoutConsent,
          comments: exported.comments,
        };
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="${exported.name.replace(/[^\w.-]+/g, '-')}.csv"`,
          )
          .header('x-without-consent', String(exported.withoutConsent))
          .send(exported.csv);
      });
    },
  );
}
