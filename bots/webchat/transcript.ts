// Per-conversation activity log with watermarks and live subscribers: what GET .../activities and
// the WebSocket stream read. Kept in memory (bounded, idle conversations swept) because it is a
// delivery buffer, not the record: the dialog state and the transcript of record are in the
// database, so a restart only loses the on-screen history, never the conversation.
import type { Activity } from 'botbuilder';

/** A batch as Direct Line sends it. */
export interface ActivitySet {
  activities: Array<Partial<Activity>>;
  watermark: string;
}

interface Entry {
  /** Index of activities[0] in the whole conversation (older ones were trimmed). */
  base: number;
  activities: Array<Partial<Activity>>;
  listeners: Set<(set: ActivitySet) => void>;
  touched: number;
  started: boolean;
}

/** Options of the transcript buffer. */
export interface TranscriptOptions {
  maxActivities?: number;
  idleMs?: number;
}

/** In-memory Direct Line activity buffer. */
export class TranscriptHub {
  private readonly conversations = new Map<string, Entry>();
  private readonly maxActivities: number;
  private readonly idleMs: number;

  constructor(options: TranscriptOptions = {}) {
    this.maxActivities = options.maxActivities ?? 500;
    this.idleMs = options.idleMs ?? 24 * 3600 * 1000;
  }

  /** Ensures a conversation exists; returns true the first time it is started. */
  start(conversationId: string): boolean {
    const entry = this.entry(conversationId);
    if (entry.started) return false;
    entry.started = true;
    return true;
  }

  /** Appends an activity, assigns its id and pushes it to subscribers. */
  append(conversationId: string, activity: Partial<Activity>): string {
    const entry = this.entry(conversationId);
    const index = entry.base + entry.activities.length;
    const id = `${conversationId}|${String(index).padStart(7, '0')}`;
    const stored = { ...activity, id };
    entry.activities.push(stored);
    if (entry.activities.length > this.maxActivities) {
      const drop = entry.activities.length - this.maxActivities;
      entry.activities.splice(0, drop);
      entry.base += drop;
    }
    const set = { activities: [stored], watermark: String(index + 1) };
    for (const listener of entry.listeners) listener(set);
    return id;
  }

  /** Replaces an activity by id (updateActivity) and re-sends it. */
  update(conversationId: string, activity: Partial<Activity>): boolean {
    const entry = this.conversations.get(conversationId);
    const at = entry?.activities.findIndex((a) => a.id === activity.id) ?? -1;
    if (!entry || at < 0) return false;
    entry.activities[at] = { ...entry.activities[at], ...activity };
    const set = {
      activities: [entry.activities[at]!],
      watermark: String(entry.base + entry.activities.length),
    };
    for (const listener of entry.listeners) listener(set);
    return true;
  }

  /** Activities after a watermark ("" or "-" means from the start). */
  since(conversationId: string, watermark: string | undefined): ActivitySet {
    const entry = this.entry(conversationId);
    const from = watermark && /^\d+$/.test(watermark) ? Number(watermark) : 0;
    const skip = Math.max(0, from - entry.base);
    return {
      activities: entry.activities.slice(skip),
      watermark: String(entry.base + entry.activities.length),
    };
  }

  /** Live activities; returns the unsubscribe function. */
  subscribe(conversationId: string, listener: (set: ActivitySet) => void): () => void {
    const entry = this.entry(conversationId);
    entry.listeners.add(listener);
    return () => entry.listeners.delete(listener);
  }

  /** Drops conversations idle for longer than the limit and without listeners. */
  sweep(now = Date.now()): number {
    let dropped = 0;
    for (const [id, entry] of this.conversations) {
      if (entry.listeners.size === 0 && now - entry.touched > this.idleMs) {
        this.conversations.delete(id);
        dropped++;
      }
    }
    return dropped;
  }

  private entry(conversationId: string): Entry {
    let entry = this.conversations.get(conversationId);
    if (!entry) {
      entry = { base: 0, activities: [], listeners: new Set(), touched: Date.now(), started: false };
      this.conversations.set(conversationId, entry);
    }
    entry.touched = Date.now();
    return entry;
  }
}
