// What a server queues at start for demo respondents without a profile (server/seed.ts): the job
// names exactly those customers, so a restart recomputes the few whose answers make no profile
// instead of every respondent, and after the job only those few are named again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAIN_SEALING } from '../support/demo-profiles.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { seedDemoRespondents, seedDemoSurveys } from '../../prisma/repositories/index.js';
import { profilesRecomputeProcessor } from '../../server/job-processors.js';
import { queueDemoProfiles } from '../../server/seed.js';

type Queued = { payload: { reason: string; customerIds?: string[] }; jobId?: string };

/** Runs queueDemoProfiles against a recorder of what it enqueues. */
async function queued(db: TestDatabase): Promise<Queued[]> {
  const jobs: Queued[] = [];
  await queueDemoProfiles(db, {
    enqueue: async (_name, payload, options) => jobs.push({ payload, jobId: options?.jobId }),
  });
  return jobs;
}

/** Demo customers with a completed survey session and no profile, read straight from the rows. */
async function withoutProfile(db: TestDatabase): Promise<string[]> {
  const sessions = await db.prisma.surveySession.findMany({
    where: { status: 'completed', customer: { demo: true } },
    select: { customerId: true },
  });
  const profiled = new Set(
    (await db.prisma.profile.findMany({ select: { customerId: true } })).map((p) => p.customerId),
  );
  return [...new Set(sessions.map((s) => s.customerId))].filter((id) => !profiled.has(id)).sort();
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('pglite');
  await seedDemoSurveys(db.prisma);
  await seedDemoRespondents(db.prisma, PLAIN_SEALING, { count: 60 });
}, 120_000);
afterAll(async () => db?.close());

describe('demo profiles queued at start', () => {
  it('names the respondents without a profile, and after the job only those it left without one', async () => {
    const before = await withoutProfile(db);
    expect(before.length).toBeGreaterThan(0);
    const first = await queued(db);
    expect(first).toHaveLength(1);
    expect(first[0]!.jobId).toBe('demo-profiles');
    expect([...first[0]!.payload.customerIds!].sort()).toEqual(before);

    const recompute = profilesRecomputeProcessor(db, {}, { info: () => undefined });
    const result = await recompute(first[0]!.payload);
    expect(result.updated).toBeGreaterThan(0);

    const after = await withoutProfile(db);
    expect(after.length).toBe(before.length - result.updated);
    const again = await queued(db);
    if (after.length === 0) expect(again).toEqual([]);
    else expect([...again[0]!.payload.customerIds!].sort()).toEqual(after);
  });
});
