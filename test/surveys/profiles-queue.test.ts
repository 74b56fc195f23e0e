// Survey results reach the customer's profile through the real job queue: a completed session
// queues profiles.recompute (traits with percentiles, NPS class, preferences, vector), a withdrawn
// one removes what it contributed, and rule segments follow. Run on the in-process queue over
// PGlite and on BullMQ (the machine's Redis) over PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBullmqQueue,
  createInProcessQueue,
  jobDefinitions,
  type JobQueue,
  type ProductJobs,
} from '../../jobs/index.js';
import { createUseLiteEncoder, type SentenceEncoder } from '../../nlu/index.js';
import {
  PrismaSegmentRepository,
  PrismaSurveyStore,
  seedDemoSurveys,
} from '../../prisma/repositories/index.js';
import { profilesRecomputeProcessor, segmentsRecomputeProcessor } from '../../server/job-processors.js';
import { SurveyRunner, ZRuleSegment } from '../../surveys/index.js';
import { waitFor } from '../jobs/job-queue-contract.js';
import { deleteKeys, REDIS_URL, uniquePrefix } from '../jobs/redis-support.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const quiet = { info: () => undefined };
let encoder: SentenceEncoder;
beforeAll(async () => {
  encoder = await createUseLiteEncoder();
}, 600_000);
afterAll(async () => encoder.dispose());

const setups = [
  {
    label: 'in-process queue on PGlite',
    db: 'pglite' as const,
    queue: async () => ({
      queue: createInProcessQueue({ definitions: jobDefinitions }),
      cleanup: async () => {},
    }),
  },
  {
    label: 'BullMQ on PostgreSQL',
    db: 'postgres' as const,
    queue: async () => {
      const prefix = uniquePrefix('profiles');
      const queue = await createBullmqQueue({ definitions: jobDefinitions, redisUrl: REDIS_URL, prefix });
      return { queue, cleanup: async () => void (await deleteKeys(REDIS_URL, prefix)) };
    },
  },
];

describe.each(setups)('profiles from surveys through the $label', (setup) => {
  let db: TestDatabase;
  let queue: JobQueue<ProductJobs>;
  let cleanup: () => Promise<void>;
  let runner: SurveyRunner;
  const done: Array<{ updated: number; removed: number }> = [];

  beforeAll(async () => {
    db = await createTestDatabase(setup.db);
    await seedDemoSurveys(db.prisma);
    ({ queue, cleanup } = await setup.queue());
    const recompute = profilesRecomputeProcessor(db, { encoder }, quiet);
    await queue.process({
      'profiles.recompute': async (p) => done[done.push(await recompute(p)) - 1]!,
      'segments.recompute': segmentsRecomputeProcessor(db, quiet),
    });
    runner = new SurveyRunner({
      store: new PrismaSurveyStore(db.prisma),
      onFinished: async ({ respondentId, instrumentId, status }) => {
        await queue.enqueue('profiles.recompute', {
          reason: `survey ${instrumentId} ${status}`,
          customerIds: [respondentId],
        });
      },
    });
  }, 600_000);
  afterAll(async () => {
    await queue?.close();
    await cleanup?.();
    await db?.close();
  });

  /** Takes the purchase-motivation survey agreeing `price` with every price item (1–5), 3 elsewhere. */
  async function takeSurvey(price: number): Promise<string> {
    const id = (await db.prisma.customer.create({ data: {} })).id;
    let turn = await runner.start(id, 'purchase-motivation', 'webchat');
    turn = await runner.reply(id, 'purchase-motivation', 'yes', 'webchat');
    while (turn.prompt) {
      const { itemId, kind, quickReplies } = turn.prompt;
      const answer =
        kind === 'likert'
          ? String(itemId.startsWith('pc') ? (itemId === 'pc4' ? 6 - price : price) : 3)
          : quickReplies[1]!.value;
      turn = await runner.reply(id, 'purchase-motivation', answer, 'webchat');
    }
    expect(turn.status).toBe('completed');
    return id;
  }
  const profileOf = (customerId: string) => db.prisma.profile.findUnique({ where: { customerId } });

  it('a completed survey queues the recomputation: trait scores, percentiles, preferences and the vector are stored', async () => {
    const low = await takeSurvey(2);
    await waitFor(async () => (await profileOf(low)) !== null, 30_000, 'first profile');
    const mid = await takeSurvey(3);
    const high = await takeSurvey(5);
    await waitFor(async () => (await profileOf(high)) !== null, 30_000, 'third profile');

    const p = (await profileOf(high))!;
    expect((p.traits as Record<string, number>).price).toBe(5);
    expect((p.traits as Record<string, number>).loyalty).toBe(3);
    // Ranked against the two stored before it: above both.
    expect((p.percentiles as Record<string, number>).price).toBeCloseTo(83.3, 1);
    expect(p.vector).toHaveLength(encoder.dims);
    expect(Object.keys(p.preferences as object)).toEqual(expect.arrayContaining(['categories', 'budget']));
    expect(((await profileOf(mid))!.traits as Record<string, number>).price).toBe(3);
    expect(done.every((d) => d.updated === 1)).toBe(true);
  }, 180_000);

  it('a rule segment over the profiles is saved with its members and recomputed through the queue', async () => {
    const segments = new PrismaSegmentRepository(db.prisma);
    const rule = ZRuleSegment.parse({
      name: 'bargain lovers',
      rules: [{ field: 'traits.price', op: 'gt', value: 3.5 }],
    });
    const saved = await segments.saveRule(rule);
    expect(saved.size).toBe(1);
    const later = await takeSurvey(4);
    await waitFor(async () => (await profileOf(later)) !== null, 30_000, 'fourth profile');
    // profiles.recompute re-evaluates the rule segments too.
    await waitFor(async () => (await segments.get(saved.id))!.size === 2, 30_000, 'segment follows');
    await db.prisma.segmentMember.deleteMany({ where: { segmentId: saved.id } });
    await queue.enqueue('segments.recompute', { reason: 'test', segmentIds: [saved.id] });
    await waitFor(async () => (await segments.get(saved.id))!.size === 2, 30_000, 'segments.recompute');
  }, 180_000);

  it('withdrawing the survey queues a recomputation that removes the profile it built', async () => {
    const id = await takeSurvey(4);
    await waitFor(async () => (await profileOf(id)) !== null, 30_000, 'profile');
    await runner.withdraw(id, 'purchase-motivation');
    await waitFor(async () => (await profileOf(id)) === null, 30_000, 'profile removed');
  }, 180_000);
});
