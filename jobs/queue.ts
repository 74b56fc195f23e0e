import { randomUUID } from 'node:crypto';
import type { JobDefinition, JobDefinitions, PayloadInput, PayloadOf } from './definitions.js';
import { JobsError } from './errors.js';

// The job queue port. Two implementations pass one contract suite (test/jobs/): in-process (the
// embedded default, no Redis) and BullMQ (Redis, workers in other processes).

/** What a processor learns about the job it runs. */
export interface JobContext {
  /** public id, "<name>/<jobId>" */
  readonly id: string;
  readonly name: string;
  /** 1 for the first attempt */
  readonly attempt: number;
}

/** A processor: a plain async function; throwing fails the attempt (UnrecoverableJobError: no retry). */
export type JobProcessor<P> = (payload: P, context: JobContext) => Promise<unknown>;

/** Processors by job name; names without one stay queued until some process registers one. */
export type ProcessorMap<D extends JobDefinitions> = {
  [N in keyof D & string]?: JobProcessor<PayloadOf<D, N>>;
};

/** Options of one enqueue. */
export interface EnqueueOptions {
  /** idempotency key: a second enqueue with the same key (while the job is known) is a no-op */
  jobId?: string;
  /** run no earlier than this many milliseconds from now */
  delayMs?: number;
}

/** Outcome of an enqueue. */
export interface EnqueueResult {
  /** public id, "<name>/<jobId>", used by retry and discard */
  readonly id: string;
  /** true when the queue backend was unreachable and the job waits in the local outbox */
  readonly buffered: boolean;
}

/** A job that exhausted its attempts (or failed unrecoverably). */
export interface FailedJob {
  readonly id: string;
  readonly name: string;
  readonly payload: unknown;
  readonly attemptsMade: number;
  readonly reason: string;
  readonly failedAt: Date;
}

/** Job counts of one job name. */
export interface JobCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** Lifecycle events, for metrics and logs. */
export type JobEvent =
  | { type: 'completed'; id: string; name: string; attempt: number; durationMs: number }
  | { type: 'retrying'; id: string; name: string; attempt: number; error: string; durationMs: number }
  | { type: 'failed'; id: string; name: string; attempt: number; error: string; durationMs: number };

/** The job queue port. */
export interface JobQueue<D extends JobDefinitions> {
  readonly kind: 'in-process' | 'bullmq';
  /** Validates the payload and queues the job; never runs it inline. */
  enqueue<N extends keyof D & string>(
    name: N,
    payload: PayloadInput<D, N>,
    options?: EnqueueOptions,
  ): Promise<EnqueueResult>;
  /** Registers processors and starts consuming their job names in this process. */
  process(processors: ProcessorMap<D>): Promise<void>;
  /** Failed jobs, newest first. */
  failed(limit?: number): Promise<FailedJob[]>;
  /** Puts a failed job back in the queue with fresh attempts. */
  retry(id: string): Promise<void>;
  /** Deletes a failed job. */
  discard(id: string): Promise<void>;
  /** Counts per job name (queue depth for metrics). */
  counts(): Promise<Record<string, JobCounts>>;
  /** Subscribes to lifecycle events; returns the unsubscribe function. */
  on(listener: (event: JobEvent) => void): () => void;
  /** Stops taking jobs and waits for running ones to finish (drain), at most `timeoutMs`. */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

// BullMQ rejects ":" and integer ids; one rule for both implementations keeps them interchangeable.
const JOB_ID = /^[A-Za-z0-9_.-]{1,128}$/;

/** Checks a caller-supplied job id (or makes a random one). */
export function resolveJobId(jobId: string | undefined): string {
  if (jobId === undefined) return randomUUID();
  if (!JOB_ID.test(jobId) || /^\d+$/.test(jobId)) {
    throw new JobsError(
      'JOB_INVALID_ID',
      `invalid job id "${jobId}": use 1-128 of A-Z a-z 0-9 _ . - and not only digits`,
    );
  }
  return jobId;
}

/** "<name>/<jobId>" */
export function publicJobId(name: string, jobId: string): string {
  return `${name}/${jobId}`;
}

/** Splits a public id and checks that the job name exists. */
export function parsePublicJobId(definitions: JobDefinitions, id: string): { name: string; jobId: string } {
  const slash = id.indexOf('/');
  const name = slash > 0 ? id.slice(0, slash) : '';
  const jobId = id.slice(slash + 1);
  if (slash <= 0 || !(name in definitions) || jobId === '') {
    throw new JobsError(
      'JOB_NOT_FOUND',
      `no job "${id}" (ids look like "<job name>/<job id>", see mkt jobs failed)`,
    );
  }
  return { name, jobId };
}

/** Looks up a definition and validates a payload against it. */
export function validatePayload(
  definitions: JobDefinitions,
  name: string,
  payload: unknown,
): { definition: JobDefinition; data: unknown } {
  const definition = definitions[name];
  if (!definition)
    throw new JobsError(
      'JOB_UNKNOWN_NAME',
      `unknown job "${name}" (known: ${Object.keys(definitions).join(', ')})`,
    );
  const parsed = definition.payload.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'payload';
    throw new JobsError(
      'JOB_INVALID_PAYLOAD',
      `invalid payload for job "${name}": ${where} ${issue?.message ?? 'is invalid'}`,
      {
        cause: parsed.error,
      },
    );
  }
  return { definition, data: parsed.data };
}

/** What both queues check before taking a job: the queue is open, the name and payload are valid, the id is usable. */
export function prepareEnqueue(
  definitions: JobDefinitions,
  name: string,
  payload: unknown,
  options: EnqueueOptions,
  closing: boolean,
): { data: unknown; jobId: string; id: string; delayMs: number | undefined } {
  if (closing) throw new JobsError('JOB_QUEUE_CLOSED', `cannot enqueue "${name}": the job queue is closing`);
  const { data } = validatePayload(definitions, name, payload);
  const jobId = resolveJobId(options.jobId);
  return { data, jobId, id: publicJobId(name, jobId), delayMs: options.delayMs };
}

/** The processors of a map with their names, all checked before any is started; unset entries are skipped. */
export function processorsOf<D extends JobDefinitions>(
  definitions: D,
  map: ProcessorMap<D>,
): Array<[string, JobProcessor<unknown>]> {
  const entries: Array<[string, JobProcessor<unknown>]> = [];
  for (const [name, processor] of Object.entries(map) as Array<[string, JobProcessor<unknown> | undefined]>) {
    if (!processor) continue;
    if (!(name in definitions)) throw new JobsError('JOB_UNKNOWN_NAME', `no job named "${name}" to process`);
    entries.push([name, processor]);
  }
  return entries;
}

/** The lifecycle-event listeners of one queue: `on` is the port's method, `emit` stays inside. */
export function jobEvents(): {
  emit(event: JobEvent): void;
  on(listener: (event: JobEvent) => void): () => void;
} {
  const listeners = new Set<(event: JobEvent) => void>();
  return {
    emit(event) {
      for (const listener of listeners) listener(event);
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Delay before attempt `attemptsMade + 1`: backoffMs * 2^(attemptsMade-1), the same formula BullMQ uses. */
export function backoffDelay(backoffMs: number, attemptsMade: number): number {
  return Math.round(backoffMs * 2 ** Math.max(0, attemptsMade - 1));
}

/** Message of anything thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
