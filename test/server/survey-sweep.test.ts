// The surveys.sweep-abandoned job: survey sessions idle for longer than SURVEY_ABANDON_HOURS are
// marked abandoned (so completion reports count them), and a respondent who returns resumes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessQueue, jobDefinitions, scheduleDaily } from '../../jobs/index.js';
import { surveySweepProcessor } from '../../server/job-processors.js';
import { SurveyRunner } from '../../surveys/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { waitFor } from '../jobs/job-queue-contract.js';
import { PrismaSurveyStore, seedDemoSurveys } from '../../prisma/repositories/index.js';

const HOUR = 3_600_000;
const quiet = { info: () => undefined };

describe.each(['pglite', 'postgres'] as const)('survey abandonment sweep on %s', (kind) => {
  let db: TestDatabase;
  let runner: SurveyRunner;
  let store: PrismaSurveyStore;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await seedDemoSurveys(db.prisma);
    store = new PrismaSurveyStore(db.prisma);
    runner = new SurveyRunner({ store });
  });
  afterAll(async () => {
    await db?.close();
  });

  async function respondentIdleFor(hours: number): Promise<string> {
    const id = (await db.prisma.customer.create({ data: {} })).id;
    await runner.start(id, 'nps', 'webchat');
    const since = new Date(Date.now() - hours * HOUR);
    await db.prisma.$executeRaw`UPDATE "SurveySession" SET "updatedAt" = ${since} WHERE "customerId" = ${id}`;
    return id;
  }
  const statusOf = async (respondent: string) => (await store.findSession(respondent, 'nps'))!.status;

  it('marks sessions idle beyond the limit, leaves recent ones, counts only what it changed, and the respondent resumes', async () => {
    const idle = await respondentIdleFor(30);
    const recent = await respondentIdleFor(2);
    const sweep = surveySweepProcessor(db, 24, quiet);

    expect(await sweep({})).toEqual({ idleHours: 24, marked: 1 });
    expect(await statusOf(idle)).toBe('abandoned');
    expect(await statusOf(recent)).toBe('active');
    expect(await sweep({})).toEqual({ idleHours: 24, marked: 0 });

    // The payload overrides the configured limit (a one-off sweep).
    expect((await sweep({ idleHours: 1 })).marked).toBe(1);
    expect(await statusOf(recent)).toBe('abandoned');

    // Coming back after the sweep resumes the survey where it was.
    const turn = await runner.reply(idle, 'nps', '9', 'webchat');
    expect(turn.status).not.toBe('abandoned');
    expect(await statusOf(idle)).not.toBe('abandoned');
    expect((await store.findSession(idle, 'nps'))!.meta.abandonments).toBe(1);
  });

  it('runs as a daily job through the queue', async () => {
    const idle = await respondentIdleFor(48);
    const results: Array<{ marked: number }> = [];
    const sweep = surveySweepProcessor(db, 24, quiet);
    const queue = createInProcessQueue({ definitions: jobDefinitions });
    await queue.process({
      'surveys.sweep-abandoned': async (p) => results[results.push(await sweep(p)) - 1]!,
    });
    const schedule = scheduleDaily(queue, 'surveys.sweep-abandoned', {});
    await waitFor(() => results.length === 1, 30_000, 'sweep job');
    schedule.stop();
    await queue.close();
    expect(results[0]!.marked).toBeGreaterThanOrEqual(1);
    expect(await statusOf(idle)).toBe('abandoned');
  });
});
