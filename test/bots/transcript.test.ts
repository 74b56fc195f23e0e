// The Direct Line delivery buffer stays bounded (per conversation, per process, by idle time)
// without breaking watermarks or live streams.
import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import {
  TranscriptHub,
  type ActivitySet,
  type ActivitySetText,
} from '../../bots/channels/webchat/transcript.js';

/** A listener that keeps the sets it is sent, parsed. */
function collector(): { seen: ActivitySet[]; listener: (set: ActivitySetText) => void } {
  const seen: ActivitySet[] = [];
  return {
    seen,
    listener: (set) => {
      const parsed = JSON.parse(set.json) as ActivitySet;
      expect(parsed.activities).toHaveLength(set.count);
      seen.push(parsed);
    },
  };
}

const msg = (text: string): Partial<Activity> => ({ type: 'message', text });

describe('TranscriptHub', () => {
  it('stops growing once every conversation holds its newest maxActivities (what the load benchmark subtracts)', () => {
    const hub = new TranscriptHub({ maxActivities: 10, maxConversations: 4 });
    const reply = 'x'.repeat(1_000);
    const after = (turns: number) => {
      for (let t = 0; t < turns; t++)
        for (const c of ['a', 'b', 'c']) {
          hub.append(c, msg(`user ${t}`));
          hub.append(c, msg(reply));
        }
      return hub.stats();
    };
    const filling = after(3);
    expect(filling).toMatchObject({ conversations: 3, activities: 18, maxActivities: 10 });
    const full = after(2);
    expect(full.activities).toBe(30);
    // Twenty turns more per conversation: the same activities, the same size.
    const later = after(20);
    expect(later.activities).toBe(30);
    expect(later.bytes).toBeLessThanOrEqual(full.bytes + 30 * 4);
    expect(later.bytes).toBeGreaterThan(15 * reply.length);
  });

  it('keeps the newest activities of a conversation and serves them by watermark', () => {
    const hub = new TranscriptHub({ maxActivities: 3 });
    for (let i = 1; i <= 5; i++) hub.append('c1', msg(`m${i}`));
    const all = hub.since('c1', undefined);
    expect(all.activities.map((a) => a.text)).toEqual(['m3', 'm4', 'm5']);
    expect(hub.since('c1', all.watermark).activities).toHaveLength(0);
    expect(hub.since('c1', String(Number(all.watermark) - 1)).activities.map((a) => a.text)).toEqual(['m5']);
  });

  it('streams typing indicators live without keeping them in the history', async () => {
    const hub = new TranscriptHub();
    const { seen, listener } = collector();
    hub.subscribe('c1', listener);
    hub.append('c1', msg('hello'));
    const typingId = hub.append('c1', { type: 'typing' });
    await new Promise((r) => setImmediate(r));
    hub.append('c1', msg('reply'));
    await new Promise((r) => setImmediate(r));
    // What was appended in one turn of the event loop goes out as one set (one WebSocket frame).
    expect(seen.map((s) => s.activities.map((a) => a.type))).toEqual([['message', 'typing'], ['message']]);
    // The typing indicator does not move the watermark; each message does.
    expect(seen.map((s) => s.watermark)).toEqual([
      String(Number(hub.since('c1', undefined).watermark) - 1),
      hub.since('c1', undefined).watermark,
    ]);
    expect(new Set(seen.flatMap((s) => s.activities.map((a) => a.id))).size).toBe(3);
    expect(typingId).toContain('c1|');
    expect(hub.since('c1', undefined).activities.map((a) => a.text)).toEqual(['hello', 'reply']);
  });

  it('drops the least recently used conversation without a stream when full', () => {
    const hub = new TranscriptHub({ maxConversations: 2 });
    hub.append('a', msg('a1'));
    const unsubscribe = hub.subscribe('a', () => undefined);
    hub.append('b', msg('b1'));
    hub.append('c', msg('c1')); // a is the oldest but has a stream, so b goes
    expect(hub.size).toBe(2);
    expect(hub.since('a', undefined).activities).toHaveLength(1);
    unsubscribe();
    hub.append('c', msg('c2'));
    hub.append('d', msg('d1')); // now a is the least recently used and has no stream
    expect(hub.since('c', undefined).activities).toHaveLength(2);
    expect(hub.since('a', undefined).activities).toHaveLength(0);
  });

  it('sweeps idle conversations but never one with a stream, and watermarks never go backwards', async () => {
    const hub = new TranscriptHub({ idleMs: 1000 });
    hub.append('idle', msg('x'));
    const before = hub.since('idle', undefined).watermark;
    hub.subscribe('live', () => undefined);
    expect(hub.sweep(Date.now() + 5000)).toBe(1);
    expect(hub.size).toBe(1);
    // New entries number from the clock, which has moved on by more than one activity per ms.
    await new Promise((r) => setTimeout(r, 5));
    // The client still holds the old watermark; a new entry must continue above it.
    hub.append('idle', msg('y'));
    const after = hub.since('idle', before);
    expect(after.activities.map((a) => a.text)).toEqual(['y']);
    expect(Number(after.watermark)).toBeGreaterThan(Number(before));
  });

  it('sends a late subscriber only what was appended after it subscribed, and nothing after it left', async () => {
    const hub = new TranscriptHub();
    const { seen: early, listener: earlyListener } = collector();
    const { seen: late, listener: lateListener } = collector();
    hub.subscribe('c1', earlyListener);
    hub.append('c1', msg('one'));
    // Subscribes in the same turn of the event loop, after reading the backlog ("one").
    expect(hub.since('c1', undefined).activities.map((a) => a.text)).toEqual(['one']);
    const leave = hub.subscribe('c1', lateListener);
    hub.append('c1', msg('two'));
    await new Promise((r) => setImmediate(r));
    expect(early.flatMap((s) => s.activities.map((a) => a.text))).toEqual(['one', 'two']);
    expect(late.flatMap((s) => s.activities.map((a) => a.text))).toEqual(['two']);
    hub.append('c1', msg('three'));
    leave();
    await new Promise((r) => setImmediate(r));
    expect(late.flatMap((s) => s.activities.map((a) => a.text))).toEqual(['two']);
    expect(early.flatMap((s) => s.activities.map((a) => a.text))).toEqual(['one', 'two', 'three']);
  });

  it('serves the same activities as text and as objects, and updates one in place', () => {
    const hub = new TranscriptHub();
    const first = hub.append('c1', {
      type: 'message',
      text: 'one',
      timestamp: new Date(Date.UTC(2026, 0, 1)),
    });
    hub.append('c1', msg('two'));
    const text = hub.sinceText('c1', undefined);
    expect(text.count).toBe(2);
    expect(JSON.parse(text.json)).toEqual(hub.since('c1', undefined));
    expect(hub.since('c1', undefined).activities[0]).toMatchObject({
      id: first,
      timestamp: '2026-01-01T00:00:00.000Z',
    });
    expect(hub.update('c1', { id: first, text: 'one, edited' })).toBe(true);
    expect(hub.since('c1', undefined).activities.map((a) => a.text)).toEqual(['one, edited', 'two']);
    expect(hub.update('c1', { id: 'c1|nope', text: 'x' })).toBe(false);
  });
});
