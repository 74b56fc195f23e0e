import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createInProcessQueue, defineJobs } from '../../jobs/index.js';
import { TranscriptHub } from '../../bots/channels/webchat/transcript.js';
import {
  createMetrics,
  observabilityPlugin,
  registerTranscriptGauges,
} from '../../server/observability/index.js';
import { sharedRedisConnection } from '../jobs/redis-support.js';
import { appsClosedAfterEach } from '../support/fastify-apps.js';

const jobs = defineJobs({
  'demo.work': {
    description: 'demo',
    payload: z.object({ fail: z.boolean() }),
    attempts: 1,
    backoffMs: 10,
    concurrency: 1,
  },
  'demo.idle': {
    description: 'never processed',
    payload: z.object({}),
    attempts: 1,
    backoffMs: 10,
    concurrency: 1,
  },
});

describe('observability plugin', () => {
  const apps = appsClosedAfterEach();
  const redis = sharedRedisConnection();

  const build = async (options: Parameters<typeof observabilityPlugin>[1]) => {
    const app = Fastify();
    apps.push(app);
    await app.register(observabilityPlugin, options);
    app.get('/items/:id', async () => ({ ok: true }));
    await app.ready();
    return app;
  };

  it('answers /healthz and reports each readiness check, failing fast on a hanging one', async () => {
    const app = await build({
      metrics: createMetrics({ processMetrics: false }),
      checks: {
        database: async () => undefined,
        redis: () => redis.ping(),
        models: () => new Promise(() => undefined),
      },
      // generous for the real Redis ping on a busy machine, still far below a load balancer's patience
      checkTimeoutMs: 1_000,
    });
    const health = await app.inject('/healthz');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok' });

    const started = Date.now();
    const ready = await app.inject('/readyz');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({
      status: 'unavailable',
      checks: {
        database: { ok: true },
        redis: { ok: true },
        models: { ok: false, error: 'no answer within 1000 ms' },
      },
    });
  });

  it('is ready when every check passes and masks passwords in check errors', async () => {
    const ok = await build({
      metrics: createMetrics({ processMetrics: false }),
      checks: { redis: () => redis.ping() },
    });
    expect((await ok.inject('/readyz')).json()).toMatchObject({
      status: 'ready',
      checks: { redis: { ok: true } },
    });
    const failing = await build({
      metrics: createMetrics({ processMetrics: false }),
      checks: {
        database: async () => {
          throw new Error('cannot reach PostgreSQL at postgres://app:hunter2@db:5432/mkt\nstack...');
        },
      },
    });
    const body = (await failing.inject('/readyz')).json();
    expect(body.checks.database.error).toBe('cannot reach PostgreSQL at postgres://app:***@db:5432/mkt');
  });

  it('exports request latency by route pattern, queue depth, job failures and NLU latency', async () => {
    const queue = createInProcessQueue({ definitions: jobs });
    const metrics = createMetrics({ queueDepth: () => queue.counts() });
    metrics.trackJobs(queue);
    await queue.process({
      'demo.work': async (payload) => {
        if (payload.fail) throw new Error('boom');
      },
    });
    await queue.enqueue('demo.work', { fail: true });
    await queue.enqueue('demo.work', { fail: false });
    for (let i = 0; i < 3; i++) await queue.enqueue('demo.idle', {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    await metrics.timeNlu('classify', async () => new Promise((resolve) => setTimeout(resolve, 5)));

    const app = await build({ metrics, checks: {} });
    await app.inject('/items/1');
    await app.inject('/items/2');
    await app.inject('/nowhere');
    const text = (await app.inject('/metrics')).body;
    expect(text).toMatch(
      /mkt_http_request_duration_seconds_count\{method="GET",route="\/items\/:id",status="200"\} 2/,
    );
    expect(text).toMatch(
      /mkt_http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} 1/,
    );
    expect(text).toMatch(/mkt_job_queue_depth\{job="demo.idle",state="waiting"\} 3/);
    expect(text).toMatch(/mkt_job_queue_depth\{job="demo.work",state="failed"\} 1/);
    expect(text).toMatch(/mkt_job_failures_total\{job="demo.work",outcome="failed"\} 1/);
    expect(text).toMatch(/mkt_nlu_duration_seconds_count\{stage="classify"\} 1/);
    expect(text).toMatch(/mkt_process_resident_memory_bytes/);
    await queue.close({ timeoutMs: 100 });
  });

  it('reports the Direct Line buffer at scrape time (what the load benchmark subtracts)', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const hub = new TranscriptHub({ maxActivities: 2 });
    registerTranscriptGauges(metrics.registry, () => hub.stats());
    const scrape = async () => metrics.registry.metrics();
    expect(await scrape()).toContain('mkt_webchat_transcript{figure="activities"} 0');
    for (let i = 0; i < 4; i++) hub.append('c1', { type: 'message', text: `message ${i}` });
    // One reply with a curly apostrophe: V8 stores that JSON at two bytes per character.
    hub.append('c1', { type: 'message', text: 'I’m here' });
    const text = await scrape();
    expect(text).toContain('mkt_webchat_transcript{figure="conversations"} 1');
    expect(text).toContain('mkt_webchat_transcript{figure="activities"} 2');
    expect(text).toContain('mkt_webchat_transcript{figure="max_activities"} 2');
    const bytes = Number(/mkt_webchat_transcript\{figure="bytes"\} (\d+)/.exec(text)?.[1]);
    const kept = hub.since('c1', undefined).activities;
    const [latin1, twoByte] = kept.map((a) => JSON.stringify(a));
    const entry = (json: string, width: number, id: string) => json.length * width + id.length + 48;
    expect(bytes).toBe(entry(latin1!, 1, kept[0]!.id!) + entry(twoByte!, 2, kept[1]!.id!));
  });

  it('keeps one registry per app instance and can require a token for /metrics', async () => {
    const a = await build({
      metrics: createMetrics({ processMetrics: false }),
      checks: {},
      metricsToken: 'scrape-me',
    });
    const b = await build({ metrics: createMetrics({ processMetrics: false }), checks: {} });
    await a.inject('/items/1');
    expect((await a.inject('/metrics')).statusCode).toBe(401);
    expect(
      (await a.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong-one' } })).statusCode,
    ).toBe(401);
    const scraped = await a.inject({ url: '/metrics', headers: { authorization: 'Bearer scrape-me' } });
    expect(scraped.statusCode).toBe(200);
    expect(scraped.body).toMatch(/route="\/items\/:id"/);
    expect((await b.inject('/metrics')).body).not.toMatch(/route="\/items\/:id"/);
  });
});
