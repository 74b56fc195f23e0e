import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { JobsError } from './errors.js';

// Announcements of new model and index versions, so every server process reloads what a worker
// (or another server) has just built. Two implementations pass one contract suite: in-process
// and Redis pub/sub.

/** What can be announced. */
export const ZVersionTopic = z.enum(['nlu.model', 'recsys.index', 'recsys.rules', 'segments']);
/** Name of an announced artifact kind. */
export type VersionTopic = z.infer<typeof ZVersionTopic>;

/** One announcement: topic, version and who announced it. */
export const ZVersionAnnouncement = z.object({
  topic: ZVersionTopic,
  version: z.string().min(1).max(200),
  /** process that published it ("<host>:<pid>:<random>") */
  origin: z.string().min(1).max(200),
  at: z.iso.datetime(),
});
/** One announcement. */
export type VersionAnnouncement = z.infer<typeof ZVersionAnnouncement>;

/** Handler of announcements; errors are reported to the bus's error callback, never thrown back. */
export type VersionHandler = (announcement: VersionAnnouncement) => void | Promise<void>;

/** The version-announcement port. */
export interface VersionBus {
  /** This process's origin id, to recognise its own announcements. */
  readonly origin: string;
  /** Announces a version; resolves `delivered: false` when it is held back until the bus reconnects. */
  publish(topic: VersionTopic, version: string): Promise<{ delivered: boolean }>;
  /** Calls the handler for each later announcement of the topic; returns the unsubscribe function. */
  subscribe(topic: VersionTopic, handler: VersionHandler): () => void;
  /** The last announcement of a topic, if any (for processes that start later). */
  latest(topic: VersionTopic): Promise<VersionAnnouncement | undefined>;
  close(): Promise<void>;
}

/** A process-unique origin id. */
export function makeOrigin(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** Builds a validated announcement. */
export function announcement(topic: VersionTopic, version: string, origin: string): VersionAnnouncement {
  const parsed = ZVersionAnnouncement.safeParse({ topic, version, origin, at: new Date().toISOString() });
  if (!parsed.success)
    throw new JobsError(
      'VERSION_INVALID',
      `invalid version announcement: ${parsed.error.issues[0]?.message}`,
    );
  return parsed.data;
}

/** Handler registry shared by both implementations. */
export class VersionHandlers {
  readonly #handlers = new Map<VersionTopic, Set<VersionHandler>>();

  constructor(private readonly onError: (error: unknown, announcement: VersionAnnouncement) => void) {}

  add(topic: VersionTopic, handler: VersionHandler): () => void {
    const set = this.#handlers.get(topic) ?? new Set();
    this.#handlers.set(topic, set);
    set.add(handler);
    return () => set.delete(handler);
  }

  topics(): VersionTopic[] {
    return [...this.#handlers.entries()].filter(([, set]) => set.size > 0).map(([topic]) => topic);
  }

  /** Calls every handler of the announcement's topic, isolating failures. */
  dispatch(value: VersionAnnouncement): void {
    for (const handler of this.#handlers.get(value.topic) ?? []) {
      Promise.resolve()
        .then(() => handler(value))
        .catch((error: unknown) => this.onError(error, value));
    }
  }
}

/** Options of the in-process bus. */
export interface InProcessVersionBusOptions {
  onHandlerError?: (error: unknown, announcement: VersionAnnouncement) => void;
}

/** The embedded default: one process, announcements delivered to its own subscribers. */
export function createInProcessVersionBus(options: InProcessVersionBusOptions = {}): VersionBus {
  const origin = makeOrigin();
  const handlers = new VersionHandlers(options.onHandlerError ?? (() => undefined));
  const last = new Map<VersionTopic, VersionAnnouncement>();
  return {
    origin,
    async publish(topic, version) {
      const value = announcement(topic, version, origin);
      last.set(topic, value);
      handlers.dispatch(value);
      return { delivered: true };
    },
    subscribe: (topic, handler) => handlers.add(topic, handler),
    latest: async (topic) => last.get(topic),
    async close() {},
  };
}
