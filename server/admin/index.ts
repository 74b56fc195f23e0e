// The admin REST API (Fastify plugin) and its shapes.
export { adminApiPlugin, ADMIN_PREFIX } from './plugin.js';
export type { AdminApiOptions, AdminHandoffs, AdminJobs, CustomerPrivacy } from './context.js';
export * from './schemas.js';
