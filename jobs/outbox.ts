import { JobsError } from './errors.js';

/** A job waiting locally because the queue backend could not be reached. */
export interface OutboxEntry {
  /** public id "<name>/<jobId>": the same id is used when the entry is flushed, so a job that
   * did reach Redis before the error is not added twice */
  readonly id: string;
  readonly name: string;
  readonly jobId: string;
  readonly data: unknown;
  readonly delayMs?: number;
}

/** In-memory, ordered, de-duplicated buffer of jobs to hand to Redis once it is back. */
export class Outbox {
  readonly #entries = new Map<string, OutboxEntry>();

  constructor(readonly limit: number) {}

  /** Number of buffered jobs. */
  get size(): number {
    return this.#entries.size;
  }

  /** Buffers a job; a job already buffered under the same id is kept as it was. */
  add(entry: OutboxEntry): void {
    if (this.#entries.has(entry.id)) return;
    if (this.#entries.size >= this.limit) {
      throw new JobsError(
        'JOB_BUFFER_FULL',
        `job queue unreachable and ${this.limit} jobs already buffered; "${entry.id}" not queued`,
      );
    }
    this.#entries.set(entry.id, entry);
  }

  /** Buffered jobs, oldest first. */
  entries(): OutboxEntry[] {
    return [...this.#entries.values()];
  }

  /** Forgets a job once the backend has it. */
  remove(id: string): void {
    this.#entries.delete(id);
  }
}
