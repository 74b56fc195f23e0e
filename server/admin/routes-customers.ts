import { z } from 'zod';
import type { AdminApiOptions, ZodApp } from './context.js';
import { ZCustomerLookup, ZCustomerRef, ZErrorBody, ZIdParams } from './schemas.js';
import { ZNoQuery } from '../query-schemas.js';

/** Customer lookup, GDPR export and erasure (admin only). */
export function registerCustomerRoutes(app: ZodApp, { prisma, lookup, privacy }: AdminApiOptions): void {
  app.get(
    '/customers',
    {
      config: { permission: 'customers.read', audit: 'customer.lookup' },
      schema: {
        tags: ['customers'],
        summary: 'Find a customer by e-mail (matched through the keyed hash, never in clear text)',
        querystring: ZCustomerLookup,
        response: { 200: ZCustomerRef, 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      const customer = await prisma.customer.findUnique({
        where: { emailHash: lookup.email(request.query.email) },
        select: { id: true, marketingOptIn: true, createdAt: true },
      });
      if (!customer)
        return reply.code(404).send({ error: 'no customer with this e-mail', code: 'NOT_FOUND' });
      request.auditTarget = `customer:${customer.id}`;
      return { ...customer, createdAt: customer.createdAt.toISOString() };
    },
  );

  app.get(
    '/customers/:id/export',
    {
      config: { permission: 'customers.export', audit: 'customer.export' },
      schema: {
        querystring: ZNoQuery,
        tags: ['customers'],
        summary: 'Export everything stored about a customer (GDPR access / portability)',
        params: ZIdParams,
        response: { 200: z.record(z.string(), z.unknown()), 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      request.auditTarget = `customer:${request.params.id}`;
      const exists = await prisma.customer.count({ where: { id: request.params.id } });
      if (!exists) return reply.code(404).send({ error: 'no customer with this id', code: 'NOT_FOUND' });
      return privacy.exportData(request.params.id);
    },
  );

  app.delete(
    '/customers/:id',
    {
      config: { permission: 'customers.delete', audit: 'customer.delete' },
      schema: {
        tags: ['customers'],
        summary: 'Delete a customer and all their personal data (GDPR erasure)',
        params: ZIdParams,
        response: { 204: z.null(), 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      request.auditTarget = `customer:${request.params.id}`;
      const exists = await prisma.customer.count({ where: { id: request.params.id } });
      if (!exists) return reply.code(404).send({ error: 'no customer with this id', code: 'NOT_FOUND' });
      await privacy.forget(request.params.id);
      return reply.code(204).send(null);
    },
  );
}
