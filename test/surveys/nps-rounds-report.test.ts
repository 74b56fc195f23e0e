import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaMarketerAnalytics, PrismaSurveyStore, seedDemoSurveys } from '../../prisma/repositories/index.js';
import { SurveyRunner } from '../../surveys/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

// NPS is asked again every SURVEY_REPEAT_DAYS; the marketer's NPS counts each customer's latest
// answer in the period once, so a customer who answered twice does not weigh double.
describe('NPS over repeated rounds', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('pglite');
    await seedDemoSurveys(db.prisma);
  });
  afterAll(async () => db.close());

  it('counts the latest answer per customer in the period', async () => {
    let now = new Date();
    const runner = new SurveyRunner({
      store: new PrismaSurveyStore(db.prisma),
      repeatAfterDays: 0,
      now: () => now,
    });
    const answer = async (customerId: string, score: string) => {
      await runner.start(customerId, 'nps', 'webchat');
      let turn = await runner.reply(customerId, 'nps', score, 'webchat');
      // the follow-up questions (detractors get one more) are skipped
      while (turn.status !== 'completed') turn = await runner.reply(customerId, 'nps', 'pass', 'webchat');
    };
    const repeat = (await db.prisma.customer.create({ data: {} })).id;
    const other = (await db.prisma.customer.create({ data: {} })).id;
    await answer(repeat, '2'); // detractor first …
    now = new Date(now.getTime() + 1000);
    await answer(repeat, '10'); // … a promoter in the next round
    await answer(other, '9');
    const rounds = await db.prisma.surveySession.findMany({ where: { customerId: repeat, instrumentId: 'nps' } });
    expect(rounds.map((s) => s.round).sort()).toEqual([1, 2]);

    const analytics = new PrismaMarketerAnalytics({ prisma: db.prisma });
    const period = { from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 86_400_000), label: 'today' };
    const figure = await analytics.nps(period);
    // two customers, both promoters now: NPS 100 from n = 2 (counting every answer: n = 3, NPS 33)
    expect([figure.n, Math.round(figure.nps)]).toEqual([2, 100]);
  });
});
