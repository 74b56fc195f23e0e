// Live handoffs and their relayed messages (bots/handoff's HandoffRepository). Free text is
// sealed with the field cipher like every message; status changes are conditional updates, so two
// processes closing or claiming the same handoff cannot both win.
import type { PrismaClient } from '../generated/client.js';
import type {
  HandoffRecord,
  HandoffTranscript,
  HandoffRepository,
  RelayDirection,
  RelayMessage,
  TranscriptEntry,
} from '../../bots/handoff/index.js';
import { slackThreadLink } from '../../bots/handoff/index.js';
import type { ChannelName, HandoffStats, HandoffView } from '../../bots/ports.js';
import type { FieldCipher } from './conversation-store.js';

const UNIQUE_VIOLATION = 'P2002';
const ACTIVE = ['open', 'claimed'] as const;
const WITH_CONVERSATION = { conversation: { select: { externalId: true, channel: true } } } as const;

// A handoff row as Prisma returns it: the record's own columns, and the conversation's two that
// the record carries flattened.
type Row = Omit<HandoffRecord, 'conversationExternalId' | 'channel'> & {
  conversation: { externalId: string; channel: ChannelName };
};

function record(row: Row): HandoffRecord {
  const { conversation, ...rest } = row;
  return { ...rest, conversationExternalId: conversation.externalId, channel: conversation.channel };
}

/** Handoffs in the database. */
export class PrismaHandoffRepository implements HandoffRepository {
  /** `cipher` seals message text; `nameCipher` opens Customer.name (its own key context). */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly cipher: FieldCipher,
    private readonly nameCipher?: Pick<FieldCipher, 'decrypt'>,
  ) {}

  async get(id: string): Promise<HandoffRecord | null> {
    const row = await this.prisma.handoff.findUnique({ where: { id }, include: WITH_CONVERSATION });
    return row ? record(row) : null;
  }

  async transcript(id: string, limit: number): Promise<HandoffTranscript | null> {
    const row = await this.prisma.handoff.findUnique({
      where: { id },
      include: {
        conversation: {
          select: {
            externalId: true,
            channel: true,
            customer: { select: { name: true } },
            _count: { select: { messages: true } },
            messages: {
              orderBy: { createdAt: 'desc' },
              take: limit,
              select: { direction: true, text: true, createdAt: true },
            },
          },
        },
      },
    });
    if (!row) return null;
    // What people and notices said to the customer (the customer's own words are messages already).
    const relayed = await this.prisma.handoffMessage.findMany({
      where: { handoff: { conversationId: row.conversationId }, direction: { in: ['agent', 'notice'] } },
      orderBy: { createdAt: 'desc' },
      take: limit,
      select: { direction: true, author: true, text: true, createdAt: true },
    });
    const entries: TranscriptEntry[] = [
      ...row.conversation.messages.map((m) => ({
        at: m.createdAt,
        from: m.direction === 'user' ? ('customer' as const) : ('assistant' as const),
        text: this.open(m.text),
      })),
      ...relayed.map((m) => ({
        at: m.createdAt,
        from: m.direction === 'agent' ? ('agent' as const) : ('assistant' as const),
        ...(m.author ? { author: m.author } : {}),
        text: this.open(m.text),
      })),
    ].sort((a, b) => a.at.getTime() - b.at.getTime());
    const kept = entries.slice(-limit);
    const sealedName = row.conversation.customer?.name;
    return {
      record: record(row),
      customerName: sealedName && this.nameCipher ? this.open(sealedName, this.nameCipher) : null,
      entries: kept,
      omitted:
        Math.max(0, row.conversation._count.messages - row.conversation.messages.length) +
        (entries.length - kept.length),
    };
  }

  async activeFor(conversationId: string): Promise<HandoffRecord | null> {
    const row = await this.prisma.handoff.findFirst({
      where: { conversationId, status: { in: [...ACTIVE] } },
      orderBy: { createdAt: 'desc' },
      include: WITH_CONVERSATION,
    });
    return row ? record(row) : null;
  }

  async byThread(slackChannel: string, slackTs: string): Promise<HandoffRecord | null> {
    const row = await this.prisma.handoff.findFirst({
      where: { slackChannel, slackTs },
      include: WITH_CONVERSATION,
    });
    return row ? record(row) : null;
  }

  async listActive(limit: number): Promise<HandoffRecord[]> {
    const rows = await this.prisma.handoff.findMany({
      where: { status: { in: [...ACTIVE] } },
      orderBy: { createdAt: 'asc' },
      take: limit,
      include: WITH_CONVERSATION,
    });
    return rows.map(record);
  }

  async setAnnouncement(id: string, slackChannel: string, slackTs: string): Promise<void> {
    await this.prisma.handoff.update({ where: { id }, data: { slackChannel, slackTs } });
  }

  async claim(id: string, by: string, at: Date): Promise<HandoffRecord | null> {
    const { count } = await this.prisma.handoff.updateMany({
      where: { id, status: { in: [...ACTIVE] } },
      data: { status: 'claimed', claimedBy: by, claimedAt: at },
    });
    return count === 1 ? this.get(id) : null;
  }

  async close(id: string, by: string, at: Date): Promise<HandoffRecord | null> {
    const { count } = await this.prisma.handoff.updateMany({
      where: { id, status: { in: [...ACTIVE] } },
      data: { status: 'released', closedAt: at, closedBy: by },
    });
    return count === 1 ? this.get(id) : null;
  }

  async noteReply(id: string, at: Date): Promise<boolean> {
    const { count } = await this.prisma.handoff.updateMany({
      where: { id, firstReplyAt: null },
      data: { firstReplyAt: at },
    });
    return count === 1;
  }

  async listViews(limit: number): Promise<HandoffView[]> {
    const rows = await this.prisma.handoff.findMany({
      where: { status: { in: [...ACTIVE] } },
      orderBy: { createdAt: 'asc' },
      take: limit,
      include: {
        conversation: { select: { externalId: true, channel: true, customer: { select: { name: true } } } },
      },
    });
    return rows.map((row) => {
      const name = row.conversation.customer?.name;
      return {
        id: row.id,
        conversationId: row.conversationId,
        channel: row.conversation.channel,
        status: row.status,
        reason: row.reason,
        claimedBy: row.claimedBy,
        createdAt: row.createdAt,
        customer: name && this.nameCipher ? this.open(name, this.nameCipher) : null,
        ...(row.slackChannel && row.slackTs ? { link: slackThreadLink(row.slackChannel, row.slackTs) } : {}),
      };
    });
  }

  async stats(since: Date): Promise<HandoffStats> {
    const [opened, closed, replied, waiting, claimed] = await Promise.all([
      this.prisma.handoff.count({ where: { createdAt: { gte: since } } }),
      this.prisma.handoff.findMany({
        where: { closedAt: { gte: since } },
        select: { firstReplyAt: true },
      }),
      this.prisma.handoff.findMany({
        where: { createdAt: { gte: since }, firstReplyAt: { not: null } },
        select: { createdAt: true, firstReplyAt: true },
      }),
      this.prisma.handoff.count({ where: { status: 'open' } }),
      this.prisma.handoff.count({ where: { status: 'claimed' } }),
    ]);
    const seconds = replied
      .map((r) => (r.firstReplyAt!.getTime() - r.createdAt.getTime()) / 1000)
      .sort((a, b) => a - b);
    const at = (p: number) => seconds[Math.min(seconds.length - 1, Math.floor(p * seconds.length))]!;
    return {
      opened,
      resolvedShare: closed.length === 0 ? null : closed.filter((c) => c.firstReplyAt).length / closed.length,
      firstReplySeconds: seconds.length === 0 ? null : { p50: at(0.5), p95: at(0.95) },
      waiting,
      claimed,
    };
  }

  async addMessage(
    handoffId: string,
    message: { direction: RelayDirection; author?: string; text: string; eventKey: string },
  ): Promise<{ id: string } | null> {
    try {
      const row = await this.prisma.handoffMessage.create({
        data: {
          handoffId,
          direction: message.direction,
          author: message.author ?? null,
          text: this.cipher.encrypt(message.text),
          eventKey: message.eventKey,
        },
        select: { id: true },
      });
      return row;
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) return null;
      throw err;
    }
  }

  async markDelivered(messageIds: readonly string[], at: Date): Promise<void> {
    if (messageIds.length === 0) return;
    await this.prisma.handoffMessage.updateMany({
      where: { id: { in: [...messageIds] }, deliveredAt: null },
      data: { deliveredAt: at },
    });
  }

  async markPosted(messageId: string, at: Date): Promise<void> {
    await this.prisma.handoffMessage.updateMany({
      where: { id: messageId, postedAt: null },
      data: { postedAt: at },
    });
  }

  async undelivered(channel: ChannelName, conversationExternalId: string): Promise<RelayMessage[]> {
    const rows = await this.prisma.handoffMessage.findMany({
      where: {
        direction: { in: ['agent', 'notice'] },
        deliveredAt: null,
        handoff: { conversation: { channel, externalId: conversationExternalId } },
      },
      orderBy: { createdAt: 'asc' },
      take: 100,
      include: { handoff: { select: { id: true } } },
    });
    return rows.map((m) => ({
      messageId: m.id,
      handoffId: m.handoff.id,
      channel,
      conversationExternalId,
      direction: m.direction === 'agent' ? 'agent' : 'notice',
      ...(m.author ? { author: m.author } : {}),
      text: this.open(m.text),
      receivedAt: m.createdAt.getTime(),
    }));
  }

  async customerTexts(handoffId: string, limit: number): Promise<string[]> {
    const rows = await this.prisma.handoffMessage.findMany({
      where: { handoffId, direction: 'customer' },
      orderBy: { createdAt: 'desc' },
      take: limit,
      select: { text: true },
    });
    return rows.map((r) => this.open(r.text));
  }

  async recordContactConsent(handoffId: string, source: string, at: Date): Promise<boolean> {
    const row = await this.prisma.handoff.findUnique({
      where: { id: handoffId },
      select: { conversation: { select: { customerId: true } } },
    });
    const customerId = row?.conversation.customerId;
    if (!customerId) return false;
    const purpose = `handoff-contact:${handoffId}`;
    const given = await this.prisma.consent.findFirst({
      where: { customerId, purpose, granted: true, revokedAt: null },
      select: { id: true },
    });
    if (given) return false;
    await this.prisma.consent.create({ data: { customerId, purpose, granted: true, source, createdAt: at } });
    return true;
  }

  async unposted(
    olderThan: Date,
    limit: number,
  ): Promise<Array<{ messageId: string; record: HandoffRecord; text: string }>> {
    const rows = await this.prisma.handoffMessage.findMany({
      where: { direction: 'customer', postedAt: null, createdAt: { lt: olderThan } },
      orderBy: { createdAt: 'asc' },
      take: limit,
      include: { handoff: { include: WITH_CONVERSATION } },
    });
    return rows.map((m) => ({ messageId: m.id, record: record(m.handoff), text: this.open(m.text) }));
  }

  private open(sealed: string, cipher: Pick<FieldCipher, 'decrypt'> = this.cipher): string {
    try {
      return cipher.decrypt(sealed);
    } catch {
      return '[unreadable]';
    }
  }
}
