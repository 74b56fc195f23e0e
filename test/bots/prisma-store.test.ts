// The bots' database adapters, one contract run against PGlite and against PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateConflictError } from '../../bots/errors.js';
import {
  PrismaConversationStore,
  PrismaEventLog,
  PrismaPrivacy,
  PrismaSlackMembers,
  type FieldCipher,
} from '../../bots/prisma-store.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

// Reversible and visibly different from the input, so the test can see the stored form.
const cipher: FieldCipher = {
  encrypt: (s) => `enc:${Buffer.from(s).toString('base64')}`,
  decrypt: (s) => Buffer.from(s.slice(4), 'base64').toString(),
};

describe.each(['pglite', 'postgres'] as const)('bots database adapters on %s', (kind) => {
  let db: TestDatabase;
  let store: PrismaConversationStore;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    store = new PrismaConversationStore({ prisma: db.prisma, cipher });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('opens a conversation once per channel id and one customer per user', async () => {
    const a = await store.open({ channel: 'webchat', externalId: 'conv-1', userExternalId: 'dl_user1' });
    const again = await store.open({ channel: 'webchat', externalId: 'conv-1', userExternalId: 'dl_user1' });
    const other = await store.open({ channel: 'webchat', externalId: 'conv-2', userExternalId: 'dl_user1' });
    expect(again.conversationId).toBe(a.conversationId);
    expect(other.customerId).toBe(a.customerId);
    expect(other.conversationId).not.toBe(a.conversationId);
    expect(a.etag).toBe(0);
    expect(a.handoffOpen).toBe(false);
  });

  it('saves state with optimistic concurrency', async () => {
    const c = await store.open({ channel: 'webchat', externalId: 'conv-3', userExternalId: 'dl_user3' });
    const etag = await store.saveState(c.conversationId, { v: 1, turns: 1 }, c.etag);
    expect(etag).toBe(1);
    await expect(store.saveState(c.conversationId, { v: 1, turns: 2 }, c.etag)).rejects.toBeInstanceOf(
      StateConflictError,
    );
    const reread = await store.open({ channel: 'webchat', externalId: 'conv-3', userExternalId: 'dl_user3' });
    expect(reread.state).toEqual({ v: 1, turns: 1 });
  });

  it('stores messages encrypted with intent data and detects retried activity ids', async () => {
    const c = await store.open({ channel: 'webchat', externalId: 'conv-4', userExternalId: 'dl_user4' });
    const msg = {
      direction: 'user' as const,
      activityId: 'act-1',
      text: 'my email is a@b.co',
      intent: 'greet',
      confidence: 0.9,
      sentiment: 0.2,
    };
    expect(await store.appendMessage(c.conversationId, msg)).toEqual({ duplicate: false });
    expect(await store.appendMessage(c.conversationId, msg)).toEqual({ duplicate: true });
    const rows = await db.prisma.message.findMany({ where: { conversationId: c.conversationId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.text).not.toContain('a@b.co');
    expect(rows[0]!.intent).toBe('greet');
    expect(rows[0]!.confidence).toBeCloseTo(0.9);
  });

  it('opens, lists, claims and releases handoffs', async () => {
    const c = await store.open({ channel: 'webchat', externalId: 'conv-5', userExternalId: 'dl_user5' });
    const h = await store.openHandoff(c.conversationId, 'asked');
    expect((await store.openHandoff(c.conversationId, 'asked again')).id).toBe(h.id);
    expect(
      (await store.open({ channel: 'webchat', externalId: 'conv-5', userExternalId: 'dl_user5' }))
        .handoffOpen,
    ).toBe(true);
    expect((await store.listActive(10)).map((x) => x.id)).toContain(h.id);
    expect((await store.claim(h.id, 'U1'))?.status).toBe('claimed');
    expect((await store.release(h.id))?.status).toBe('released');
    expect(
      (await store.open({ channel: 'webchat', externalId: 'conv-5', userExternalId: 'dl_user5' }))
        .handoffOpen,
    ).toBe(false);
    expect(await store.release('00000000-0000-0000-0000-000000000000')).toBeNull();
  });

  it('claims an event key once', async () => {
    const log = new PrismaEventLog(db.prisma);
    expect(await log.claim('slack:Ev1')).toBe(true);
    expect(await log.claim('slack:Ev1')).toBe(false);
  });

  it('resolves Slack roles from the table and the admin list', async () => {
    await db.prisma.slackMember.create({ data: { teamId: 'T1', userId: 'U2', role: 'viewer' } });
    const members = new PrismaSlackMembers(db.prisma, ['T1:U1']);
    expect(await members.role('T1', 'U1')).toBe('admin');
    expect(await members.role('T1', 'U2')).toBe('viewer');
    expect(await members.role('T1', 'U3')).toBeNull();
  });

  it('exports, records consent and forgets a customer', async () => {
    const privacy = new PrismaPrivacy({ prisma: db.prisma, cipher });
    const c = await store.open({ channel: 'webchat', externalId: 'conv-6', userExternalId: 'dl_user6' });
    await store.appendMessage(c.conversationId, { direction: 'user', text: 'hello there' });
    await privacy.setMarketingOptIn(c.customerId, true, 'webchat');
    await privacy.setMarketingOptIn(c.customerId, false, 'webchat');
    const data = await privacy.exportData(c.customerId);
    expect(data.marketingOptIn).toBe(false);
    expect((data.messages as Array<{ text: string }>).map((m) => m.text)).toEqual(['hello there']);
    expect(
      (data.consents as Array<{ granted: boolean; revokedAt: Date | null }>).filter(
        (x) => x.revokedAt === null,
      ),
    ).toHaveLength(1);
    await privacy.forget(c.customerId);
    expect(await db.prisma.customer.findUnique({ where: { id: c.customerId } })).toBeNull();
    expect(await db.prisma.conversation.findFirst({ where: { externalId: 'conv-6' } })).toBeNull();
  });
});
