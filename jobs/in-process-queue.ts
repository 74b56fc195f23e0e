import type { JobDefinitions } from './definitions.js';
import { JobsError, UnrecoverableJobError } from './errors.js';
import {
  backoffDelay,
  errorMessage,
  jobEvents,
  parsePublicJobId,
  prepareEnqueue,
  processorsOf,
  type EnqueueOptions,
  type EnqueueResult,
  type FailedJob,
  type JobCounts,
  type JobProcessor,
  type JobQueue,
  type ProcessorMap,
} from './queue.js';

/** Options of the in-process queue. */
export interface InProcessQueueOptions<D extends JobDefinitions> {
  definitions: D;
  /** finished job ids remembered for idempotency (oldest forgotten first) */
  rememberCompleted?: number;
}

type State = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed';

interface Entry {
  id: string;
  name: string;
  data: unknown;
  state: State;
  attemptsMade: number;
  reason: string;
  failedAt: Date;
  timer?: NodeJS.Timeout;
}

/** The embedded default: jobs run in this process, nothing survives a restart. */
export function createInProcessQueue<D extends JobDefinitions>(
  options: InProcessQueueOptions<D>,
): JobQueue<D> {
  const { definitions } = options;
  const rememberCompleted = options.rememberCompleted ?? 10_000;
  const entries = new Map<string, Entry>();
  const ready = new Map<string, string[]>(Object.keys(definitions).map((name) => [name, []]));
  const active = new Map<string, number>(Object.keys(definitions).map((name) => [name, 0]));
  const processors = new Map<string, JobProcessor<unknown>>();
  const events = jobEvents();
  const completedOrder: string[] = [];
  let closing = false;
  let settle: (() => void) | undefined;

  const busy = (): boolean =>
    [...active.values()].some((n) => n > 0) ||
    [...ready.entries()].some(([name, ids]) => ids.length > 0 && processors.has(name));

  const makeReady = (entry: Entry): void => {
    entry.state = 'waiting';
    entry.timer = undefined;
    ready.get(entry.name)!.push(entry.id);
    pump(entry.name);
  };

  const pump = (name: string): void => {
    const processor = processors.get(name);
    const queue = ready.get(name)!;
    const limit = definitions[name]!.concurrency;
    while (processor && queue.length > 0 && active.get(name)! < limit) {
      const entry = entries.get(queue.shift()!);
      if (!entry || entry.state !== 'waiting') continue;
      void run(entry, processor);
    }
    if (!busy()) settle?.();
  };

  const run = async (entry: Entry, processor: JobProcessor<unknown>): Promise<void> => {
    const definition = definitions[entry.name]!;
    entry.state = 'active';
    active.set(entry.name, active.get(entry.name)! + 1);
    const attempt = entry.attemptsMade + 1;
    const started = Date.now();
    try {
      await processor(entry.data, { id: entry.id, name: entry.name, attempt });
      entry.state = 'completed';
      entry.data = undefined;
      remember(entry.id);
      events.emit({
        type: 'completed',
        id: entry.id,
        name: entry.name,
        attempt,
        durationMs: Date.now() - started,
      });
    } catch (error) {
      entry.attemptsMade = attempt;
      const message = errorMessage(error);
      const durationMs = Date.now() - started;
      if (error instanceof UnrecoverableJobError || attempt >= definition.attempts || closing) {
        entry.state = 'failed';
        entry.reason = message;
        entry.failedAt = new Date();
        events.emit({ type: 'failed', id: entry.id, name: entry.name, attempt, error: message, durationMs });
      } else {
        entry.state = 'delayed';
        entry.timer = setTimeout(() => makeReady(entry), backoffDelay(definition.backoffMs, attempt));
        events.emit({
          type: 'retrying',
          id: entry.id,
          name: entry.name,
          attempt,
          error: message,
          durationMs,
        });
      }
    } finally {
      active.set(entry.name, active.get(entry.name)! - 1);
      pump(entry.name);
    }
  };

  const remember = (id: string): void => {
    completedOrder.push(id);
    while (completedOrder.length > rememberCompleted) {
      const old = completedOrder.shift()!;
      if (entries.get(old)?.state === 'completed') entries.delete(old);
    }
  };

  const failedEntry = (id: string): Entry => {
    parsePublicJobId(definitions, id);
    const entry = entries.get(id);
    if (!entry) throw new JobsError('JOB_NOT_FOUND', `no job "${id}"`);
    if (entry.state !== 'failed')
      throw new JobsError('JOB_NOT_FAILED', `job "${id}" is ${entry.state}, not failed`);
    return entry;
  };

  return {
    kind: 'in-process',
    async enqueue(name, payload, enqueueOptions: EnqueueOptions = {}): Promise<EnqueueResult> {
      const { data, id, delayMs } = prepareEnqueue(definitions, name, payload, enqueueOptions, closing);
      if (entries.has(id)) return { id, buffered: false };
      const entry: Entry = {
        id,
        name,
        data,
        state: 'waiting',
        attemptsMade: 0,
        reason: '',
        failedAt: new Date(0),
      };
      entries.set(id, entry);
      if (delayMs && delayMs > 0) {
        entry.state = 'delayed';
        entry.timer = setTimeout(() => makeReady(entry), delayMs);
      } else {
        ready.get(name)!.push(id);
        // Never run inline: the caller's transaction or request finishes first, as with Redis.
        setImmediate(() => pump(name));
      }
      return { id, buffered: false };
    },
    async process(map: ProcessorMap<D>): Promise<void> {
      for (const [name, processor] of processorsOf(definitions, map)) {
        processors.set(name, processor);
        pump(name);
      }
    },
    async failed(limit = 100): Promise<FailedJob[]> {
      return [...entries.values()]
        .filter((entry) => entry.state === 'failed')
        .sort((a, b) => b.failedAt.getTime() - a.failedAt.getTime())
        .slice(0, limit)
        .map((entry) => ({
          id: entry.id,
          name: entry.name,
          payload: entry.data,
          attemptsMade: entry.attemptsMade,
          reason: entry.reason,
          failedAt: entry.failedAt,
        }));
    },
    async retry(id: string): Promise<void> {
      const entry = failedEntry(id);
      entry.attemptsMade = 0;
      makeReady(entry);
    },
    async discard(id: string): Promise<void> {
      failedEntry(id);
      entries.delete(id);
    },
    async counts(): Promise<Record<string, JobCounts>> {
      const result: Record<string, JobCounts> = {};
      for (const name of Object.keys(definitions))
        result[name] = { waiting: 0, active: 0, delayed: 0, failed: 0 };
      for (const entry of entries.values()) {
        const counts = result[entry.name]!;
        if (entry.state !== 'completed') counts[entry.state] += 1;
      }
      return result;
    },
    on: events.on,
    async close({ timeoutMs = 30_000 } = {}): Promise<void> {
      closing = true;
      // Delayed retries are dropped: nothing persists them in the embedded mode; the failed list
      // shows why (see `retry` for a manual re-run after restart is not possible either).
      for (const entry of entries.values()) {
        if (entry.state === 'delayed' && entry.timer) {
          clearTimeout(entry.timer);
          entry.state = 'failed';
          entry.reason = 'queue closed before the retry ran';
          entry.failedAt = new Date();
        }
      }
      if (!busy()) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        settle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    },
  };
}
