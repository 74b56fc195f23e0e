import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBullmqQueue,
  createRedisVersionBus,
  jobDefinitions,
  type JobQueue,
  type ProductJobs,
  type VersionBus,
} from '../../jobs/index.js';
import type { DiskCachedEncoder, IntentExample } from '../../nlu/index.js';
import {
  startServedIntentModels,
  type IntentDomain,
  type ServedIntentModels,
} from '../../server/intent-models.js';
import { nluRetrainProcessor, type DomainRetrain } from '../../server/nlu-retrain.js';
import { deleteKeys, REDIS_URL, uniquePrefix } from '../jobs/redis-support.js';
import { bankingSubset, cachedUseLite, take } from '../nlu/intent-fixtures.js';

// nlu.retrain through the real BullMQ queue on Redis, announcing on the Redis version bus; the
// served models of a "server" (its own bus connection) follow the announcements.
const logger = pino({ level: 'silent' });
let encoder: DiskCachedEncoder;
let dataDir: string;
let prefix: string;
let queue: JobQueue<ProductJobs>;
let workerBus: VersionBus;
let serverBus: VersionBus;
let served: ServedIntentModels;
const results: Array<{ domains: Array<DomainRetrain | { unchanged: true }> }> = [];
const reports: string[] = [];

const { train, test, inScope } = bankingSubset();
const intents = inScope.slice(0, 6);
const fullSeed = take(train, intents, 12);
// The marketer domain gets a tiny seed of its own; the tests retrain only the customer domain.
const marketerSeed = take(train, inScope.slice(6, 9), 6);
const fixed = take(test, intents, 6);
let seed: IntentExample[] = take(train, intents, 4);
let reviewed: IntentExample[] = [];

beforeAll(async () => {
  encoder = await cachedUseLite();
  dataDir = await mkdtemp(join(tmpdir(), 'nlu-retrain-'));
  prefix = uniquePrefix('nlu-retrain');
  const seedOf = async (d: IntentDomain) => (d === 'customer' ? seed : marketerSeed);
  serverBus = await createRedisVersionBus({ redisUrl: REDIS_URL, prefix });
  served = await startServedIntentModels({
    dataDir,
    encoder,
    logger,
    seedExamples: seedOf,
    versions: serverBus,
    pollMs: 0,
  });
  workerBus = await createRedisVersionBus({ redisUrl: REDIS_URL, prefix });
  queue = await createBullmqQueue({ definitions: jobDefinitions, redisUrl: REDIS_URL, prefix });
  const processor = nluRetrainProcessor({
    dataDir,
    encoder,
    seedExamples: seedOf,
    fixedValidation: async () => fixed,
    reviewedExamples: async (d) => (d === 'customer' ? reviewed : []),
    versions: workerBus,
    logger,
    report: async (text) => void reports.push(text),
  });
  await queue.process({
    'nlu.retrain': async (payload) => {
      const result = await processor(payload);
      results.push(result);
      return result;
    },
  });
}, 300_000);

afterAll(async () => {
  await queue?.close();
  await served?.stop();
  await workerBus?.close();
  await serverBus?.close();
  await encoder?.flush();
  await encoder?.dispose();
  if (prefix) await deleteKeys(REDIS_URL, prefix);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Enqueues a retrain and waits until the queue reports it completed. */
async function retrain(reason: string): Promise<(typeof results)[number]> {
  const before = results.length;
  const done = new Promise<void>((resolve, reject) => {
    const off = queue.on((e) => {
      if (e.name !== 'nlu.retrain') return;
      if (e.type === 'completed') {
        off();
        resolve();
      } else if (e.type === 'failed') {
        off();
        reject(new Error(`retrain failed: ${JSON.stringify(e)}`));
      }
    });
  });
  await queue.enqueue('nlu.retrain', { reason, requestedBy: 'test', domain: 'customer' });
  await done;
  expect(results.length).toBe(before + 1);
  return results[results.length - 1]!;
}

// generous: a loaded CI machine reloads a model in seconds; a met condition ends the wait at once
async function until(check: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('nlu.retrain through BullMQ, the registry and the version bus', () => {
  it('served models start at v1 (trained on the seed) for both domains', () => {
    expect(served.registries.customer.activeVersion).toBe(1);
    expect(served.registries.marketer.activeVersion).toBe(1);
  });

  it('reviewed examples that add knowledge: the candidate is not worse, swapped in, and the server reloads it', async () => {
    reviewed = fullSeed.filter((e) => !seed.some((s) => s.text === e.text));
    const { domains } = await retrain('reviewed examples');
    const r = domains[0] as DomainRetrain;
    expect(r).toMatchObject({ domain: 'customer', version: 2, swapped: true, previousVersion: 1 });
    expect(r.scoredOn).toBe('validation set');
    expect(r.validationRows).toBe(fixed.length + reviewed.length);
    expect(r.score).toBeGreaterThanOrEqual(r.previousScore!);
    // The announcement reaches the server's own registry instance through Redis.
    await until(() => served.registries.customer.activeVersion === 2);
    expect(reports.at(-1)).toMatch(/customer: v2 is live/);
  });

  it('the same data again trains nothing', async () => {
    const { domains } = await retrain('nightly');
    expect(domains[0]).toMatchObject({ domain: 'customer', unchanged: true, activeVersion: 2 });
  });

  it('a worse candidate (the seed shrank, nothing reviewed) is kept out; rollback restores v1', async () => {
    seed = take(train, intents, 2);
    reviewed = [];
    const { domains } = await retrain('seed changed');
    const r = domains[0] as DomainRetrain;
    expect(r).toMatchObject({ version: 3, swapped: false, previousVersion: 2 });
    expect(r.score).toBeLessThan(r.previousScore!);
    expect(reports.at(-1)).toMatch(/kept v2/);
    expect(served.registries.customer.activeVersion).toBe(2);
    expect(await served.registries.customer.rollback()).toEqual({ from: 2, to: 1 });
    expect((await served.models.customer.process(fixed[0]!.text)).ranking.length).toBeGreaterThan(0);
  });
});
