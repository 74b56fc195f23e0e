// How much of a customer's own words (messages, names) a member's role may read, read off the one
// role table (server/security/roles.ts) rather than a second list: whoever may read customers'
// records reads them in clear (admin); whoever may read handoffs reads them with e-mails, phone,
// card and IBAN numbers masked, as survey comments are shown (marketer); anyone else reads none
// (viewer), as viewers see survey figures only.
import type { PersonalDataView } from '../../bots/index.js';
import type { Role } from '../../prisma/index.js';
import { can } from '../security/roles.js';

/** The handoff transcript's reading for a role. */
export function personalDataView(role: Role): PersonalDataView {
  if (can(role, 'customers.read')) return 'clear';
  if (can(role, 'handoffs.read')) return 'masked';
  return 'hidden';
}
