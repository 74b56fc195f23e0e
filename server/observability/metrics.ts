import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

// Prometheus metrics of one app instance. Each instance has its own registry (never prom-client's
// global one), so two apps in one process, as in tests, do not share or collide.

/** Job counts per job name, as the JobQueue port reports them. */
export type QueueDepthSource = () => Promise<
  Record<string, { waiting: number; active: number; delayed: number; failed: number }>
>;

/** Job lifecycle events, as the JobQueue port emits them. */
export interface JobEventSource {
  on(
    listener: (event: {
      type: 'completed' | 'retrying' | 'failed';
      name: string;
      durationMs: number;
    }) => void,
  ): () => void;
}

/** The metrics of one app instance. */
export interface Metrics {
  readonly registry: Registry;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly nluDuration: Histogram<'stage'>;
  readonly jobFailures: Counter<'job' | 'outcome'>;
  readonly jobDuration: Histogram<'job' | 'outcome'>;
  /** Counts job failures and durations from a queue's events; returns the unsubscribe function. */
  trackJobs(source: JobEventSource): () => void;
  /** Times an NLU call (classification, sentiment, encoder) in seconds. */
  timeNlu<T>(stage: string, work: () => Promise<T>): Promise<T>;
}

/** Options of the metrics set. */
export interface MetricsOptions {
  /** queue depth is read at scrape time from this source */
  queueDepth?: QueueDepthSource;
  /** database connection pool, read at scrape time (PostgreSQL; absent on the embedded database) */
  pool?: () => { total: number; idle: number; waiting: number; max: number };
  /** process metrics (CPU, memory, event loop lag); on by default */
  processMetrics?: boolean;
  prefix?: string;
}

/** Creates a registry with the product's metrics. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const prefix = options.prefix ?? 'mkt_';
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix });

  const httpDuration = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: 'HTTP request latency by route pattern',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const nluDuration = new Histogram({
    name: `${prefix}nlu_duration_seconds`,
    help: 'NLU latency by stage (encode, classify, sentiment, total)',
    labelNames: ['stage'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  const jobFailures = new Counter({
    name: `${prefix}job_failures_total`,
    help: 'Failed job attempts: outcome "retrying" will be retried, "failed" exhausted its attempts',
    labelNames: ['job', 'outcome'] as const,
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: `${prefix}job_duration_seconds`,
    help: 'Job attempt duration',
    labelNames: ['job', 'outcome'] as const,
    buckets: [0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
    registers: [registry],
  });
  const queueDepth = options.queueDepth;
  new Gauge({
    name: `${prefix}job_queue_depth`,
    help: 'Jobs per job name and state (waiting, active, delayed, failed)',
    labelNames: ['job', 'state'] as const,
    registers: [registry],
    async collect() {
      if (!queueDepth) return;
      this.reset();
      try {
        for (const [job, counts] of Object.entries(await queueDepth())) {
          for (const [state, value] of Object.entries(counts)) this.set({ job, state }, value);
        }
      } catch {
        // Queue backend unreachable: report nothing rather than fail the whole scrape; /readyz says why.
      }
    },
  });

  const pool = options.pool;
  if (pool) {
    new Gauge({
      name: `${prefix}db_pool_connections`,
      help: 'Database pool: open connections (total), idle ones, queries waiting for one, and the limit (max)',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        for (const [state, value] of Object.entries(pool())) this.set({ state }, value);
      },
    });
  }

  return {
    registry,
    httpDuration,
    nluDuration,
    jobFailures,
    jobDuration,
    trackJobs(source) {
      return source.on((event) => {
        jobDuration.observe({ job: event.name, outcome: event.type }, event.durationMs / 1000);
        if (event.type !== 'completed') jobFailures.inc({ job: event.name, outcome: event.type });
      });
    },
    async timeNlu(stage, work) {
      const end = nluDuration.startTimer({ stage });
      try {
        return await work();
      } finally {
        end();
      }
    },
  };
}

/**
 * Gauges of the Direct Line buffer (conversations, activities, bytes of their JSON, and the cap of
 * activities per conversation), read at scrape time: the load benchmark tells its bounded growth
 * from a leak by them.
 */
export function registerTranscriptGauges(
  registry: Registry,
  stats: () => Record<'conversations' | 'activities' | 'bytes' | 'maxActivities', number>,
  prefix = 'mkt_',
): void {
  new Gauge({
    name: `${prefix}webchat_transcript`,
    help: 'Direct Line buffer: conversations, activities, bytes of their JSON text, activities kept per conversation (max_activities)',
    labelNames: ['figure'] as const,
    registers: [registry],
    collect() {
      const s = stats();
      this.set({ figure: 'conversations' }, s.conversations);
      this.set({ figure: 'activities' }, s.activities);
      this.set({ figure: 'bytes' }, s.bytes);
      this.set({ figure: 'max_activities' }, s.maxActivities);
    },
  });
}
