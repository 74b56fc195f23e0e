// Redis outage: the real server child process with REDIS_URL pointing at a private redis-server
// this test starts on its own port (the machine's Redis is never touched). Redis is stopped while
// products change through the admin API (each change queues a catalog.reindex job) and shoppers
// keep chatting: chat keeps answering, the changes are accepted (buffered), and once Redis is back
// every queued change is applied exactly once — each job id completed, started once, none failed —
// and the new products are found in the chat.
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../prisma/index.js';
import { createApiKeyStore } from '../../server/security/index.js';
import { PrivateRedis } from '../jobs/redis-support.js';
import { prepareServerGround, type ServerGround } from '../support/server-ground.js';
import { ChildServer } from '../support/server-process.js';
import { DirectLineConversation, HttpClient, loopbackAddress } from './directline-client.js';

let ground: ServerGround;
let redis: PrivateRedis;
let server: ChildServer;
let db: Database;
let adminKey: string;
let http: HttpClient;

beforeAll(async () => {
  ground = await prepareServerGround('redis-outage');
  redis = await PrivateRedis.start();
  server = await ChildServer.start({
    env: { DATABASE_URL: ground.databaseUrl, REDIS_URL: redis.url, DATA_DIR: ground.dataDir },
  });
  db = await ground.database();
  adminKey = (await createApiKeyStore(db.prisma).create('redis outage test', 'marketer')).key;
  http = new HttpClient(server.url, loopbackAddress(3));
}, 400_000);

afterAll(async () => {
  http?.close();
  await server?.stop();
  await redis?.destroy();
  await ground?.close();
});

const NAMES = ['Zephyrine', 'Quokkalite', 'Marbleback', 'Tundrafox', 'Glimmerpeak', 'Brackenwold'];

async function upsertProduct(i: number): Promise<{ status: number; reindexJob: string | null }> {
  const sku = `NW-OUTAGE-${String(i).padStart(3, '0')}`;
  const res = await http.send('PUT', `/api/admin/v1/products/${sku}`, {
    headers: { 'x-api-key': adminKey, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: `${NAMES[i % NAMES.length]} ${i} expedition parka`,
      description: `A ${NAMES[i % NAMES.length]} parka for the outage test.`,
      category: 'jackets',
      price: 90 + i,
      stock: 5,
      tags: ['outage-test'],
    }),
    // generous: on a loaded machine a request waits for CPU, not only for the database
    timeoutMs: 60_000,
  });
  if (res.status !== 200) return { status: res.status, reindexJob: null };
  return { status: res.status, reindexJob: res.json<{ reindexJob: string | null }>().reindexJob };
}

async function chat(c: DirectLineConversation, text: string): Promise<string> {
  const from = c.botMessages().length;
  // The post answers once the turn is over: under load that takes seconds, outage or not.
  const id = await c.say(text, 60_000);
  const reply = await c.waitForBot((a) => a.replyToId === id && !!a.text, from, 60_000);
  return JSON.stringify(reply);
}

describe('Redis outage', () => {
  it('keeps chat answering and applies every change queued during the outage exactly once', async () => {
    const shoppers = await Promise.all(
      [0, 1, 2].map(async (i) => {
        const c = new DirectLineConversation(
          new HttpClient(server.url, loopbackAddress(40 + i)),
          `dl_redis_${i}_shopper`,
        );
        await c.open();
        return c;
      }),
    );
    const before = await upsertProduct(0);
    expect(before.status).toBe(200);
    expect(before.reindexJob).toMatch(/^catalog\.reindex\/catalog-v\d+$/);

    await redis.stop();
    const changes: Array<{ status: number; reindexJob: string | null }> = [];
    const replies: string[] = [];
    // Changes and chat interleave for the whole outage.
    for (let round = 1; round <= 5; round++) {
      const [change, ...said] = await Promise.all([
        upsertProduct(round),
        ...shoppers.map((c, i) =>
          chat(
            c,
            ['I need a warm jacket under 100', 'show me boots', 'hi', 'anything cheaper?', 'help'][
              (round + i) % 5
            ]!,
          ),
        ),
      ]);
      changes.push(change);
      replies.push(...said);
    }
    expect(
      changes.map((c) => c.status),
      server.errorLines.join('\n'),
    ).toEqual([200, 200, 200, 200, 200]);
    // Accepted while Redis was down (it stays down until every change has been answered): the
    // queue buffered each job instead of waiting for Redis. How fast is the benchmarks' business.
    expect(replies).toHaveLength(15);
    for (const reply of replies) expect(reply).not.toMatch(/something went wrong/i);
    expect(server.alive).toBe(true);

    await redis.start();
    const ids = [before, ...changes].map((c) => c.reindexJob!.split('/')[1]!);
    expect(new Set(ids).size).toBe(6);
    const queue = new Queue('catalog.reindex', {
      connection: { host: '127.0.0.1', port: redis.port },
      prefix: 'mkt',
    });
    try {
      const deadline = Date.now() + 120_000;
      for (;;) {
        const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
        if (states.every((s) => s === 'completed')) break;
        if (Date.now() > deadline)
          throw new Error(`jobs not completed after Redis came back: ${JSON.stringify(states)}`);
        await new Promise((ok) => setTimeout(ok, 500));
      }
      for (const id of ids) {
        const job = (await queue.getJob(id))!;
        expect(job.data.catalogVersion, id).toBeGreaterThan(0);
        // started once, finished once
        expect(job.attemptsStarted ?? job.attemptsMade, id).toBe(1);
        expect(job.finishedOn, id).toBeGreaterThan(0);
      }
      const counts = await queue.getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed');
      expect(counts).toEqual({ completed: 6, failed: 0, waiting: 0, active: 0, delayed: 0 });
    } finally {
      await queue.close();
    }

    // The index has every change: the chat finds a product added during the outage.
    const search = await chat(shoppers[0]!, 'show me the Glimmerpeak expedition parka');
    expect(search).toContain('NW-OUTAGE-004');
    for (const c of shoppers) c.http.close();
  }, 400_000);
});
