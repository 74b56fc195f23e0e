import type { Role } from '../../prisma/index.js';

// Who may do what. One table, read by the admin routes and by the access test, so the test
// checks every route against exactly this table.

/** Every role, least to most privileged. */
export const ROLES = ['viewer', 'marketer', 'admin'] as const satisfies readonly Role[];

/** Permission → roles that hold it. */
export const PERMISSIONS = {
  'apikeys.manage': ['admin'],
  'catalog.read': ['viewer', 'marketer', 'admin'],
  'catalog.write': ['marketer', 'admin'],
  'segments.read': ['viewer', 'marketer', 'admin'],
  'segments.write': ['marketer', 'admin'],
  // personal data (names, e-mails) of consented members: as in Slack, not for viewers
  'segments.export': ['marketer', 'admin'],
  // every role sees the figures; the route itself shows comments to marketers and admins only
  'surveys.read': ['viewer', 'marketer', 'admin'],
  'roles.manage': ['admin'],
  'customers.read': ['admin'],
  'customers.export': ['admin'],
  'customers.delete': ['admin'],
  'audit.read': ['admin'],
  'jobs.read': ['marketer', 'admin'],
  'jobs.manage': ['admin'],
  'reports.render': ['marketer', 'admin'],
  // live handoffs for another inbox (e.g. Chatwoot): customer names and writing to customers
  'handoffs.read': ['marketer', 'admin'],
  'handoffs.answer': ['marketer', 'admin'],
  'review.manage': ['marketer', 'admin'],
  'kb.read': ['viewer', 'marketer', 'admin'],
  'kb.write': ['marketer', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

/** A permission name. */
export type Permission = keyof typeof PERMISSIONS;

/** True when the role holds the permission. */
export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
