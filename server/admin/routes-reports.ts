import { z } from 'zod';
import type { AdminJobs, ZodApp } from './context.js';
import type { PrismaClient } from '../../prisma/index.js';
import { ZErrorBody } from './schemas.js';

/** A survey report to render: the instrument and the file format. */
const ZReportRequest = z.object({
  report: z.literal('survey'),
  instrument: z.string().regex(/^[\w.-]{1,100}$/, 'an instrument id'),
  format: z.enum(['csv', 'json', 'png', 'svg']),
});

/** Reports are rendered by the report.render job (charts take seconds): the request only queues one. */
export function registerReportRoutes(app: ZodApp, prisma: PrismaClient, jobs: AdminJobs): void {
  app.post(
    '/reports',
    {
      config: { permission: 'reports.render', audit: 'report.render' },
      schema: {
        tags: ['reports'],
        summary:
          "Queue a survey's results (CSV, JSON summary, PNG or SVG charts) to be rendered under DATA_DIR/reports",
        body: ZReportRequest,
        response: { 202: z.object({ job: z.string() }), 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      const { instrument, format, report } = request.body;
      request.auditTarget = `instrument:${instrument}`;
      const exists = await prisma.instrument.count({ where: { id: instrument } });
      if (!exists) return reply.code(404).send({ error: 'no instrument with this id', code: 'NOT_FOUND' });
      const job = await jobs.enqueue('report.render', { report, format, params: { instrument } });
      return reply.code(202).send({ job: job.id });
    },
  );
}
