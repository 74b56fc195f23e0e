// Slack members who have opened the App Home (bots' HomeViewers), so the server can publish their
// Home again when the handoff queue changes.
import type { PrismaClient } from '../generated/client.js';
import type { HomeViewers } from '../../bots/ports.js';

/** Home openers in the SlackHomeViewer table. */
export class PrismaSlackHomeViewers implements HomeViewers {
  constructor(private readonly prisma: PrismaClient) {}

  async opened(teamId: string, userId: string): Promise<void> {
    const openedAt = new Date();
    await this.prisma.slackHomeViewer.upsert({
      where: { teamId_userId: { teamId, userId } },
      create: { teamId, userId, openedAt },
      update: { openedAt },
    });
  }

  async recent(since: Date, limit: number): Promise<Array<{ teamId: string; userId: string }>> {
    return this.prisma.slackHomeViewer.findMany({
      where: { openedAt: { gte: since } },
      orderBy: { openedAt: 'desc' },
      take: limit,
      select: { teamId: true, userId: true },
    });
  }
}
