// Roles are managed with the /mkt roles command (bots/marketer/roles.ts), not by a question: asked
// in words, the answer says how (admins only).
import { defineKind } from './kind.js';

/** A roles request. */
export type RolesQuestion =
  | { kind: 'roles'; action: 'list' }
  | { kind: 'roles'; action: 'add'; user: string; role: 'admin' | 'marketer' | 'viewer' }
  | { kind: 'roles'; action: 'remove'; user: string };

export const roles = defineKind<RolesQuestion>({
  kind: 'roles',
  access: 'admin',
  answer: () => ({
    text: 'Roles are managed with `/mkt roles list`, `/mkt roles add @user marketer|viewer|admin` and `/mkt roles remove @user`.',
  }),
});
