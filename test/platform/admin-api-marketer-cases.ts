import type { PrismaClient } from '../../prisma/index.js';
import { seedDemoSurveys } from '../../prisma/repositories/index.js';
import type { Permission } from '../../server/security/index.js';

// The access-table cases of the marketer routes (segments, survey results, roles), kept beside the
// table in admin-api.test.ts so each route group adds its cases without editing the others'.

/** What a case needs from the suite. */
export interface MarketerCaseCtx {
  db: { prisma: PrismaClient };
  seq: number;
}

/** One route's access case (same shape as the table's). */
export interface MarketerCase {
  route: string;
  permission: Permission;
  ok: number;
  prepare(ctx: MarketerCaseCtx): Promise<{ url: string; body?: unknown }>;
}

const PROMOTERS = [{ field: 'npsClass', op: 'eq', value: 'promoter' }];

async function newSegment(ctx: MarketerCaseCtx): Promise<string> {
  const name = `seg ${++ctx.seq}`;
  await ctx.db.prisma.segment.create({
    data: { name, kind: 'rules', definition: { name, description: '', match: 'all', rules: PROMOTERS } },
  });
  return encodeURIComponent(name);
}

/** Cases of the segment and roles routes (the segment named "loyal" exists in the suite). */
export const MARKETER_CASES: MarketerCase[] = [
  {
    route: 'GET /segments/:name',
    permission: 'segments.read',
    ok: 200,
    prepare: async () => ({ url: '/segments/loyal' }),
  },
  {
    route: 'POST /segments',
    permission: 'segments.write',
    ok: 201,
    prepare: async (ctx) => ({ url: '/segments', body: { name: `new ${++ctx.seq}`, rules: PROMOTERS } }),
  },
  {
    route: 'PUT /segments/:name',
    permission: 'segments.write',
    ok: 200,
    prepare: async (ctx) => ({ url: `/segments/${await newSegment(ctx)}`, body: { description: 'changed' } }),
  },
  {
    route: 'DELETE /segments/:name',
    permission: 'segments.write',
    ok: 204,
    prepare: async (ctx) => ({ url: `/segments/${await newSegment(ctx)}` }),
  },
  {
    route: 'GET /segments/:name/export',
    permission: 'segments.export',
    ok: 200,
    prepare: async () => ({ url: '/segments/loyal/export' }),
  },
  {
    route: 'GET /segment-overlaps',
    permission: 'segments.read',
    ok: 200,
    prepare: async () => ({ url: '/segment-overlaps' }),
  },
  {
    route: 'GET /segments/:name/sizes',
    permission: 'segments.read',
    ok: 200,
    prepare: async () => ({ url: '/segments/loyal/sizes' }),
  },
  {
    route: 'GET /surveys/:id/results',
    permission: 'surveys.read',
    ok: 200,
    prepare: async (ctx) => {
      await seedDemoSurveys(ctx.db.prisma); // the shipped instruments, once
      return { url: '/surveys/nps/results' };
    },
  },
  {
    route: 'GET /roles',
    permission: 'roles.manage',
    ok: 200,
    prepare: async () => ({ url: '/roles' }),
  },
  {
    route: 'PUT /roles/:team/:user',
    permission: 'roles.manage',
    ok: 200,
    prepare: async (ctx) => ({ url: `/roles/T1/U${++ctx.seq}`, body: { role: 'marketer' } }),
  },
  {
    route: 'DELETE /roles/:team/:user',
    permission: 'roles.manage',
    ok: 204,
    prepare: async (ctx) => {
      const userId = `U${++ctx.seq}`;
      await ctx.db.prisma.slackMember.create({ data: { teamId: 'T1', userId, role: 'viewer' } });
      return { url: `/roles/T1/${userId}` };
    },
  },
];
