// Hot reload across processes: a real server process (`server/main.ts`) and this test process share
// one DATA_DIR, PostgreSQL database and private Redis. This process plays the worker: it runs the
// real nlu.retrain processor (a reviewed example, the gated swap, the announcement on the Redis
// version bus), then rolls back the way `mkt nlu rollback` does. The server, never restarted,
// serves each new version: its /metrics gauge says so, and a chat message it analyses is stored
// with exactly the intent and confidence the live version gives that sentence (the two versions
// read it differently), before the swap, after it and after the rollback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVersionBus, type VersionBus } from '../../jobs/index.js';
import { ModelRegistry, type DiskCachedEncoder } from '../../nlu/index.js';
import { intentRegistryDir, modelVersionTag } from '../../server/intent-models.js';
import { seedIntentExamples } from '../../server/intent-seed.js';
import { nluRetrainProcessor, type DomainRetrain } from '../../server/nlu-retrain.js';
import { PrivateRedis } from '../jobs/redis-support.js';
import { cachedUseLite } from '../nlu/intent-fixtures.js';
import { prepareServerGround, type ServerGround } from '../support/server-ground.js';
import { ChildServer } from '../support/server-process.js';
import { DirectLineConversation, HttpClient } from './directline-client.js';

// A sentence and the label a reviewer gave it: the retrained version learns it.
const SENTENCE = 'the courier left my box with a neighbour I have never met';
const REVIEWED = [
  { text: SENTENCE, intent: 'order_status' },
  { text: 'my package was handed to someone down the street', intent: 'order_status' },
];
const logger = { info: () => {} };

let ground: ServerGround;
let redis: PrivateRedis;
let server: ChildServer;
let encoder: DiskCachedEncoder;
let bus: VersionBus;

beforeAll(async () => {
  ground = await prepareServerGround('nlu-hot-reload');
  redis = await PrivateRedis.start();
  server = await ChildServer.start({
    env: { DATABASE_URL: ground.databaseUrl, REDIS_URL: redis.url, DATA_DIR: ground.dataDir },
  });
  encoder = await cachedUseLite();
  bus = await createVersionBus({ redisUrl: redis.url });
}, 900_000);

afterAll(async () => {
  await server?.stop();
  await bus?.close();
  await encoder?.dispose();
  await redis?.destroy();
  await ground?.close();
});

/** The customer model version the server reports on /metrics. */
async function servedVersion(): Promise<number | null> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const match = /^mkt_nlu_model_version\{domain="customer"\} (\d+)$/m.exec(text);
  return match ? Number(match[1]) : null;
}

// Generous: an announcement missed for any reason is still caught by the server's 30 s poll.
async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 90_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Sends SENTENCE through Direct Line and returns how the server read it (stored with the message). */
async function serverReading(): Promise<{ intent: string | null; confidence: number | null }> {
  const chat = new DirectLineConversation(new HttpClient(server.url), `hot-reload-${Date.now()}`);
  await chat.open();
  const activityId = await chat.say(SENTENCE);
  const db = await ground.database();
  const row = await until(
    () =>
      db.prisma.message.findFirst({
        where: { direction: 'user', activityId },
        select: { intent: true, confidence: true },
      }),
    (r) => r !== null,
  );
  if (!row) throw new Error('the server stored no user message');
  return row;
}

describe('a second process follows model swaps without a restart', () => {
  it('serves the retrained version, then the rolled-back one', async () => {
    const pid = server.pid;
    expect(await servedVersion()).toBe(1);
    const read1 = await serverReading();
    const root = intentRegistryDir(ground.dataDir, 'customer');
    const registry = new ModelRegistry({ root, encoder });
    await registry.start();
    const v1 = registry.current();

    const retrain = nluRetrainProcessor({
      dataDir: ground.dataDir,
      encoder,
      seedExamples: seedIntentExamples,
      // The gate scores both versions on the reviewed examples (the retrained one learnt them).
      fixedValidation: async () => [],
      reviewedExamples: async (domain) => (domain === 'customer' ? REVIEWED : []),
      versions: bus,
      logger,
    });
    const { domains } = await retrain({ reason: 'hot reload test', domain: 'customer' });
    const result = domains[0] as DomainRetrain;
    expect(result).toMatchObject({ domain: 'customer', version: 2, swapped: true });

    expect(await until(servedVersion, (v) => v === 2)).toBe(2);
    await registry.refresh();
    const v2 = registry.current();
    // The two versions read the sentence differently, so the server's reading tells them apart.
    const [before, after] = [await v1.process(SENTENCE), await v2.process(SENTENCE)];
    expect(Math.abs(before.confidence - after.confidence)).toBeGreaterThan(1e-4);
    const read2 = await serverReading();
    expect(Math.abs(read2.confidence! - read1.confidence!)).toBeGreaterThan(1e-4);
    expect(read2.intent).toBe(after.intent);
    expect(read2.confidence).toBeCloseTo(after.confidence, 5);

    // Rolled back here, announced the way `mkt nlu rollback` announces it.
    expect(await registry.rollback()).toEqual({ from: 2, to: 1 });
    await bus.publish('nlu.model', modelVersionTag('customer', 1));
    expect(await until(servedVersion, (v) => v === 1)).toBe(1);
    const again = await serverReading();
    expect(again.intent).toBe(read1.intent);
    expect(again.confidence).toBeCloseTo(read1.confidence!, 6);
    expect(again.confidence).toBeCloseTo(before.confidence, 5);
    expect(server.pid).toBe(pid);
    await registry.stop();
  }, 900_000);
});
