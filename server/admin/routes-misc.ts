import { z } from 'zod';
import type { Prisma } from '../../prisma/index.js';
import type { AdminApiOptions, AdminJobs, ZodApp } from './context.js';
import { ZAuditEntry, ZAuditQuery, ZFailedJob, ZJobRef, ZSegment } from './schemas.js';
import { ZNoQuery } from '../query-schemas.js';

/** Segments (every role) and the audit log (admin). */
export function registerReadRoutes(app: ZodApp, { prisma }: AdminApiOptions): void {
  app.get(
    '/segments',
    {
      config: { permission: 'segments.read', audit: 'segment.list' },
      schema: {
        querystring: ZNoQuery,
        tags: ['segments'],
        summary: 'Segments with their sizes',
        response: { 200: z.array(ZSegment) },
      },
    },
    async () => {
      const segments = await prisma.segment.findMany({
        orderBy: { name: 'asc' },
        include: { _count: { select: { members: true } } },
      });
      return segments.map((s) => ({
        id: s.id,
        name: s.name,
        description: s.description,
        kind: s.kind,
        members: s._count.members,
        updatedAt: s.updatedAt.toISOString(),
      }));
    },
  );

  app.get(
    '/audit-log',
    {
      config: { permission: 'audit.read', audit: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Audit entries, newest first',
        querystring: ZAuditQuery,
        response: { 200: z.array(ZAuditEntry) },
      },
    },
    async (request) => {
      const { actor, action, target, before, limit } = request.query;
      const where: Prisma.AuditLogWhereInput = {
        ...(actor ? { actor } : {}),
        ...(action ? { action } : {}),
        ...(target ? { target } : {}),
        ...(before ? { createdAt: { lt: new Date(before) } } : {}),
      };
      const rows = await prisma.auditLog.findMany({
        where,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit,
      });
      return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
    },
  );
}

/** Failed jobs: list (marketer, admin), retry and discard (admin). */
export function registerJobRoutes(app: ZodApp, jobs: AdminJobs): void {
  app.get(
    '/jobs/failed',
    {
      config: { permission: 'jobs.read', audit: 'job.list-failed' },
      schema: {
        querystring: ZNoQuery,
        tags: ['jobs'],
        summary: 'Jobs that exhausted their attempts',
        response: { 200: z.array(ZFailedJob) },
      },
    },
    async () =>
      (await jobs.failed(200)).map(({ id, name, attemptsMade, reason, failedAt }) => ({
        id,
        name,
        attemptsMade,
        reason,
        failedAt: failedAt.toISOString(),
      })),
  );
  for (const verb of ['retry', 'discard'] as const) {
    app.post(
      `/jobs/${verb}`,
      {
        config: { permission: 'jobs.manage', audit: `job.${verb}` },
        schema: {
          tags: ['jobs'],
          summary: `${verb === 'retry' ? 'Retry' : 'Discard'} a failed job`,
          body: ZJobRef,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        request.auditTarget = `job:${request.body.id}`;
        await jobs[verb](request.body.id);
        return reply.code(204).send(null);
      },
    );
  }
}
