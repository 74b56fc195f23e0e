// Roles of Slack members (admin, marketer, viewer) managed from Slack, the CLI and the admin API;
// every change is written to the audit log with the actor. SLACK_ADMINS stay admins from config.
import type { MemberRole } from '../../bots/ports.js';
import type { MemberRoles, RoleAssignment } from '../../bots/marketer/roles.js';
import type { PrismaClient } from '../generated/client.js';

/** Slack member roles in the SlackMember table, changes audited. */
export class PrismaMemberRoles implements MemberRoles {
  /**
   * `auditedByCaller`: the admin API writes one audit entry per call itself (with the API key as
   * actor); a second entry from here would double it.
   */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: { auditedByCaller?: boolean } = {},
  ) {}

  /** A member's stored role, or null. */
  async get(teamId: string, userId: string): Promise<MemberRole | null> {
    const row = await this.prisma.slackMember.findUnique({ where: { teamId_userId: { teamId, userId } } });
    return row?.role ?? null;
  }

  async list(teamId?: string): Promise<RoleAssignment[]> {
    const rows = await this.prisma.slackMember.findMany({
      where: teamId ? { teamId } : {},
      orderBy: [{ teamId: 'asc' }, { role: 'asc' }, { userId: 'asc' }],
    });
    return rows.map((r) => ({ teamId: r.teamId, userId: r.userId, role: r.role }));
  }

  async set(teamId: string, userId: string, role: MemberRole, actor: string): Promise<RoleAssignment> {
    const before = await this.prisma.slackMember.findUnique({ where: { teamId_userId: { teamId, userId } } });
    await this.prisma.$transaction([
      this.prisma.slackMember.upsert({
        where: { teamId_userId: { teamId, userId } },
        create: { teamId, userId, role },
        update: { role },
      }),
      ...this.audit({
        data: {
          actor,
          action: 'role.set',
          target: `slack:${teamId}:${userId}`,
          detail: { role, previous: before?.role ?? null },
        },
      }),
    ]);
    return { teamId, userId, role };
  }

  async remove(teamId: string, userId: string, actor: string): Promise<boolean> {
    const [deleted] = await this.prisma.$transaction([
      this.prisma.slackMember.deleteMany({ where: { teamId, userId } }),
      ...this.audit({ data: { actor, action: 'role.remove', target: `slack:${teamId}:${userId}` } }),
    ]);
    return deleted.count > 0;
  }

  private audit(entry: Parameters<PrismaClient['auditLog']['create']>[0]) {
    return this.options.auditedByCaller ? [] : [this.prisma.auditLog.create(entry)];
  }
}
