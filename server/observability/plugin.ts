import { timingSafeEqual } from 'node:crypto';
import type {} from '@fastify/swagger'; // route schema `hide` (keeps these routes out of /docs)
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.js';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { ZNoQuery } from '../query-schemas.js';

/** A readiness check: resolves when the dependency is usable, throws (or times out) otherwise. */
export type ReadinessCheck = () => Promise<unknown>;

/** Options of the observability plugin. */
export interface ObservabilityOptions {
  metrics: Metrics;
  /** e.g. { database: () => db.ping(), redis: () => redis.ping(), models: async () => assertLoaded() } */
  checks: Record<string, ReadinessCheck>;
  /** a check slower than this counts as failed, so /readyz answers fast during an outage */
  checkTimeoutMs?: number;
  /** when set, /metrics requires "Authorization: Bearer <token>" */
  metricsToken?: string;
}

interface CheckResult {
  ok: boolean;
  ms: number;
  error?: string;
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    // One short line, URL passwords masked: /readyz is read by load balancers and people.
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);
    return {
      ok: false,
      ms: Math.round(performance.now() - started),
      error: message.replace(/(\/\/[^:/@]+:)[^@]*@/g, '$1***@'),
    };
  } finally {
    clearTimeout(timer);
  }
}

function sameToken(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** /healthz (liveness), /readyz (dependencies), /metrics (Prometheus) and request latency. */
export const observabilityPlugin = fp(
  async (app: FastifyInstance, options: ObservabilityOptions) => {
    const { metrics } = options;
    const timeoutMs = options.checkTimeoutMs ?? 2_000;
    const started = Date.now();

    app.addHook('onResponse', async (request, reply) => {
      // The route pattern, not the URL, keeps label cardinality bounded.
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.httpDuration.observe(
        { method: request.method, route, status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });

    // The routes in a context of their own, to validate their queries with zod: no parameters
    // (400 for any); `hide` keeps them out of /docs.
    const hiddenNoQuery = { schema: { querystring: ZNoQuery, hide: true } };
    await app.register(async (routes) => {
      routes.setValidatorCompiler(validatorCompiler);
      routes.get('/healthz', hiddenNoQuery, async () => ({
        status: 'ok',
        uptimeSeconds: Math.round((Date.now() - started) / 1000),
      }));

      routes.get('/readyz', hiddenNoQuery, async (_request, reply) => {
        const names = Object.keys(options.checks);
        const results = await Promise.all(names.map((name) => runCheck(options.checks[name]!, timeoutMs)));
        const checks = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
        const ready = results.every((result) => result.ok);
        return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks });
      });

      routes.get('/metrics', hiddenNoQuery, async (request, reply) => {
        if (options.metricsToken && !sameToken(request.headers.authorization, options.metricsToken)) {
          return reply.code(401).send({ error: 'metrics require a bearer token' });
        }
        return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
      });
    });
  },
  { name: 'mkt-observability', fastify: '5.x' },
);
