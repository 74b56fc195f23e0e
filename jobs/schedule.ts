import type { JobDefinitions, PayloadInput } from './definitions.js';
import type { JobQueue } from './queue.js';

/** A running schedule. */
export interface Schedule {
  stop(): void;
}

/**
 * Enqueues a job once per UTC day. Every server process may run the same schedule: the job id
 * carries the date ("<name>-2026-01-31"), so the queue keeps exactly one per day whichever
 * process gets there first. Checks at start and then every `checkEveryMs` (default one hour).
 */
export function scheduleDaily<D extends JobDefinitions, N extends keyof D & string>(
  queue: Pick<JobQueue<D>, 'enqueue'>,
  name: N,
  payload: PayloadInput<D, N>,
  options: { checkEveryMs?: number; now?: () => Date; onError?: (error: unknown) => void } = {},
): Schedule {
  const now = options.now ?? (() => new Date());
  const tick = (): void => {
    const day = now().toISOString().slice(0, 10);
    queue
      .enqueue(name, payload, { jobId: `${name.replace(/[^A-Za-z0-9_.-]/g, '-')}-${day}` })
      .catch((error: unknown) => options.onError?.(error));
  };
  tick();
  const timer = setInterval(tick, options.checkEveryMs ?? 3_600_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
