// The bots' database adapters, one contract run against PGlite and against PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateConflictError, TurnAnsweredError } from '../../bots/errors.js';
import {
  PrismaConversationStore,
  PrismaPrivacy,
  PrismaSlackMembers,
  type FieldCipher,
} from '../../prisma/repositories/conversation-store.js';
import { PrismaEventLog } from '../../prisma/repositories/event-log.js';
import pg from 'pg';
import { poolStatements } from '../../server/database.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

// Reversible and visibly different from the input, so the test can see the stored form.
const cipher: FieldCipher = {
  encrypt: (s) => `enc:${Buffer.from(s).toString('base64')}`,
  decrypt: (s) => Buffer.from(s.slice(4), 'base64').toString(),
};

// "postgres + pool": the turn statements as the server runs them, prepared on the pg pool.
describe.each(['pglite', 'postgres', 'postgres + pool'] as const)(
  'bots database adapters on %s',
  (target) => {
    const kind = target === 'pglite' ? 'pglite' : 'postgres';
    let db: TestDatabase;
    let pool: pg.Pool | undefined;
    let store: PrismaConversationStore;

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      if (target === 'postgres + pool') {
        pool = new pg.Pool({ connectionString: db.url, max: 3 });
        // As in server/database.ts: dropping the test database at the end terminates idle clients,
        // which the pool reports as an 'error' event (57P01); unhandled, it fails the whole run.
        pool.on('error', () => undefined);
      }
      store = new PrismaConversationStore({ prisma: db.prisma, cipher, sql: pool && poolStatements(pool) });
    });
    afterAll(async () => {
      await pool?.end();
      await db?.close();
    });

    it('opens a conversation once per channel id and one customer per user', async () => {
      const a = await store.open({ channel: 'webchat', externalId: 'conv-1', userExternalId: 'dl_user1' });
      const again = await store.open({
        channel: 'webchat',
        externalId: 'conv-1',
        userExternalId: 'dl_user1',
      });
      const other = await store.open({
        channel: 'webchat',
        externalId: 'conv-2',
        userExternalId: 'dl_user1',
      });
      expect(again.conversationId).toBe(a.conversationId);
      expect(other.customerId).toBe(a.customerId);
      expect(other.conversationId).not.toBe(a.conversationId);
      expect(a.etag).toBe(0);
      expect(a.handoffOpen).toBe(false);
    });

    it('saves state with optimistic concurrency, together with the bot messages', async () => {
      const c = await store.open({ channel: 'webchat', externalId: 'conv-3', userExternalId: 'dl_user3' });
      const etag = await store.commitTurn(c.conversationId, { v: 1, turns: 1 }, c.etag, ['first', 'second']);
      expect(etag).toBe(1);
      await expect(
        store.commitTurn(c.conversationId, { v: 1, turns: 2 }, c.etag, ['lost']),
      ).rejects.toBeInstanceOf(StateConflictError);
      const reread = await store.open({
        channel: 'webchat',
        externalId: 'conv-3',
        userExternalId: 'dl_user3',
      });
      expect(reread.state).toEqual({ v: 1, turns: 1 });
      expect(reread.etag).toBe(1);
      // The conflicting write stored nothing; the others are encrypted and in the order they were said.
      const rows = await db.prisma.message.findMany({
        where: { conversationId: c.conversationId },
        orderBy: { createdAt: 'asc' },
      });
      expect(rows.map((r) => [r.direction, cipher.decrypt(r.text)])).toEqual([
        ['bot', 'first'],
        ['bot', 'second'],
      ]);
      expect(rows[0]!.text).not.toContain('first');
      const updated = await db.prisma.conversation.findUniqueOrThrow({ where: { id: c.conversationId } });
      expect(Math.abs(updated.updatedAt.getTime() - Date.now())).toBeLessThan(60_000);
      expect(await store.commitTurn(c.conversationId, { v: 1, turns: 2 }, 1, [])).toBe(2);
    });

    it('tells a resent message that was never answered from one that was, and answers it once', async () => {
      const ref = { channel: 'webchat' as const, externalId: 'conv-half', userExternalId: 'dl_half' };
      const msg = { direction: 'user' as const, activityId: 'client:h1', text: '4' };
      const first = await store.beginTurn(ref, msg);
      expect(first).toMatchObject({ duplicate: false, answered: false });
      // The turn died before its commit: the resend finds the message stored and unanswered.
      const resent = await store.beginTurn(ref, msg);
      expect(resent).toMatchObject({ duplicate: true, answered: false, etag: first.etag });
      // A stale etag writes nothing and leaves the message unanswered.
      await expect(
        store.commitTurn(first.conversationId, { v: 1 }, first.etag + 5, ['lost'], 'client:h1'),
      ).rejects.toBeInstanceOf(StateConflictError);
      expect((await store.beginTurn(ref, msg)).answered).toBe(false);
      expect(
        await store.commitTurn(first.conversationId, { v: 1 }, first.etag, ['item 2?'], 'client:h1'),
      ).toBe(first.etag + 1);
      expect(await store.beginTurn(ref, msg)).toMatchObject({ duplicate: true, answered: true });
      // A second process finishing the same turn: nothing written, and it is told why.
      await expect(
        store.commitTurn(first.conversationId, { v: 2 }, first.etag + 1, ['item 2 again?'], 'client:h1'),
      ).rejects.toBeInstanceOf(TurnAnsweredError);
      const rows = await db.prisma.message.findMany({
        where: { conversationId: first.conversationId },
        orderBy: { createdAt: 'asc' },
      });
      expect(rows.map((r) => [r.direction, cipher.decrypt(r.text), r.answeredAt !== null])).toEqual([
        ['user', '4', true],
        ['bot', 'item 2?', false],
      ]);
      const conversation = await db.prisma.conversation.findUniqueOrThrow({
        where: { id: first.conversationId },
      });
      expect(conversation).toMatchObject({ state: { v: 1 }, stateEtag: first.etag + 1 });
      // The slow path (a message appended outside the turn statement) tells the same.
      expect(await store.appendMessage(first.conversationId, msg)).toEqual({
        duplicate: true,
        answered: true,
      });
    });

    it('begins a first turn in one step: one customer per user across conversations, none left over when first turns race', async () => {
      const msg = (activityId: string) => ({ direction: 'user' as const, activityId, text: 'hi' });
      const customers0 = await db.prisma.customer.count();
      const a = await store.beginTurn(
        { channel: 'webchat', externalId: 'first-a', userExternalId: 'dl_first1' },
        msg('x1'),
      );
      expect(a).toMatchObject({ duplicate: false, etag: 0, handoffOpen: false, state: {} });
      const identity = await db.prisma.channelIdentity.findUniqueOrThrow({
        where: { channel_externalId: { channel: 'webchat', externalId: 'dl_first1' } },
      });
      expect(identity.customerId).toBe(a.customerId);
      const conversation = await db.prisma.conversation.findUniqueOrThrow({
        where: { id: a.conversationId },
      });
      expect(conversation).toMatchObject({
        channel: 'webchat',
        externalId: 'first-a',
        customerId: a.customerId,
      });
      expect(Math.abs(conversation.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
      expect(await db.prisma.message.count({ where: { conversationId: a.conversationId } })).toBe(1);
      // The same user in a second conversation is the same customer.
      const b = await store.beginTurn(
        { channel: 'webchat', externalId: 'first-b', userExternalId: 'dl_first1' },
        msg('x2'),
      );
      expect(b.customerId).toBe(a.customerId);
      expect(b.conversationId).not.toBe(a.conversationId);
      expect(await db.prisma.customer.count()).toBe(customers0 + 1);
      // A new user opening five conversations at once: every turn lands, one customer, no orphans.
      const raced = await Promise.all(
        [1, 2, 3, 4, 5].map((i) =>
          store.beginTurn(
            { channel: 'webchat', externalId: `race-${i}`, userExternalId: 'dl_racer1' },
            msg(`r${i}`),
          ),
        ),
      );
      expect(new Set(raced.map((r) => r.customerId)).size).toBe(1);
      expect(new Set(raced.map((r) => r.conversationId)).size).toBe(5);
      expect(raced.every((r) => !r.duplicate)).toBe(true);
      expect(await db.prisma.customer.count()).toBe(customers0 + 2);
      expect(await db.prisma.customer.count({ where: { identities: { none: {} } } })).toBe(0);
    });

    it('begins a turn: creates what is missing, stores the user message once, reads state and handoff', async () => {
      const ref = { channel: 'webchat' as const, externalId: 'conv-7', userExternalId: 'dl_user7' };
      const msg = (activityId: string, text: string) => ({
        direction: 'user' as const,
        activityId,
        text,
        intent: 'search',
        confidence: 0.75,
        sentiment: -0.5,
        entities: [{ type: 'price', text: 'under 50', max: 50, currency: 'USD' }],
      });
      const first = await store.beginTurn(ref, msg('a1', 'jackets under 50'));
      expect(first).toMatchObject({ duplicate: false, etag: 0, handoffOpen: false });
      await store.commitTurn(first.conversationId, { v: 1, turns: 1 }, first.etag, ['here']);
      const second = await store.beginTurn(ref, msg('a2', 'my phone is 555 0100'));
      expect(second).toMatchObject({
        conversationId: first.conversationId,
        customerId: first.customerId,
        duplicate: false,
        etag: 1,
        state: { v: 1, turns: 1 },
      });
      expect((await store.beginTurn(ref, msg('a2', 'my phone is 555 0100'))).duplicate).toBe(true);
      await store.openHandoff(first.conversationId, 'asked');
      expect((await store.beginTurn(ref, msg('a3', 'hello?'))).handoffOpen).toBe(true);
      const rows = await db.prisma.message.findMany({
        where: { conversationId: first.conversationId, direction: 'user' },
        orderBy: { createdAt: 'asc' },
      });
      expect(rows.map((r) => cipher.decrypt(r.text))).toEqual([
        'jackets under 50',
        'my phone is 555 0100',
        'hello?',
      ]);
      expect(rows[1]!.text).not.toContain('555');
      expect(rows[1]).toMatchObject({ activityId: 'a2', intent: 'search', sentiment: -0.5 });
      expect(rows[1]!.confidence).toBeCloseTo(0.75);
      expect(rows[1]!.entities).toEqual([{ type: 'price', text: 'under 50', max: 50, currency: 'USD' }]);
      expect(Math.abs(rows[1]!.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
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

    it("opens a turn's handoff once and does not count it open for a resend of that turn", async () => {
      const ref = { channel: 'webchat' as const, externalId: 'conv-keyed', userExternalId: 'dl_keyed1' };
      const ask = { direction: 'user' as const, activityId: 'client:ask-1', text: 'a person please' };
      const begun = await store.beginTurn(ref, ask);
      const key = `${begun.conversationId}:client:ask-1`;
      // Two processes finishing the same turn at once open one handoff.
      const [h1, h2] = await Promise.all([
        store.openHandoff(begun.conversationId, 'asked', key),
        store.openHandoff(begun.conversationId, 'asked', key),
      ]);
      expect(h2.id).toBe(h1.id);
      expect(await db.prisma.handoff.count({ where: { conversationId: begun.conversationId } })).toBe(1);
      // The resend of the message that opened it (unanswered) sees the conversation as that turn
      // began; any other message sees the handoff open.
      const resent = await store.beginTurn(ref, ask);
      expect(resent).toMatchObject({ duplicate: true, answered: false, handoffOpen: false });
      const next = await store.beginTurn(ref, { ...ask, activityId: 'client:ask-2', text: 'hello?' });
      expect(next.handoffOpen).toBe(true);
      expect((await store.beginTurn(ref, { ...ask, activityId: undefined, text: 'x' })).handoffOpen).toBe(
        true,
      );
    });

    it("records a turn's marketing choice once under its key, even from two processes at once", async () => {
      const privacy = new PrismaPrivacy({ prisma: db.prisma, cipher });
      const c = await store.open({ channel: 'webchat', externalId: 'conv-opt', userExternalId: 'dl_opt1' });
      await Promise.all([
        privacy.setMarketingOptIn(c.customerId, true, 'webchat', 'conv-opt:client:yes-1'),
        privacy.setMarketingOptIn(c.customerId, true, 'webchat', 'conv-opt:client:yes-1'),
      ]);
      const rows = () =>
        db.prisma.consent.findMany({
          where: { customerId: c.customerId, purpose: 'marketing' },
          orderBy: { createdAt: 'asc' },
          select: { granted: true, revokedAt: true },
        });
      expect(await rows()).toEqual([{ granted: true, revokedAt: null }]);
      // Another turn changing the choice is recorded, and revokes the earlier one.
      await privacy.setMarketingOptIn(c.customerId, false, 'webchat', 'conv-opt:client:no-1');
      await privacy.setMarketingOptIn(c.customerId, false, 'webchat', 'conv-opt:client:no-1');
      const after = await rows();
      expect(after.map((r) => [r.granted, r.revokedAt !== null])).toEqual([
        [true, true],
        [false, false],
      ]);
      const customer = await db.prisma.customer.findUniqueOrThrow({ where: { id: c.customerId } });
      expect(customer.marketingOptIn).toBe(false);
    });

    it('claims an event key until it is done; a released or abandoned claim is won again', async () => {
      const log = new PrismaEventLog(db.prisma);
      const lease = 60_000;
      expect(await log.claim('slack:Ev1', lease)).toBe(true);
      expect(await log.claim('slack:Ev1', lease)).toBe(false); // in hand elsewhere
      await log.release('slack:Ev1'); // processing failed
      expect(await log.claim('slack:Ev1', lease)).toBe(true);
      await log.done('slack:Ev1');
      expect(await log.claim('slack:Ev1', 0)).toBe(false); // done: never again, whatever the lease
      await log.release('slack:Ev1');
      expect(await log.claim('slack:Ev1', 0)).toBe(false);
      // A process died holding Ev2 two minutes ago: past the lease, a retry takes it over, once.
      expect(await log.claim('slack:Ev2', lease)).toBe(true);
      await db.prisma.processedEvent.update({
        where: { key: 'slack:Ev2' },
        data: { createdAt: new Date(Date.now() - 120_000) },
      });
      expect(await log.claim('slack:Ev2', lease)).toBe(true);
      expect(await log.claim('slack:Ev2', lease)).toBe(false);
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
      // The same choice again (a resent confirmation) records nothing more.
      await privacy.setMarketingOptIn(c.customerId, false, 'webchat');
      expect(await db.prisma.consent.count({ where: { customerId: c.customerId } })).toBe(2);
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
  },
);
