// Managing who may ask what: `/mkt roles list | add @user ROLE | remove @user` (admins only), the
// same through the CLI and the admin API. The command grammar is pure; storage is a port.
import type { MemberRole } from '../ports.js';

/** One member's role. */
export interface RoleAssignment {
  teamId: string;
  userId: string;
  role: MemberRole;
}

/** Role storage; every change is audited with the actor. */
export interface MemberRoles {
  list(teamId?: string): Promise<RoleAssignment[]>;
  set(teamId: string, userId: string, role: MemberRole, actor: string): Promise<RoleAssignment>;
  remove(teamId: string, userId: string, actor: string): Promise<boolean>;
}

/** A roles command. */
export type RolesCommand =
  | { action: 'list' }
  | { action: 'add'; userId: string; role: MemberRole }
  | { action: 'remove'; userId: string }
  | { action: 'usage' };

const ROLES: readonly MemberRole[] = ['admin', 'marketer', 'viewer'];

/** Reads "roles list", "roles add <@U123|name> marketer", "roles remove <@U123>". Pure. */
export function parseRolesCommand(text: string): RolesCommand | null {
  const words = text.trim().split(/\s+/);
  if (!/^roles?$/i.test(words[0] ?? '')) return null;
  const action = (words[1] ?? 'list').toLowerCase();
  const user =
    /^<@([A-Z0-9]+)(\|[^>]*)?>$/.exec(words[2] ?? '')?.[1] ??
    (/^U[A-Z0-9]+$/.test(words[2] ?? '') ? words[2] : undefined);
  if (action === 'list') return { action: 'list' };
  if (action === 'add' || action === 'set') {
    const role = (words[3] ?? '').toLowerCase() as MemberRole;
    return user && ROLES.includes(role) ? { action: 'add', userId: user, role } : { action: 'usage' };
  }
  if (action === 'remove' || action === 'delete')
    return user ? { action: 'remove', userId: user } : { action: 'usage' };
  return { action: 'usage' };
}

/** The usage line of the roles command. */
export const ROLES_USAGE =
  'Usage: `/mkt roles list` · `/mkt roles add @user marketer|viewer|admin` · `/mkt roles remove @user` (admins only).';

/** Runs a roles command for an admin; returns the text to post. */
export async function runRolesCommand(
  cmd: RolesCommand,
  ctx: { teamId: string; actor: string; role: MemberRole; roles: MemberRoles },
): Promise<string> {
  if (ctx.role !== 'admin') return `Sorry, only admins manage roles (yours is ${ctx.role}).`;
  switch (cmd.action) {
    case 'usage':
      return ROLES_USAGE;
    case 'list': {
      const all = await ctx.roles.list(ctx.teamId);
      if (all.length === 0) return 'No members with a stored role (admins from SLACK_ADMINS are not listed).';
      return ['Members with a role:', ...all.map((r) => `• <@${r.userId}>: ${r.role}`)].join('\n');
    }
    case 'add':
      await ctx.roles.set(ctx.teamId, cmd.userId, cmd.role, ctx.actor);
      return `<@${cmd.userId}> is now ${cmd.role}.`;
    case 'remove':
      return (await ctx.roles.remove(ctx.teamId, cmd.userId, ctx.actor))
        ? `<@${cmd.userId}> no longer has a role.`
        : `<@${cmd.userId}> had no stored role.`;
  }
}
