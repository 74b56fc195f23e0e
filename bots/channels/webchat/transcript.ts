// Per-conversation activity log with watermarks and live subscribers: what GET .../activities and
// the WebSocket stream read. It is a delivery cache, not the record: the dialog state and the
// transcript of record are in the database, so dropping an entry only loses on-screen history.
// Memory is therefore bounded three ways: activities per conversation, conversations per process
// (least recently used first) and idle time; conversations with an open stream are never dropped.
// Activities are kept as the JSON text the clients receive: it is produced once, when the activity
// is appended, and a buffered product reply is one string instead of a few hundred small objects
// (about a third of the memory, and nothing for the garbage collector to trace).
import type { Activity } from 'botbuilder';

/** A batch as Direct Line sends it. */
export interface ActivitySet {
  activities: Array<Partial<Activity>>;
  watermark: string;
}

/** A batch already serialised, with the number of activities in it. */
export interface ActivitySetText {
  json: string;
  count: number;
}

interface Stored {
  id: string;
  json: string;
}

// V8 keeps a string with any character beyond Latin-1 (’, “, —, €: most replies) at two bytes per
// character, so the buffer's heap is closer to twice its JSON's length than to the length: the
// load benchmark's memory verdict subtracts this figure, and counting characters left half the
// buffer's growth "unexplained".
const TWO_BYTE = /[\u0100-\uffff]/;
/** An entry's object, its two string headers and its array slot (V8, 64-bit, compressed pointers). */
const STORED_OVERHEAD_BYTES = 48;

/** Heap bytes of one stored activity, approximately. */
function heapBytes(stored: Stored): number {
  const width = TWO_BYTE.test(stored.json) ? 2 : 1;
  return stored.json.length * width + stored.id.length + STORED_OVERHEAD_BYTES;
}

interface Entry {
  /** Watermark of activities[0] (older ones were trimmed). */
  base: number;
  activities: Stored[];
  listeners: Set<Subscriber>;
  touched: number;
  started: boolean;
}

/** A live listener and what was appended for it in this turn of the event loop, not yet sent. */
interface Subscriber {
  deliver: (set: ActivitySetText) => void;
  outbox: string[];
  watermark: string;
}

function setText(activities: readonly string[], watermark: string): string {
  return `{"activities":[${activities.join(',')}],"watermark":${JSON.stringify(watermark)}}`;
}

/** Options of the transcript buffer. */
export interface TranscriptOptions {
  /** Activities kept per conversation (the newest); default 100. */
  maxActivities?: number;
  /** Conversations kept; beyond it the least recently used one without a stream goes; default 5,000. */
  maxConversations?: number;
  /** A conversation without a stream and untouched for this long is dropped by `sweep`; default 30 min. */
  idleMs?: number;
}

/** In-memory Direct Line activity buffer. */
export class TranscriptHub {
  // Map order is recency order: `entry()` moves a touched conversation to the end.
  private readonly conversations = new Map<string, Entry>();
  private readonly maxActivities: number;
  private readonly maxConversations: number;
  private readonly idleMs: number;
  private ephemeral = 0;

  constructor(options: TranscriptOptions = {}) {
    this.maxActivities = Math.max(1, options.maxActivities ?? 100);
    this.maxConversations = Math.max(1, options.maxConversations ?? 5_000);
    this.idleMs = options.idleMs ?? 30 * 60 * 1000;
  }

  /** Conversations currently buffered. */
  get size(): number {
    return this.conversations.size;
  }

  /**
   * What the buffer holds: conversations, activities, and their approximate heap bytes (the JSON
   * text at one or two bytes per character, as V8 stores it, the id and the entry), counted on
   * demand (a metrics scrape, not every append). Its bound is `maxActivities` per conversation and
   * `maxConversations` conversations.
   */
  stats(): { conversations: number; activities: number; bytes: number; maxActivities: number } {
    let activities = 0;
    let bytes = 0;
    for (const entry of this.conversations.values()) {
      activities += entry.activities.length;
      for (const a of entry.activities) bytes += heapBytes(a);
    }
    return { conversations: this.conversations.size, activities, bytes, maxActivities: this.maxActivities };
  }

  /** True when this process buffers the conversation (a client was served here and not evicted). */
  has(conversationId: string): boolean {
    return this.conversations.has(conversationId);
  }

  /** Ensures a conversation exists; returns true the first time it is started. */
  start(conversationId: string): boolean {
    const entry = this.entry(conversationId);
    if (entry.started) return false;
    entry.started = true;
    return true;
  }

  /**
   * Appends an activity, assigns its id (unless given one, unique in the conversation) and pushes it to subscribers. Typing indicators go to the
   * live stream only: replaying them from history would be noise, and they would crowd out messages.
   */
  append(conversationId: string, activity: Partial<Activity>, givenId?: string): string {
    const entry = this.entry(conversationId);
    const index = entry.base + entry.activities.length;
    if (activity.type === 'typing') {
      const id = `${conversationId}|t${++this.ephemeral}`;
      this.push(entry, JSON.stringify({ ...activity, id }), String(index));
      return id;
    }
    const id = givenId ?? `${conversationId}|${String(index).padStart(7, '0')}`;
    const stored = { id, json: JSON.stringify({ ...activity, id }) };
    entry.activities.push(stored);
    if (entry.activities.length > this.maxActivities) {
      const drop = entry.activities.length - this.maxActivities;
      entry.activities.splice(0, drop);
      entry.base += drop;
    }
    this.push(entry, stored.json, String(entry.base + entry.activities.length));
    return id;
  }

  /** Replaces an activity by id (updateActivity) and re-sends it. */
  update(conversationId: string, activity: Partial<Activity>): boolean {
    const entry = this.conversations.get(conversationId);
    const at = entry?.activities.findIndex((a) => a.id === activity.id) ?? -1;
    if (!entry || at < 0) return false;
    const old = entry.activities[at]!;
    const json = JSON.stringify({ ...(JSON.parse(old.json) as Partial<Activity>), ...activity });
    entry.activities[at] = { id: old.id, json };
    this.push(entry, json, String(entry.base + entry.activities.length));
    return true;
  }

  /** Activities after a watermark ("" or "-" means from the start). */
  since(conversationId: string, watermark: string | undefined): ActivitySet {
    const { stored, watermark: next } = this.after(conversationId, watermark);
    return { activities: stored.map((a) => JSON.parse(a.json) as Partial<Activity>), watermark: next };
  }

  /** The same as `since`, as the JSON text a client receives. */
  sinceText(conversationId: string, watermark: string | undefined): ActivitySetText {
    const { stored, watermark: next } = this.after(conversationId, watermark);
    return {
      json: setText(
        stored.map((a) => a.json),
        next,
      ),
      count: stored.length,
    };
  }

  private after(
    conversationId: string,
    watermark: string | undefined,
  ): { stored: Stored[]; watermark: string } {
    const entry = this.entry(conversationId);
    const from = watermark && /^\d+$/.test(watermark) ? Number(watermark) : 0;
    const skip = Math.max(0, from - entry.base);
    return { stored: entry.activities.slice(skip), watermark: String(entry.base + entry.activities.length) };
  }

  /** Live activities, as JSON text; returns the unsubscribe function. */
  subscribe(conversationId: string, listener: (set: ActivitySetText) => void): () => void {
    const entry = this.entry(conversationId);
    const sub: Subscriber = { deliver: listener, outbox: [], watermark: '' };
    entry.listeners.add(sub);
    return () => {
      entry.listeners.delete(sub);
      entry.touched = Date.now();
    };
  }

  /**
   * Queues an activity for the live listeners. Everything appended in the same turn of the event
   * loop goes out as one activity set (the echo of a user's message and the bot's typing indicator
   * arrive together): one WebSocket frame and one write instead of one per activity, for the
   * server and for every client.
   */
  private push(entry: Entry, json: string, watermark: string): void {
    // Per listener, so one that subscribes later gets only what is appended after it (the rest
    // is in the backlog it read), exactly as with immediate delivery.
    for (const sub of entry.listeners) {
      sub.outbox.push(json);
      sub.watermark = watermark;
      if (sub.outbox.length === 1) setImmediate(() => this.flush(entry, sub));
    }
  }

  private flush(entry: Entry, sub: Subscriber): void {
    const set = { json: setText(sub.outbox, sub.watermark), count: sub.outbox.length };
    sub.outbox = [];
    if (entry.listeners.has(sub)) sub.deliver(set);
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
    if (entry) {
      this.conversations.delete(conversationId);
    } else {
      // A watermark must never go backwards for a client that saw an earlier, dropped entry of the
      // same conversation (after eviction or in another process): start from the clock. One
      // conversation does not produce an activity per millisecond, so earlier watermarks are lower.
      entry = { base: Date.now(), activities: [], listeners: new Set(), touched: 0, started: false };
      this.evictFor();
    }
    entry.touched = Date.now();
    this.conversations.set(conversationId, entry);
    return entry;
  }

  /** Makes room for one more conversation: least recently used first, never one with a stream. */
  private evictFor(): void {
    if (this.conversations.size < this.maxConversations) return;
    for (const [id, entry] of this.conversations) {
      if (entry.listeners.size > 0) continue;
      this.conversations.delete(id);
      if (this.conversations.size < this.maxConversations) return;
    }
  }
}
