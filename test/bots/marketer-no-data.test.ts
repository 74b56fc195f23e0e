// Every marketer chart says "No data for …" instead of drawing an empty chart: the NPS/CSAT trend,
// a trait by age band or segment, and a segment's growth, answered over a real database that has
// the demo surveys and a saved segment but no answers, profiles or sizes in the period asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion, type MarketerAnswerDeps } from '../../bots/index.js';
import { maskPII } from '../../nlu/index.js';
import {
  PrismaMarketerAnalytics,
  PrismaMarketerInsights,
  PrismaSegmentRepository,
  seedDemoSurveys,
} from '../../prisma/repositories/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let db: TestDatabase;
let deps: MarketerAnswerDeps;
const drawn: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase('pglite');
  await seedDemoSurveys(db.prisma);
  await new PrismaSegmentRepository(db.prisma).saveRule({
    name: 'promoters',
    description: '',
    match: 'all',
    rules: [{ field: 'npsClass', op: 'eq', value: 'promoter' }],
  });
  const notUsed = () => {
    throw new Error('charts without data use neither the catalog nor handoffs');
  };
  deps = {
    analytics: new PrismaMarketerAnalytics({ prisma: db.prisma }),
    insights: new PrismaMarketerInsights(db.prisma, { decrypt: (s) => s, emailHash: (e) => e, maskPII }),
    catalog: new Proxy({}, { get: notUsed }) as MarketerAnswerDeps['catalog'],
    handoffs: new Proxy({}, { get: notUsed }) as MarketerAnswerDeps['handoffs'],
    maskPII,
    renderChart: async (data) => {
      drawn.push(data.title);
      return new Uint8Array();
    },
  };
}, 300_000);
afterAll(async () => db?.close());

const year2019 = {
  from: new Date(Date.UTC(2019, 0, 1)),
  to: new Date(Date.UTC(2020, 0, 1)),
  label: '2019',
};

describe('charts with no data', () => {
  it('say "No data for <period>" and draw nothing', async () => {
    const trend = await answerQuestion({ kind: 'trend', metric: 'nps', period: year2019 }, 'viewer', deps);
    expect(trend.text).toBe('No data for 2019: no NPS answers (all customers).');
    const csat = await answerQuestion(
      { kind: 'trend', metric: 'csat', period: year2019, segment: 'promoters' },
      'viewer',
      deps,
    );
    expect(csat.text).toBe('No data for 2019: no CSAT % satisfied answers (segment promoters).');
    for (const by of ['ageBand', 'segment'] as const) {
      const trait = await answerQuestion({ kind: 'trait_by', trait: 'intellect', by }, 'viewer', deps);
      expect(trait.text).toMatch(/^No data: no stored profile has a .+ score yet \(all time\)\.$/);
    }
    const growth = await answerQuestion(
      { kind: 'segment_growth', name: 'promoters', period: year2019 },
      'viewer',
      deps,
    );
    expect(growth.text).toMatch(
      /^No data for 2019: no size of \*promoters\* recorded then \(sizes are recorded once a day when segments are recomputed, since \d+ \w+ \d{4}\)\. It has 0 customers now\.$/,
    );
    expect(drawn).toEqual([]);
  });
});
