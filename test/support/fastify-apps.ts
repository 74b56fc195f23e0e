import type { FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';

/** A list for the Fastify apps a suite's tests build; every app in it is closed after each test. */
export function appsClosedAfterEach(): FastifyInstance[] {
  const apps: FastifyInstance[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  return apps;
}
