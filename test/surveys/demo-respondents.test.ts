// The simulated demo respondents: deterministic, spread over six months with age bands, NPS/CSAT
// comments and abandoned sessions; stored marked demo (personal fields sealed) and removed with one
// call, after which the start-up seed stays away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_SEGMENTS,
  removeDemoRespondents,
  seedDemoRespondents,
} from '../../prisma/repositories/index.js';
import { AGE_BANDS, generateDemoRespondents, loadShippedInstruments } from '../../surveys/index.js';
import { seedDemoSurveys } from '../../prisma/repositories/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const now = new Date('2026-12-04T10:00:00Z');
const opts = { count: 300, seed: 2026, now, categories: ['Footwear', 'Coffee & Kitchen'] };

describe('demo respondents (pure)', () => {
  const people = generateDemoRespondents(loadShippedInstruments(), opts);

  it('are the same for the same seed and day', () => {
    expect(generateDemoRespondents(loadShippedInstruments(), opts)).toEqual(people);
    expect(generateDemoRespondents(loadShippedInstruments(), { ...opts, seed: 7 })).not.toEqual(people);
  });

  it('date nothing after now, whatever the hour of the day', () => {
    const early = new Date('2026-12-04T00:30:00Z');
    for (const p of generateDemoRespondents(loadShippedInstruments(), { ...opts, now: early })) {
      const dates = [
        ...p.sessions.flatMap((s) => [s.startedAt, s.completedAt, ...s.answers.map((a) => a.createdAt)]),
        ...p.conversations.flatMap((c) => [c.startedAt, ...c.messages.map((m) => m.at)]),
        ...p.orders.map((o) => o.placedAt),
      ].filter((d): d is Date => d !== null);
      for (const d of dates) expect(d.getTime(), p.ref).toBeLessThanOrEqual(early.getTime());
    }
  });

  it('cover every age band, six months of sessions, comments, and abandoned sessions', () => {
    expect(new Set(people.map((p) => p.ageBand))).toEqual(new Set(AGE_BANDS));
    const sessions = people.flatMap((p) => p.sessions);
    const days = sessions.map((s) => (now.getTime() - s.startedAt.getTime()) / 86_400_000);
    expect(Math.max(...days)).toBeGreaterThan(150);
    expect(Math.min(...days)).toBeLessThan(10);
    expect(sessions.filter((s) => s.instrumentId === 'nps').length).toBeGreaterThan(200);
    expect(sessions.some((s) => s.status === 'abandoned')).toBe(true);
    expect(sessions.flatMap((s) => s.answers).filter((a) => a.text).length).toBeGreaterThan(50);
  });
});

describe('demo respondents in the database', () => {
  let db: TestDatabase;
  const sealing = {
    encrypt: (s: string, context: string) => `sealed(${context}):${s}`,
    emailHash: (e: string) => `h:${e}`,
  };
  beforeAll(async () => {
    db = await createTestDatabase('pglite');
    await seedDemoSurveys(db.prisma);
  }, 300_000);
  afterAll(async () => db?.close());

  it('are stored marked demo with sealed personal fields, once, and removed for good with one call', async () => {
    const seeded = await seedDemoRespondents(db.prisma, sealing, { count: 60, now });
    expect(seeded).toMatchObject({ skipped: null, customers: 60, segments: DEMO_SEGMENTS.length });
    const c = await db.prisma.customer.findFirstOrThrow({ where: { demo: true } });
    expect(c.email).toMatch(/^sealed\(Customer\.email\):/);
    expect(c.ageBand).toMatch(/^\d{2}(-\d{2}|\+)$/);
    expect(
      await db.prisma.answer.count({ where: { text: { startsWith: 'sealed(Answer.text):' } } }),
    ).toBeGreaterThan(5);
    expect((await seedDemoRespondents(db.prisma, sealing, { count: 60, now })).skipped).toBe('present');

    expect(await removeDemoRespondents(db.prisma, 'test')).toEqual({
      customers: 60,
      segments: DEMO_SEGMENTS.length,
    });
    expect(await db.prisma.customer.count({ where: { demo: true } })).toBe(0);
    expect(await db.prisma.surveySession.count()).toBe(0);
    expect((await seedDemoRespondents(db.prisma, sealing, { count: 60, now })).skipped).toBe('removed');
  });
});
