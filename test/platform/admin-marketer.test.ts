import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion, type MarketerAnswerDeps } from '../../bots/index.js';
import { maskPII } from '../../nlu/index.js';
import {
  PrismaMarketerAnalytics,
  PrismaMarketerInsights,
  PrismaSegmentRepository,
  recordSize,
} from '../../prisma/repositories/index.js';
import type { Role } from '../../prisma/index.js';
import { adminApiPlugin, ADMIN_PREFIX } from '../../server/admin/index.js';
import { createPrivacy } from '../../server/privacy.js';
import {
  createApiKeyStore,
  createFieldCipher,
  createLookupHasher,
  createPrismaAuditWriter,
  deriveLookupKey,
  ROLES,
} from '../../server/security/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import {
  customersWithTraitAbove,
  expectSegmentCsv,
  plantComment,
  seedDemoProfiles,
  storedComments,
} from '../support/demo-profiles.js';

// Segments through the admin API on the real Fastify app and database with demo respondents whose
// profiles were recomputed: plain-language and structured definitions, the dry-run preview, rules
// in words, redefinition, the consented export and who may do what.

const cipher = createFieldCipher({ current: { id: 'k1', key: Buffer.alloc(32, 7) } });
const lookup = createLookupHasher(deriveLookupKey(Buffer.alloc(32, 7)));
const answerCipher = {
  encrypt: (s: string) => cipher.encrypt(s, 'Answer.text'),
  decrypt: (s: string) => cipher.decrypt(s, 'Answer.text'),
};

describe('segments through the admin API', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  const keys = {} as Record<Role, string>;

  beforeAll(async () => {
    db = await createTestDatabase('pglite');
    await seedDemoProfiles(db.prisma, {
      count: 60,
      catalog: true,
      sealing: {
        encrypt: (plain, context) => cipher.encrypt(plain, context),
        emailHash: (e) => lookup.email(e),
      },
      answers: answerCipher,
    });
    const apiKeys = createApiKeyStore(db.prisma);
    for (const role of ROLES) keys[role] = (await apiKeys.create(`${role} key`, role)).key;
    app = Fastify();
    await app.register(adminApiPlugin, {
      prisma: db.prisma,
      apiKeys,
      audit: createPrismaAuditWriter(db.prisma),
      lookup,
      cipher,
      privacy: createPrivacy(db.prisma, cipher),
      docs: false,
    });
    await app.ready();
  }, 300_000); // seeding 60 sealed, profiled respondents passes 3 minutes at load 25

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const call = (method: string, url: string, role: Role, body?: unknown) =>
    app.inject({
      method: method as 'GET',
      url: `${ADMIN_PREFIX}${url}`,
      headers: { authorization: `Bearer ${keys[role]}` },
      ...(body === undefined ? {} : { payload: body as object }),
    });

  const priceConscious = (limit: number) => customersWithTraitAbove(db.prisma, 'price', limit);

  it('previews a plain-language definition, saves it, shows it in words and lists it', async () => {
    const expected = await priceConscious(3.5);
    expect(expected.length).toBeGreaterThan(0);
    const body = { name: 'Bargain lovers', where: 'price consciousness above 3.5' };
    const preview = await call('POST', '/segments?dryRun=true', 'marketer', body);
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({
      dryRun: true,
      size: expected.length,
      rules: [{ field: 'traits.price', op: 'gt', value: 3.5 }],
      words: expect.stringMatching(/price consciousness > 3\.5/i),
    });
    expect(await db.prisma.segment.count({ where: { name: 'Bargain lovers' } })).toBe(0);

    const created = await call('POST', '/segments', 'marketer', body);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'Bargain lovers', kind: 'rules', size: expected.length });
    const members = await db.prisma.segmentMember.findMany({
      where: { segment: { name: 'Bargain lovers' } },
      select: { customerId: true },
    });
    expect(members.map((m) => m.customerId).sort()).toEqual(expected);

    const shown = await call('GET', '/segments/bargain%20lovers', 'viewer');
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({ name: 'Bargain lovers', size: expected.length, match: 'all' });
    expect(shown.json().words).toMatch(/price consciousness > 3\.5/i);
    const listed = await call('GET', '/segments', 'viewer');
    expect(listed.json()).toContainEqual(
      expect.objectContaining({ name: 'Bargain lovers', members: expected.length }),
    );

    expect((await call('POST', '/segments', 'admin', body)).statusCode).toBe(409);
  });

  it('saves structured rules (the model the Slack path saves) and combines conditions', async () => {
    const promoters = await db.prisma.profile.count({ where: { npsClass: 'promoter' } });
    const created = await call('POST', '/segments', 'admin', {
      name: 'Fans',
      rules: [{ field: 'npsClass', op: 'eq', value: 'promoter' }],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ size: promoters, words: 'NPS class is promoter' });
    const both = await call('POST', '/segments?dryRun=true', 'marketer', {
      name: 'Happy savers',
      where: 'promoters and price consciousness above 3.5',
    });
    const expected = await priceConscious(3.5);
    const happy = await db.prisma.profile.count({
      where: { npsClass: 'promoter', customerId: { in: expected } },
    });
    expect(both.json()).toMatchObject({
      size: happy,
      rules: [{ field: 'npsClass' }, { field: 'traits.price' }],
    });
  });

  it('redefines, renames and deletes, recomputing members', async () => {
    const redefined = await call('PUT', '/segments/Bargain%20lovers', 'marketer', {
      where: 'price consciousness above 4',
    });
    expect(redefined.statusCode).toBe(200);
    expect(redefined.json()).toMatchObject({ size: (await priceConscious(4)).length });
    expect(redefined.json().words).toMatch(/> 4$/);
    const renamed = await call('PUT', '/segments/Bargain%20lovers', 'marketer', { name: 'Deal seekers' });
    expect(renamed.json()).toMatchObject({ name: 'Deal seekers', size: (await priceConscious(4)).length });
    expect((await call('GET', '/segments/Bargain%20lovers', 'viewer')).statusCode).toBe(404);
    expect((await call('DELETE', '/segments/Deal%20seekers', 'marketer')).statusCode).toBe(204);
    expect((await call('DELETE', '/segments/Deal%20seekers', 'marketer')).statusCode).toBe(404);
    const trail = await db.prisma.auditLog.findMany({
      where: { target: { startsWith: 'segment:' }, action: { in: ['segment.update', 'segment.delete'] } },
    });
    expect(trail.map((t) => t.action).sort()).toEqual([
      'segment.delete',
      'segment.delete',
      'segment.update',
      'segment.update',
    ]);
  });

  it('refuses unreadable, unknown and malformed definitions with a clear 4xx and saves nothing', async () => {
    const before = await db.prisma.segment.count();
    const unread = await call('POST', '/segments', 'marketer', { name: 'Odd', where: 'likes the moon' });
    expect(unread.statusCode).toBe(422);
    expect(unread.json()).toMatchObject({
      code: 'SEGMENT_UNREADABLE',
      error: expect.stringContaining('likes the moon'),
    });
    const field = await call('POST', '/segments', 'marketer', {
      name: 'Odd',
      rules: [{ field: 'traits.nosuch', op: 'gt', value: 1 }],
    });
    expect(field.statusCode).toBe(422);
    expect(field.json().error).toMatch(/unknown trait "nosuch"/);
    for (const body of [
      { name: 'Odd' },
      { name: 'Odd', where: 'promoters', rules: [{ field: 'npsClass', op: 'eq', value: 'promoter' }] },
      { name: 'Odd', rules: [{ field: 'traits.price', op: 'gt', value: 'high' }] },
      { name: '<script>', where: 'promoters' },
      { name: 'Odd', where: 'promoters', id: 'x' },
    ]) {
      const response = await call('POST', '/segments', 'marketer', body);
      expect({ body, status: response.statusCode }).toEqual({ body, status: 400 });
    }
    expect(await db.prisma.segment.count()).toBe(before);
  });

  it('exports only consenting members as CSV to marketers, with their comments masked, never to viewers', async () => {
    const planted = await plantComment(
      db.prisma,
      'Fans',
      cipher.encrypt('Lovely shop, write to grace@example.com', 'Answer.text'),
    );
    const segment = await db.prisma.segment.findUniqueOrThrow({
      where: { name: 'Fans' },
      include: { members: { include: { customer: true } } },
    });
    const consented = segment.members.filter((m) => m.customer.marketingOptIn);
    expect(consented.length).toBeGreaterThan(0);
    expect(consented.length).toBeLessThan(segment.members.length);
    const exported = await call('GET', '/segments/Fans/export', 'marketer');
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toMatch(/^text\/csv/);
    expect(exported.headers['x-without-consent']).toBe(String(segment.members.length - consented.length));
    const consentedIds = consented.map((m) => m.customerId);
    // Each member's stored comments, opened and masked, are the cell (oldest first).
    const stored = await storedComments(db.prisma, consentedIds);
    const rows = expectSegmentCsv(exported.body, consentedIds, stored, (t) =>
      cipher.decrypt(t, 'Answer.text'),
    );
    const first = consented.find((m) => m.customerId === rows[0]!.customer_id)!;
    expect(rows[0]!.email).toBe(cipher.decrypt(first.customer.email!, 'Customer.email'));
    expect(rows[0]!.email).toMatch(/@/);
    expect(rows.find((r) => r.customer_id === planted)!.comments).toContain('Lovely shop, write to [EMAIL]');
    expect(rows.filter((r) => r.comments).length).toBeGreaterThan(0);
    expect(exported.body).not.toMatch(/grace@|v1:k1:/);

    const viewer = await call('GET', '/segments/Fans/export', 'viewer');
    expect(viewer.statusCode).toBe(403);
    expect(viewer.body).not.toContain('@');
    for (const [method, url, body] of [
      ['POST', '/segments', { name: 'Viewer made', where: 'promoters' }],
      ['PUT', '/segments/Fans', { description: 'changed' }],
      ['DELETE', '/segments/Fans', undefined],
    ] as const)
      expect((await call(method, url, 'viewer', body)).statusCode).toBe(403);
    expect(
      await db.prisma.segment.count({ where: { name: 'Fans', description: 'NPS class is promoter' } }),
    ).toBe(1);
    const audit = await db.prisma.auditLog.findFirstOrThrow({
      where: { action: 'segment.export' },
      orderBy: { createdAt: 'desc' },
    });
    expect(audit.detail).toMatchObject({
      rows: consented.length,
      comments: [...stored.values()].reduce((n, list) => n + list.length, 0),
    });
  });

  it('shows overlaps and the size recorded at each recomputation to every role, refusing bad queries with 400', async () => {
    const members = async (name: string) =>
      (
        await db.prisma.segmentMember.findMany({ where: { segment: { name } }, select: { customerId: true } })
      ).map((m) => m.customerId);
    const hunters = await members('bargain hunters');
    const promoters = new Set(await members('promoters'));
    const pair = await call('GET', '/segment-overlaps?segments=promoters,Bargain%20hunters', 'viewer');
    expect(pair.statusCode).toBe(200);
    expect(pair.json().overlaps).toEqual([
      expect.objectContaining({
        sizeA: expect.any(Number),
        shared: hunters.filter((id) => promoters.has(id)).length,
      }),
    ]);
    const segments = await db.prisma.segment.count();
    const every = await call('GET', '/segment-overlaps', 'viewer');
    expect(every.json().overlaps).toHaveLength((segments * (segments - 1)) / 2);
    const jaccards = (every.json().overlaps as { jaccard: number }[]).map((o) => o.jaccard);
    expect(jaccards).toEqual([...jaccards].sort((a, b) => b - a));
    expect((await call('GET', '/segment-overlaps?segments=nobody%20here', 'viewer')).statusCode).toBe(404);

    // The nightly recomputation records today's size; a day 40 days ago as one then would have.
    await new PrismaSegmentRepository(db.prisma).recompute();
    const segment = await db.prisma.segment.findUniqueOrThrow({
      where: { name: 'promoters' },
      include: { _count: { select: { members: true } } },
    });
    const today = new Date().toISOString().slice(0, 10);
    const earlier = new Date(Date.now() - 40 * 86_400_000);
    await recordSize(db.prisma, segment.id, 2, earlier);
    const from = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10);
    const sizes = await call('GET', `/segments/promoters/sizes?from=${from}`, 'viewer');
    expect(sizes.statusCode).toBe(200);
    expect(sizes.json()).toEqual({
      name: 'promoters',
      current: segment._count.members,
      from,
      to: today,
      recordedSince: earlier.toISOString().slice(0, 10),
      points: [
        { day: earlier.toISOString().slice(0, 10), size: 2 },
        { day: today, size: segment._count.members },
      ],
      change: segment._count.members - 2,
    });
    for (const url of [
      '/segments/promoters/sizes?from=last%20june',
      `/segments/promoters/sizes?from=${today}&to=2020-01-01`,
      '/segments/promoters/sizes?since=2020-01-01',
      '/segment-overlaps?segments=promoters,%3Cscript%3E',
    ]) {
      const refused = await call('GET', url, 'viewer');
      expect({ url, status: refused.statusCode }).toEqual({ url, status: 400 });
    }
    expect((await call('GET', '/segments/nobody/sizes', 'viewer')).statusCode).toBe(404);
  });

  it("manages Slack members' roles for admins only, audited with the previous role", async () => {
    const set = await call('PUT', '/roles/T9/U77', 'admin', { role: 'marketer' });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toEqual({ teamId: 'T9', userId: 'U77', role: 'marketer' });
    expect((await call('PUT', '/roles/T9/U77', 'admin', { role: 'viewer' })).statusCode).toBe(200);
    expect((await call('GET', '/roles?team=T9', 'admin')).json()).toEqual([
      { teamId: 'T9', userId: 'U77', role: 'viewer' },
    ]);
    const trail = await db.prisma.auditLog.findMany({
      where: { target: 'slack:T9:U77' },
      orderBy: { createdAt: 'asc' },
    });
    expect(trail.map((t) => [t.action, t.detail])).toEqual([
      ['role.set', expect.objectContaining({ role: 'marketer', previous: null })],
      ['role.set', expect.objectContaining({ role: 'viewer', previous: 'marketer' })],
    ]);
    for (const role of ['viewer', 'marketer'] as const)
      expect((await call('PUT', '/roles/T9/U78', role, { role: 'admin' })).statusCode).toBe(403);
    expect((await call('PUT', '/roles/T9/U77', 'admin', { role: 'owner' })).statusCode).toBe(400);
    expect((await call('PUT', '/roles/t9/<u>', 'admin', { role: 'viewer' })).statusCode).toBe(400);
    expect((await call('DELETE', '/roles/T9/U77', 'admin')).statusCode).toBe(204);
    expect((await call('DELETE', '/roles/T9/U77', 'admin')).statusCode).toBe(404);
    expect(await db.prisma.slackMember.count({ where: { teamId: 'T9' } })).toBe(0);
  });

  it('shows survey comments decrypted and PII-masked to marketers, counts only to viewers', async () => {
    const answer = await db.prisma.answer.findFirstOrThrow({
      where: { itemId: 'why', text: { not: null }, session: { instrumentId: 'nps' } },
      include: { session: true },
    });
    await db.prisma.answer.update({
      where: { id: answer.id },
      data: { text: cipher.encrypt('Great service, write to ada.lovelace@example.com', 'Answer.text') },
    });
    const stored = await db.prisma.answer.count({
      where: {
        itemId: { in: ['why', 'improve'] },
        text: { not: null },
        skipped: false,
        session: { instrumentId: 'nps' },
      },
    });
    const marketer = await call('GET', '/surveys/nps/results', 'marketer');
    expect(marketer.statusCode).toBe(200);
    const { comments, summary } = marketer.json() as {
      comments: { text: string }[];
      summary: { sessions: number };
    };
    expect(summary.sessions).toBe(await db.prisma.surveySession.count({ where: { instrumentId: 'nps' } }));
    expect(comments).toHaveLength(stored);
    expect(comments.map((c) => c.text)).toContain('Great service, write to [EMAIL]');
    expect(comments.some((c) => /^v1:|@example\.com/.test(c.text))).toBe(false);

    const viewer = await call('GET', '/surveys/nps/results', 'viewer');
    expect(viewer.statusCode).toBe(200);
    expect(viewer.json()).toMatchObject({ comments: null, summary: { sessions: summary.sessions } });
    expect(viewer.body).not.toContain('Great service');
    expect((await call('GET', '/surveys/nope/results', 'admin')).statusCode).toBe(404);

    // the respondent's own GDPR export has their words as written (their data, not masked)
    const exported = await call('GET', `/customers/${answer.session.customerId}/export`, 'admin');
    expect(exported.json()).toMatchObject({ email: expect.stringMatching(/^[^\s]+@[^\s]+$/) });
    const surveys = exported.json().surveys as { answers: { itemId: string; text: string | null }[] }[];
    expect(surveys.flatMap((s) => s.answers).map((a) => a.text)).toContain(
      'Great service, write to ada.lovelace@example.com',
    );
  });

  it("shows the newest survey comments in Slack's results to marketers (masked), not to viewers", async () => {
    const newest = await db.prisma.answer.findFirstOrThrow({
      where: {
        itemId: { in: ['why', 'improve'] },
        text: { not: null },
        skipped: false,
        session: { instrumentId: 'nps' },
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    });
    await db.prisma.answer.update({
      where: { id: newest.id },
      data: { text: cipher.encrypt('Love it, mail grace@example.com', 'Answer.text') },
    });
    const total = await db.prisma.answer.count({
      where: {
        itemId: { in: ['why', 'improve'] },
        text: { not: null },
        skipped: false,
        session: { instrumentId: 'nps' },
      },
    });
    const notUsed = () => {
      throw new Error('survey results use neither the catalog, handoffs nor charts');
    };
    const deps: MarketerAnswerDeps = {
      analytics: new PrismaMarketerAnalytics({ prisma: db.prisma }),
      insights: new PrismaMarketerInsights(db.prisma, {
        decrypt: (sealed, context) => cipher.decrypt(sealed, context),
        emailHash: (email) => lookup.email(email),
        maskPII,
      }),
      catalog: new Proxy({}, { get: notUsed }) as MarketerAnswerDeps['catalog'],
      handoffs: new Proxy({}, { get: notUsed }) as MarketerAnswerDeps['handoffs'],
      maskPII,
      renderChart: notUsed,
    };
    const question = { kind: 'survey_results', instrumentId: 'nps' } as const;
    const marketer = await answerQuestion(question, 'marketer', deps);
    const line = (marketer.lines ?? []).find((l) => l.startsWith('Comments:'));
    expect(line).toMatch(new RegExp(`^Comments: ${total}; newest: “Love it, mail \\[EMAIL\\]”`));
    expect(JSON.stringify(marketer)).not.toMatch(/grace@|v1:k1:/);
    const viewer = await answerQuestion(question, 'viewer', deps);
    expect(viewer.text).toBe(marketer.text);
    expect(JSON.stringify(viewer)).not.toMatch(/Comments:|Love it/);
  });
});
