import { z } from 'zod';
import type { ApiKeySummary } from '../security/api-keys.js';
import { iso, type AdminApiOptions, type ZodApp } from './context.js';
import { ZApiKeyCreate, ZApiKeyCreated, ZApiKeySummary, ZErrorBody, ZIdParams } from './schemas.js';
import { ZNoQuery } from '../query-schemas.js';

const summary = (key: ApiKeySummary) => ({
  ...key,
  createdAt: key.createdAt.toISOString(),
  lastUsedAt: iso(key.lastUsedAt),
  revokedAt: iso(key.revokedAt),
});

/** API key management (admin only). */
export function registerApiKeyRoutes(app: ZodApp, { apiKeys }: AdminApiOptions): void {
  app.get(
    '/api-keys',
    {
      config: { permission: 'apikeys.manage', audit: 'apikey.list' },
      schema: {
        querystring: ZNoQuery,
        tags: ['api keys'],
        summary: 'List API keys',
        response: { 200: z.array(ZApiKeySummary) },
      },
    },
    async () => (await apiKeys.list()).map(summary),
  );

  app.post(
    '/api-keys',
    {
      config: { permission: 'apikeys.manage', audit: 'apikey.create' },
      schema: {
        tags: ['api keys'],
        summary: 'Create an API key (the key is shown once)',
        body: ZApiKeyCreate,
        response: { 201: ZApiKeyCreated },
      },
    },
    async (request, reply) => {
      const created = await apiKeys.create(request.body.name, request.body.role);
      request.auditTarget = `apikey:${created.summary.prefix}`;
      request.auditDetail = { role: created.summary.role };
      return reply.code(201).send({ key: created.key, apiKey: summary(created.summary) });
    },
  );

  app.delete(
    '/api-keys/:id',
    {
      config: { permission: 'apikeys.manage', audit: 'apikey.revoke' },
      schema: {
        tags: ['api keys'],
        summary: 'Revoke an API key',
        params: ZIdParams,
        response: { 204: z.null(), 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      request.auditTarget = `apikey:${request.params.id}`;
      if (!(await apiKeys.revoke(request.params.id))) {
        return reply.code(404).send({ error: 'no active API key with this id', code: 'NOT_FOUND' });
      }
      return reply.code(204).send(null);
    },
  );
}
