// Every declared job has a processor in the product, and each runs through the real queue (BullMQ
// on Redis) against a real database with the demo data: the job completes with a real result.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBullmqQueue,
  createInProcessQueue,
  createVersionBus,
  jobDefinitions,
  type JobEvent,
  type JobName,
  type JobQueue,
  type ProcessorMap,
  type ProductJobs,
  type VersionBus,
} from '../../jobs/index.js';
import { createJobProcessors } from '../../server/job-processors.js';
import { scheduleNightlyJobs } from '../../server/nightly-jobs.js';
import { createReviewService } from '../../server/review/index.js';
import { loadConfig, openPlatform, seedDemoData, type Platform } from '../../server/index.js';
import { deleteKeys, REDIS_URL, uniquePrefix } from './redis-support.js';

// Every definition must have a processor (slack.notify's is server/handoff/notify-processor.ts,
// run against the local Slack Web API stand-in in test/jobs/slack-notify.test.ts).
const PROCESSOR_ELSEWHERE: readonly JobName[] = [];

const prefix = uniquePrefix('contract');
const dataDir = mkdtempSync(join(tmpdir(), 'mkt-contract-'));
let platform: Platform;
let versions: VersionBus;
let queue: JobQueue<ProductJobs>;
let processors: ProcessorMap<ProductJobs>;
let recording: ProcessorMap<ProductJobs>;
const results = new Map<string, unknown>();
const events: JobEvent[] = [];

beforeAll(async () => {
  const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent', REDIS_URL });
  platform = await openPlatform({ role: 'contract test', config });
  await seedDemoData(platform);
  versions = await createVersionBus({ redisUrl: REDIS_URL, prefix, logger: platform.logger });
  processors = createJobProcessors({
    config,
    db: platform.db,
    logger: platform.logger,
    versions,
    recsys: await platform.recsys(),
    encoder: await platform.encoder(),
    cipher: platform.security().cipher,
    review: createReviewService({ prisma: platform.db.prisma, cipher: platform.security().cipher }).service,
    // the queue below (built after the processors it runs)
    jobs: { enqueue: (name, payload, options) => queue.enqueue(name, payload, options) },
  });
  queue = await createBullmqQueue({ definitions: jobDefinitions, redisUrl: REDIS_URL, prefix });
  queue.on((event) => events.push(event));
  // The real processors, wrapped only to keep what each returned.
  recording = {};
  for (const [name, processor] of Object.entries(processors) as Array<
    [JobName, (p: unknown, c: never) => Promise<unknown>]
  >)
    (recording as Record<string, unknown>)[name] = async (payload: unknown, context: never) => {
      const result = await processor(payload, context);
      results.set(name, result);
      return result;
    };
  await queue.process(recording);
}, 600_000);

afterAll(async () => {
  await queue?.close({ timeoutMs: 5_000 });
  await versions?.close();
  await platform?.close();
  await deleteKeys(REDIS_URL, prefix);
  rmSync(dataDir, { recursive: true, force: true });
});

async function run(name: JobName, payload: unknown): Promise<unknown> {
  const { id } = await queue.enqueue(name as 'retention.purge', payload as never);
  return finished(events, id, name);
}

/** Waits until job `id` has finished in `seen` and returns what its processor returned. */
async function finished(seen: JobEvent[], id: string, name: JobName): Promise<unknown> {
  for (let i = 0; i < 1_200; i++) {
    const done = seen.find((e) => e.id === id && (e.type === 'completed' || e.type === 'failed'));
    if (done?.type === 'failed') throw new Error(`${id} failed: ${String(done.error)}`);
    if (done) return results.get(name);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${id} did not finish in 120 s`);
}

describe('job processors', () => {
  it('every job definition has a processor in the product', () => {
    const missing = Object.keys(jobDefinitions).filter((name) => !processors[name as JobName]);
    expect(missing.filter((name) => !PROCESSOR_ELSEWHERE.includes(name as JobName))).toEqual([]);
    // No processor for a name that is not declared (the queue would refuse it anyway).
    expect(Object.keys(processors).filter((name) => !(name in jobDefinitions))).toEqual([]);
  });

  it('report.render writes the survey results where its result says', async () => {
    const instrument = (await platform.db.prisma.instrument.findFirst({
      where: { sessions: { some: { status: 'completed' } } },
      select: { id: true },
    }))!.id;
    const rendered = (await run('report.render', {
      report: 'survey',
      format: 'csv',
      params: { instrument },
    })) as { file: string; sessions: number; completed: number; bytes: number };
    expect(rendered.file.startsWith(join(dataDir, 'reports'))).toBe(true);
    expect(existsSync(rendered.file)).toBe(true);
    const lines = readFileSync(rendered.file, 'utf8').trim().split('\n');
    // a header, then one row per session of the instrument
    expect(lines.length - 1).toBe(rendered.sessions);
    expect(rendered.completed).toBeGreaterThan(0);
  }, 180_000);

  it('the data jobs complete through the queue with their results', async () => {
    const retention = (await run('retention.purge', { retentionDays: 36_500 })) as Record<string, number>;
    expect(retention).toBeTypeOf('object');
    const sweep = (await run('surveys.sweep-abandoned', { idleHours: 8_760 })) as { idleHours: number };
    expect(sweep.idleHours).toBe(8_760);
    const segments = (await run('segments.recompute', { reason: 'contract test' })) as {
      segments: Array<{ name: string; size: number }>;
    };
    const stored = await platform.db.prisma.segment.count({ where: { kind: 'rules' } });
    expect(segments.segments.length).toBe(stored);
    // Customers with a finished trait questionnaire: a CSAT-only respondent has no profile to
    // keep (it is removed, not updated), and without an order the database picks either kind.
    const demo = await platform.db.prisma.customer.findMany({
      where: {
        demo: true,
        sessions: {
          some: { status: 'completed', instrumentId: { in: ['mini-ipip-20', 'purchase-motivation'] } },
        },
      },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: 3,
    });
    expect(demo).toHaveLength(3);
    const profiles = (await run('profiles.recompute', {
      reason: 'contract test',
      customerIds: demo.map((c) => c.id),
    })) as { updated: number };
    expect(profiles.updated).toBe(demo.length);
    const catalogVersion = (await platform.db.prisma.catalogState.findFirst())?.version ?? 0;
    // The index the platform's recsys loaded at start is already in step with the catalog.
    const reindex = await run('catalog.reindex', { reason: 'contract test', catalogVersion, productIds: [] });
    expect(reindex).toEqual({ upserted: 0, removed: 0 });
    const orders = await platform.db.prisma.order.count();
    const mined = (await run('rules.mine', { reason: 'contract test' })) as {
      baskets: number;
      rules: number;
    };
    expect(mined.baskets).toBe(orders);
    expect(mined.rules).toBeGreaterThan(0);
  }, 300_000);

  it('the nightly schedule queues rules.mine with a dated id; it completes through BullMQ and in-process', async () => {
    const orders = await platform.db.prisma.order.count();
    const now = () => new Date('2031-01-02T03:00:00Z');
    const local = createInProcessQueue({ definitions: jobDefinitions });
    const localEvents: JobEvent[] = [];
    local.on((event) => localEvents.push(event));
    await local.process(recording);
    try {
      for (const [q, seen] of [
        [queue, events],
        [local, localEvents],
      ] as const) {
        const nightly = scheduleNightlyJobs(q, platform.logger, { now });
        try {
          const mined = (await finished(seen, 'rules.mine/rules.mine-2031-01-02', 'rules.mine')) as {
            baskets: number;
          };
          expect(mined.baskets, q.kind).toBe(orders);
        } finally {
          nightly.stop();
        }
      }
    } finally {
      await local.close({ timeoutMs: 120_000 });
    }
  }, 300_000);
});
