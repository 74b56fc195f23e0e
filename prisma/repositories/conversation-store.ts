// Database adapters for the bots' own ports (conversations, messages, handoffs, Slack allow-list,
// idempotency keys, personal-data rights). Thin: each method is one or two Prisma calls, except the
// two writes of every chat turn, which are one SQL statement each (turn-sql.ts).
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../generated/client.js';
import { StateConflictError, TurnAnsweredError } from '../../bots/errors.js';
import {
  beginFirstTurnSql,
  beginTurnSql,
  commitTurnSql,
  prismaStatements,
  type BegunRow,
  type SqlStatementRunner,
} from './turn-sql.js';
import type {
  ChannelName,
  ConversationStore,
  HandoffView,
  Handoffs,
  MemberRole,
  OpenedConversation,
  Privacy,
  SlackMembers,
  StoredMessage,
} from '../../bots/ports.js';

/** Encrypts personal free text at rest (server/ passes the AES-GCM cipher). */
export interface FieldCipher {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
}

/** Options of the Prisma adapters. */
export interface PrismaBotStoreOptions {
  prisma: PrismaClient;
  cipher: FieldCipher;
  /** The pool's direct path for the two statements of every turn; Prisma's raw queries without it. */
  sql?: SqlStatementRunner;
  /** Cipher of free-text survey answers (Answer.text), for the customer's own export. */
  answerCipher?: FieldCipher;
  /**
   * Opens a personal column sealed under its own context ("Customer.email"), as the demo seed and
   * the marketer insights seal them; `cipher` is bound to the chat messages' context.
   */
  openField?: (sealed: string, context: string) => string;
}

const UNIQUE_VIOLATION = 'P2002';

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === UNIQUE_VIOLATION;
}

/** Conversations, transcript and handoffs in the database. */
export class PrismaConversationStore implements ConversationStore, Handoffs {
  private readonly sql: SqlStatementRunner;

  constructor(private readonly opts: PrismaBotStoreOptions) {
    this.sql = opts.sql ?? prismaStatements(opts.prisma);
  }

  async open(ref: {
    channel: ChannelName;
    externalId: string;
    userExternalId: string;
  }): Promise<OpenedConversation> {
    const { prisma } = this.opts;
    const found = await prisma.conversation.findUnique({
      where: { channel_externalId: { channel: ref.channel, externalId: ref.externalId } },
      include: { handoff: { where: { status: { in: ['open', 'claimed'] } }, select: { id: true }, take: 1 } },
    });
    if (found?.customerId) {
      return {
        conversationId: found.id,
        customerId: found.customerId,
        state: found.state,
        etag: found.stateEtag,
        handoffOpen: found.handoff.length > 0,
      };
    }
    const customerId = await this.customerFor(ref.channel, ref.userExternalId);
    try {
      const created = found
        ? await prisma.conversation.update({ where: { id: found.id }, data: { customerId } })
        : await prisma.conversation.create({
            data: { channel: ref.channel, externalId: ref.externalId, customerId },
          });
      return {
        conversationId: created.id,
        customerId,
        state: created.state,
        etag: created.stateEtag,
        handoffOpen: false,
      };
    } catch (err) {
      // Two first messages raced; the other one created it.
      if (isUniqueViolation(err)) return this.open(ref);
      throw err;
    }
  }

  async beginTurn(
    ref: { channel: ChannelName; externalId: string; userExternalId: string },
    message: StoredMessage,
  ): Promise<OpenedConversation & { duplicate: boolean; answered: boolean }> {
    const sealed = { ...message, text: this.opts.cipher.encrypt(message.text) };
    const row =
      (await beginTurnSql(this.sql, ref, sealed)) ?? (await beginFirstTurnSql(this.sql, ref, sealed));
    if (row) return begun(row);
    // A concurrent first turn of the same user: create what is missing step by step.
    const opened = await this.open(ref);
    return { ...opened, ...(await this.appendMessage(opened.conversationId, message)) };
  }

  async commitTurn(
    conversationId: string,
    state: unknown,
    etag: number,
    botTexts: readonly string[],
    answering?: string,
  ): Promise<number> {
    const sealed = botTexts.map((t) => this.opts.cipher.encrypt(t));
    const done = await commitTurnSql(this.sql, conversationId, state, etag, sealed, answering);
    if ('etag' in done) return done.etag;
    if (done.refused === 'already-answered') throw new TurnAnsweredError(conversationId);
    throw new StateConflictError(conversationId);
  }

  /**
   * Appends one message; `duplicate` is true when the activity id was already stored (a retry),
   * `answered` whether that stored message's turn committed its reply.
   */
  async appendMessage(
    conversationId: string,
    m: StoredMessage,
  ): Promise<{ duplicate: boolean; answered: boolean }> {
    try {
      await this.opts.prisma.message.create({
        data: {
          conversationId,
          direction: m.direction,
          activityId: m.activityId ?? null,
          text: this.opts.cipher.encrypt(m.text),
          intent: m.intent ?? null,
          confidence: m.confidence ?? null,
          sentiment: m.sentiment ?? null,
          entities: m.entities ? (m.entities as object[]) : undefined,
        },
      });
      return { duplicate: false, answered: false };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const stored = await this.opts.prisma.message.findUnique({
        where: { conversationId_activityId: { conversationId, activityId: m.activityId! } },
        select: { answeredAt: true },
      });
      return { duplicate: true, answered: stored?.answeredAt != null };
    }
  }

  async openHandoff(conversationId: string, reason: string, turnKey?: string): Promise<{ id: string }> {
    const { prisma } = this.opts;
    const existing = await prisma.handoff.findFirst({
      where: { conversationId, status: { in: ['open', 'claimed'] } },
    });
    if (existing) return { id: existing.id };
    if (!turnKey) return { id: (await prisma.handoff.create({ data: { conversationId, reason } })).id };
    // ON CONFLICT DO NOTHING on (conversation, turnKey): the turn's handoff is opened once, even
    // when two processes finish the same resent turn; both then announce (once) the same one.
    await prisma.handoff.createMany({ data: [{ conversationId, reason, turnKey }], skipDuplicates: true });
    const opened = await prisma.handoff.findUniqueOrThrow({
      where: { conversationId_turnKey: { conversationId, turnKey } },
      select: { id: true },
    });
    return { id: opened.id };
  }

  async closeHandoff(conversationId: string): Promise<void> {
    await this.opts.prisma.handoff.updateMany({
      where: { conversationId, status: { in: ['open', 'claimed'] } },
      data: { status: 'released', closedAt: new Date(), closedBy: 'customer' },
    });
  }

  async listActive(limit: number): Promise<HandoffView[]> {
    const rows = await this.opts.prisma.handoff.findMany({
      where: { status: { in: ['open', 'claimed'] } },
      orderBy: { createdAt: 'asc' },
      take: limit,
      include: { conversation: { select: { channel: true } } },
    });
    return rows.map(toView);
  }

  async claim(id: string, by: string): Promise<HandoffView | null> {
    return this.setStatus(id, { status: 'claimed', claimedBy: by });
  }

  async release(id: string): Promise<HandoffView | null> {
    return this.setStatus(id, { status: 'released' });
  }

  private async setStatus(
    id: string,
    data: { status: 'claimed' | 'released'; claimedBy?: string },
  ): Promise<HandoffView | null> {
    const found = await this.opts.prisma.handoff.findUnique({ where: { id } });
    if (!found) return null;
    const row = await this.opts.prisma.handoff.update({
      where: { id },
      data,
      include: { conversation: { select: { channel: true } } },
    });
    return toView(row);
  }

  private async customerFor(channel: ChannelName, externalId: string): Promise<string> {
    const { prisma } = this.opts;
    const identity = await prisma.channelIdentity.findUnique({
      where: { channel_externalId: { channel, externalId } },
    });
    if (identity) return identity.customerId;
    try {
      const customer = await prisma.customer.create({
        data: { identities: { create: { channel, externalId } } },
      });
      return customer.id;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const again = await prisma.channelIdentity.findUniqueOrThrow({
        where: { channel_externalId: { channel, externalId } },
      });
      return again.customerId;
    }
  }
}

function begun(row: BegunRow): OpenedConversation & { duplicate: boolean; answered: boolean } {
  return {
    conversationId: row.id,
    customerId: row.customerId,
    state: row.state,
    etag: row.stateEtag,
    handoffOpen: row.handoffOpen,
    duplicate: row.inserted === 0,
    answered: row.inserted === 0 && row.answered === true,
  };
}

function toView(row: {
  id: string;
  conversationId: string;
  status: 'open' | 'claimed' | 'released';
  reason: string | null;
  claimedBy: string | null;
  createdAt: Date;
  conversation: { channel: ChannelName };
}): HandoffView {
  return {
    id: row.id,
    conversationId: row.conversationId,
    channel: row.conversation.channel,
    status: row.status,
    reason: row.reason,
    claimedBy: row.claimedBy,
    createdAt: row.createdAt,
  };
}

/** Slack allow-list in the SlackMember table, plus admins from configuration. */
export class PrismaSlackMembers implements SlackMembers {
  /** `admins` are "T123:U456" or bare "U456" entries from SLACK_ADMINS. */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly admins: readonly string[] = [],
  ) {}

  async role(teamId: string, userId: string): Promise<MemberRole | null> {
    if (this.admins.includes(`${teamId}:${userId}`) || this.admins.includes(userId)) return 'admin';
    const row = await this.prisma.slackMember.findUnique({ where: { teamId_userId: { teamId, userId } } });
    return row?.role ?? null;
  }
}

/** Export, deletion and marketing consent over the whole schema. */
export class PrismaPrivacy implements Privacy {
  constructor(private readonly opts: PrismaBotStoreOptions) {}

  async exportData(customerId: string): Promise<Record<string, unknown>> {
    const { prisma, cipher } = this.opts;
    const c = await prisma.customer.findUnique({
      where: { id: customerId },
      include: {
        identities: { select: { channel: true, externalId: true, createdAt: true } },
        consents: {
          select: { purpose: true, granted: true, source: true, createdAt: true, revokedAt: true },
        },
        conversations: {
          select: {
            id: true,
            channel: true,
            createdAt: true,
            messages: {
              select: { direction: true, text: true, intent: true, createdAt: true },
              orderBy: { createdAt: 'asc' },
            },
          },
        },
        interactions: {
          select: { kind: true, createdAt: true, product: { select: { sku: true, name: true } } },
        },
        orders: {
          select: {
            placedAt: true,
            items: { select: { quantity: true, product: { select: { sku: true } } } },
          },
        },
        sessions: {
          select: {
            instrumentId: true,
            status: true,
            startedAt: true,
            answers: { select: { itemId: true, value: true, choices: true, text: true, skipped: true } },
          },
        },
        profile: { select: { traits: true, percentiles: true, npsClass: true, preferences: true } },
        memberships: { select: { segment: { select: { name: true } } } },
      },
    });
    if (!c) return {};
    const { openField } = this.opts;
    const dec = (v: string | null, context: string) => {
      if (!v) return null;
      if (openField)
        try {
          return openField(v, context);
        } catch {
          // sealed without the column's context: the chat cipher below opens it
        }
      return safeDecrypt(cipher, v);
    };
    return {
      customerId: c.id,
      email: dec(c.email, 'Customer.email'),
      name: dec(c.name, 'Customer.name'),
      phone: dec(c.phone, 'Customer.phone'),
      marketingOptIn: c.marketingOptIn,
      identities: c.identities,
      consents: c.consents,
      messages: c.conversations.flatMap((conv) =>
        conv.messages.map((m) => ({ ...m, text: safeDecrypt(cipher, m.text), conversationId: conv.id })),
      ),
      interactions: c.interactions,
      orders: c.orders,
      // Free-text answers are the customer's own words: the export includes them, decrypted.
      surveys: c.sessions.map((session) => ({
        ...session,
        answers: session.answers.map((a) => ({
          ...a,
          text: a.text === null ? null : safeDecrypt(this.opts.answerCipher ?? cipher, a.text),
        })),
      })),
      profile: c.profile ?? {},
      segments: c.memberships.map((m) => m.segment.name),
    };
  }

  async forget(customerId: string): Promise<void> {
    // Cascades remove identities, conversations, messages, survey answers, profile and memberships.
    await this.opts.prisma.customer.deleteMany({ where: { id: customerId } });
  }

  async setMarketingOptIn(
    customerId: string,
    optIn: boolean,
    source: string,
    turnKey?: string,
  ): Promise<void> {
    const { prisma } = this.opts;
    // The same choice again changes nothing and records nothing.
    const [customer, current] = await Promise.all([
      prisma.customer.findUnique({ where: { id: customerId }, select: { marketingOptIn: true } }),
      prisma.consent.findFirst({
        where: { customerId, purpose: 'marketing', revokedAt: null },
        orderBy: { createdAt: 'desc' },
        select: { granted: true },
      }),
    ]);
    if (customer?.marketingOptIn === optIn && current?.granted === optIn) return;
    const id = randomUUID();
    await prisma.$transaction(async (tx) => {
      // The turn's consent first, under its key: a resent confirmation finishing its turn (the
      // first try may have committed this before the reply failed), or the same turn finished by
      // two processes at once, inserts nothing and so changes nothing.
      const { count } = await tx.consent.createMany({
        data: [{ id, customerId, purpose: 'marketing', granted: optIn, source, turnKey: turnKey ?? null }],
        skipDuplicates: true,
      });
      if (count === 0) return;
      await tx.consent.updateMany({
        where: { customerId, purpose: 'marketing', revokedAt: null, id: { not: id } },
        data: { revokedAt: new Date() },
      });
      await tx.customer.update({ where: { id: customerId }, data: { marketingOptIn: optIn } });
    });
  }
}

function safeDecrypt(cipher: FieldCipher, value: string): string {
  try {
    return cipher.decrypt(value);
  } catch {
    return '[unreadable: encrypted with another key]';
  }
}
