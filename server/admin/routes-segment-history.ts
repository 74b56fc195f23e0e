import { z } from 'zod';
import { sizeChange } from '../../surveys/index.js';
import { sizeRangeDates, ZSegmentSizeRange } from '../segment-input.js';
import { SegmentService, ZSegmentName } from '../segment-service.js';
import type { AdminApiOptions, ZodApp } from './context.js';
import { ZErrorBody } from './schemas.js';

// Segment overlaps (from the current memberships) and a segment's size over time (one size a day,
// recorded when segments are recomputed): the figures Slack answers "which segments overlap
// most?" and "how has bargain hunters grown since June?" with. Every role reads them.

const ZOverlapQuery = z
  .object({
    segments: z
      .string()
      .optional()
      .describe('comma-separated segment names (one: its overlaps with the others; none: every pair)')
      .transform((s) => (s ? s.split(',').map((n) => n.trim()) : []))
      .pipe(z.array(ZSegmentName).max(20)),
  })
  .strict();

const ZOverlap = z.object({
  a: z.string(),
  b: z.string(),
  sizeA: z.number().int(),
  sizeB: z.number().int(),
  shared: z.number().int(),
  jaccard: z.number(),
});

const ZSizes = z.object({
  name: z.string(),
  current: z.number().int(),
  from: z.string(),
  to: z.string(),
  recordedSince: z.string().nullable(),
  points: z.array(z.object({ day: z.string(), size: z.number().int() })),
  change: z.number().int().nullable(),
});

/** GET /segment-overlaps and GET /segments/:name/sizes (permission segments.read: every role). */
export function registerSegmentHistoryRoutes(app: ZodApp, { prisma }: AdminApiOptions): void {
  const segments = new SegmentService(prisma);

  app.get(
    '/segment-overlaps',
    {
      config: { permission: 'segments.read', audit: 'segment.overlaps' },
      schema: {
        tags: ['segments'],
        summary:
          'Customers shared by pairs of saved segments (current memberships), most similar first (Jaccard)',
        querystring: ZOverlapQuery,
        response: { 200: z.object({ basis: z.string(), overlaps: z.array(ZOverlap) }), 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      const names = request.query.segments;
      const result = await segments.overlaps(names);
      if (result.missing.length > 0)
        return reply.code(404).send({
          error: `no segment called "${result.missing.join('", "')}"`,
          code: 'SEGMENT_NOT_FOUND',
        });
      return { basis: 'current memberships, as of the last recomputation', overlaps: result.overlaps };
    },
  );

  app.get(
    '/segments/:name/sizes',
    {
      config: { permission: 'segments.read', audit: 'segment.sizes' },
      schema: {
        tags: ['segments'],
        summary: "A segment's size per day over a period (recorded once a day when segments are recomputed)",
        params: z.object({ name: ZSegmentName }),
        querystring: ZSegmentSizeRange,
        response: { 200: ZSizes, 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      request.auditTarget = `segment:${request.params.name}`;
      const { from, to } = sizeRangeDates(request.query);
      const h = await segments.sizes(request.params.name, from, to);
      if (!h)
        return reply
          .code(404)
          .send({ error: `no segment called "${request.params.name}"`, code: 'SEGMENT_NOT_FOUND' });
      const iso = (d: Date) => d.toISOString().slice(0, 10);
      return {
        name: h.name,
        current: h.current,
        from: iso(from),
        to: iso(new Date(to.getTime() - 86_400_000)),
        recordedSince: h.recordedSince ? iso(h.recordedSince) : null,
        points: h.points.map((p) => ({ day: iso(p.day), size: p.size })),
        change: h.points.length > 1 ? sizeChange(h.points)!.change : null,
      };
    },
  );
}
