// Every GET route says what its query string may hold, as a zod schema in its route options:
// unknown keys are refused (`.strict()`) unless the route says it ignores them, and a repeated key
// (`?label=a&label=b`, parsed as an array) fails a scalar field with 400. A GET route registered
// without one fails at start-up, not on the first odd request. Routes that plugins of others add
// (static files, the API docs) read no query; they are named here and their query is ignored.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

/** The query of a route that takes no parameters: any parameter is a 400. */
export const ZNoQuery = z.object({}).strict();

/** A GET route as registered, and what happens to its query. */
export interface GetRoute {
  url: string;
  query: 'validated' | 'ignored';
  /** the parameters its schema names (each a single value: repeated, it is a 400) */
  keys: string[];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every GET route of the app (filled while routes are registered; complete once ready). */
    getRoutes: readonly GetRoute[];
  }
}

/**
 * Refuses, at registration, a GET route without `schema.querystring`, except under
 * `ignoredUnder` (path prefixes served by plugins that read no query). Call before any route.
 */
export function requireQuerySchemas(app: FastifyInstance, ignoredUnder: readonly string[]): void {
  const routes: GetRoute[] = [];
  app.decorate('getRoutes', routes);
  app.addHook('onRoute', (route) => {
    if (![route.method].flat().includes('GET')) return;
    const schema = route.schema?.querystring as { shape?: Record<string, unknown> } | undefined;
    if (schema) routes.push({ url: route.url, query: 'validated', keys: Object.keys(schema.shape ?? {}) });
    else if (ignoredUnder.some((prefix) => route.url.startsWith(prefix)))
      routes.push({ url: route.url, query: 'ignored', keys: [] });
    else
      throw new Error(
        `GET ${route.url} must declare schema.querystring (a zod object; ZNoQuery when it takes none)`,
      );
  });
}
