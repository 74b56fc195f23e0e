import { z } from 'zod';
import { PrismaMemberRoles } from '../../prisma/repositories/index.js';
import type { AdminApiOptions, ZodApp } from './context.js';
import { ZErrorBody, ZRole } from './schemas.js';

// Slack members' roles (admin only), as `/mkt roles` in Slack and `mkt roles` in the CLI. Each call
// is audited once by the plugin with the API key as actor, the role and the previous role.

const ZSlackId = z.string().regex(/^[A-Z0-9]{2,32}$/, 'a Slack id such as T0123ABC or U0456DEF');
const ZMemberParams = z.object({ team: ZSlackId, user: ZSlackId });
const ZAssignment = z.object({ teamId: z.string(), userId: z.string(), role: ZRole });

/** List, set and remove Slack members' roles. */
export function registerRoleRoutes(app: ZodApp, { prisma }: AdminApiOptions): void {
  const roles = new PrismaMemberRoles(prisma, { auditedByCaller: true });

  app.get(
    '/roles',
    {
      config: { permission: 'roles.manage', audit: 'role.list' },
      schema: {
        tags: ['roles'],
        summary: "Slack members' roles (SLACK_ADMINS from the configuration are admins besides these)",
        querystring: z.object({ team: ZSlackId.optional() }).strict(),
        response: { 200: z.array(ZAssignment) },
      },
    },
    async (request) => roles.list(request.query.team),
  );

  app.put(
    '/roles/:team/:user',
    {
      config: { permission: 'roles.manage', audit: 'role.set' },
      schema: {
        tags: ['roles'],
        summary: 'Give a Slack member (workspace id, user id) a role',
        params: ZMemberParams,
        body: z.object({ role: ZRole }).strict(),
        response: { 200: ZAssignment },
      },
    },
    async (request) => {
      const { team, user } = request.params;
      request.auditTarget = `slack:${team}:${user}`;
      const previous = await roles.get(team, user);
      request.auditDetail = { role: request.body.role, previous };
      return roles.set(team, user, request.body.role, `apikey:${request.principal!.prefix}`);
    },
  );

  app.delete(
    '/roles/:team/:user',
    {
      config: { permission: 'roles.manage', audit: 'role.remove' },
      schema: {
        tags: ['roles'],
        summary: "Remove a Slack member's role",
        params: ZMemberParams,
        response: { 204: z.null(), 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      const { team, user } = request.params;
      request.auditTarget = `slack:${team}:${user}`;
      const previous = await roles.get(team, user);
      if (!previous) return reply.code(404).send({ error: `${team}:${user} has no role`, code: 'NOT_FOUND' });
      request.auditDetail = { previous };
      await roles.remove(team, user, `apikey:${request.principal!.prefix}`);
      return reply.code(204).send(null);
    },
  );
}
