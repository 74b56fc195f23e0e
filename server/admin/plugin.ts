import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { ReviewError } from '../../bots/index.js';
import { JobsError } from '../../jobs/index.js';
import { KbError } from '../../kb/index.js';
import { isDatabaseUnavailable } from '../../prisma/index.js';
import { retryAfterSeconds } from '../security/rate-counter.js';
import { can } from '../security/roles.js';
import { withZod, type AdminApiOptions } from './context.js';
import { registerApiKeyRoutes } from './routes-keys.js';
import { registerCatalogRoutes } from './routes-catalog.js';
import { registerCustomerRoutes } from './routes-customers.js';
import { registerHandoffRoutes } from './routes-handoffs.js';
import { registerJobRoutes, registerReadRoutes } from './routes-misc.js';
import { registerReportRoutes } from './routes-reports.js';
import { registerKbRoutes } from './routes-kb.js';
import { registerRoleRoutes } from './routes-roles.js';
import { registerSegmentHistoryRoutes } from './routes-segment-history.js';
import { registerSegmentRoutes } from './routes-segments.js';
import { registerReviewRoutes } from './routes-review.js';
import { REVIEW_ERROR_STATUS } from '../review/index.js';
import { registerSurveyRoutes } from './routes-surveys.js';

/** Where the admin routes live. */
export const ADMIN_PREFIX = '/api/admin/v1';

const JOB_STATUS: Record<string, number> = {
  JOB_NOT_FOUND: 404,
  JOB_NOT_FAILED: 409,
  JOB_BUFFER_FULL: 503,
  JOB_QUEUE_CLOSED: 503,
};

function apiKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  const key = request.headers['x-api-key'];
  return typeof key === 'string' ? key.trim() : undefined;
}

function sendError(
  reply: FastifyReply,
  status: number,
  code: string,
  error: string,
  details?: Array<{ path: string; message: string }>,
) {
  return reply.code(status).send({ error, code, ...(details ? { details } : {}) });
}

/**
 * The admin REST API as an encapsulated Fastify plugin: API keys, catalog, customers (GDPR),
 * segments, audit log and failed jobs under /api/admin/v1, its OpenAPI document at /docs.
 * Every call is authenticated by API key, checked against the role table and written to the
 * audit log (including refusals).
 */
export async function adminApiPlugin(app: FastifyInstance, options: AdminApiOptions): Promise<void> {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  if (options.docs !== false) {
    await app.register(swagger, {
      openapi: {
        info: {
          title: 'Marketing assistant admin API',
          version: '1.0.0',
          description: 'Authenticate with "Authorization: Bearer <API key>".',
        },
        components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
        security: [{ apiKey: [] }],
      },
      transform: jsonSchemaTransform,
    });
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      staticCSP: true,
      // Its policy replaces the app's on /docs. Adjusted: no forced https (plain-http installs), and
      // inline styles, which the UI injects at run time (seen as violations in the browser test).
      transformStaticCSP: (header) =>
        header
          .replace(/\s*upgrade-insecure-requests;?/, '')
          .replace(/style-src [^;]*;/, "style-src 'self' 'unsafe-inline';"),
    });
  }
  await app.register(async (api) => apiRoutes(api, options), { prefix: ADMIN_PREFIX });
}

async function apiRoutes(api: FastifyInstance, options: AdminApiOptions): Promise<void> {
  const { apiKeys, audit, authFailures } = options;

  // Deny by default: a route without a permission is a programming error, caught at start-up.
  api.addHook('onRoute', (route) => {
    if (!route.config?.permission || !route.config.audit) {
      throw new Error(
        `admin route ${route.method} ${route.url} must declare config.permission and config.audit`,
      );
    }
  });

  // onRequest runs before the body is parsed: nothing from an unauthenticated caller is read.
  api.addHook('onRequest', async (request, reply) => {
    const failuresKey = `authfail:${request.ip}`;
    if (authFailures) {
      const seen = await authFailures.counter.peek(failuresKey);
      if (seen.count >= authFailures.limit.max) {
        request.auditOncePerMinute = true;
        reply.header('retry-after', String(retryAfterSeconds(seen)));
        return sendError(reply, 429, 'TOO_MANY_FAILURES', 'too many failed authentications; retry later');
      }
    }
    const key = apiKeyOf(request);
    const principal = key ? await apiKeys.verify(key) : undefined;
    if (!principal) {
      if (authFailures) {
        await authFailures.counter.hit(failuresKey, authFailures.limit.windowMs);
        request.auditOncePerMinute = true;
      }
      reply.header('www-authenticate', 'Bearer');
      return sendError(
        reply,
        401,
        'UNAUTHENTICATED',
        key ? 'invalid or revoked API key' : 'an API key is required',
      );
    }
    request.principal = principal;
    const permission = request.routeOptions.config.permission!;
    if (!can(principal.role, permission)) {
      return sendError(reply, 403, 'FORBIDDEN', `role "${principal.role}" lacks permission "${permission}"`);
    }
  });

  // One audit entry per call, written before the answer leaves, so a client that has its answer
  // can rely on the entry being there. Bodies are never logged: they may hold personal data.
  api.addHook('onSend', async (request, reply, payload) => {
    const status = reply.statusCode;
    const attempted = request.routeOptions.config.audit!;
    const action =
      status === 401
        ? 'auth.failed'
        : status === 403
          ? 'access.denied'
          : status === 429
            ? 'auth.limited'
            : attempted;
    // Anonymous refusals would let anyone fill the audit table: the first of each address and
    // minute is written (the limiter counts the rest).
    if ((request.auditOncePerMinute || (status === 429 && !request.principal)) && authFailures) {
      const first = await authFailures.counter.hit(`audit:${action}:${request.ip}`, 60_000);
      if (first.count > 1) return payload;
    }
    try {
      await audit.write({
        actor: request.principal ? `apikey:${request.principal.prefix}` : 'anonymous',
        action,
        target: request.auditTarget,
        detail: {
          method: request.method,
          route: request.routeOptions.url,
          status,
          ...(action !== attempted ? { attempted } : {}),
          ...(request.principal ? { role: request.principal.role } : {}),
          ...(request.auditOncePerMinute
            ? { address: request.ip, aggregated: 'first of this address and minute' }
            : {}),
          ...request.auditDetail,
        },
      });
    } catch (error) {
      request.log.error({ err: error, action }, 'audit write failed');
    }
    return payload;
  });

  api.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((issue) => ({
        path: issue.instancePath || '/',
        message: issue.message ?? 'invalid',
      }));
      return sendError(reply, 400, 'BAD_REQUEST', `invalid ${error.validationContext ?? 'request'}`, details);
    }
    if (error instanceof ReviewError)
      return sendError(reply, REVIEW_ERROR_STATUS[error.code], error.code, error.message);
    if (error instanceof KbError) return sendError(reply, 400, error.code, error.message);
    if (error instanceof JobsError)
      return sendError(reply, JOB_STATUS[error.code] ?? 400, error.code, error.message);
    if ((error as { code?: string }).code === 'P2025')
      return sendError(reply, 404, 'NOT_FOUND', 'record not found');
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(reply, error.statusCode, error.code ?? 'BAD_REQUEST', error.message);
    }
    // A database outage is temporary: 503 tells clients and load balancers to retry, a 500 would not.
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'admin API: database unavailable');
      reply.header('retry-after', '5');
      return sendError(reply, 503, 'DB_UNAVAILABLE', 'database temporarily unavailable, retry later');
    }
    request.log.error({ err: error }, 'admin API error');
    return sendError(reply, 500, 'INTERNAL', 'internal error');
  });

  const zapp = withZod(api);
  registerApiKeyRoutes(zapp, options);
  registerCatalogRoutes(zapp, options);
  registerCustomerRoutes(zapp, options);
  registerReadRoutes(zapp, options);
  registerSegmentRoutes(zapp, options);
  registerSegmentHistoryRoutes(zapp, options);
  registerRoleRoutes(zapp, options);
  registerSurveyRoutes(zapp, options);
  if (options.handoffs) registerHandoffRoutes(zapp, options.handoffs);
  if (options.jobs) registerJobRoutes(zapp, options.jobs);
  if (options.jobs) registerReportRoutes(zapp, options.prisma, options.jobs);
  if (options.review) registerReviewRoutes(zapp, options.review);
  if (options.kb) registerKbRoutes(zapp, options.kb);
}
