// Short version of `npm run bench -- load`: 20 web-chat conversations for 10 s against a real
// server process and a `mkt worker`, on PostgreSQL and a private redis-server. Proves the load
// path works end to end (zero errors, every turn answered, memory sampled); the timing targets are
// the benchmark's business.
import { describe, expect, it } from 'vitest';
import { runLoad } from './load-runner.js';

describe('load smoke test', () => {
  it('20 conversations × 10 s: every message answered, no errors', async () => {
    const result = await runLoad({
      conversations: 20,
      seconds: 10,
      servers: 1,
      workers: 1,
      thinkMs: 500,
      // a hang, not a slow turn: a loaded CI machine answers in seconds what takes milliseconds here
      replyTimeoutMs: 120_000,
      warmupSeconds: 3,
      seed: 7,
      heapProbe: true,
      // At load 17 the server refused 17 of 62 messages with 503 + Retry-After (a turn whose database
      // waits run past their timeouts makes the chat refuse messages until a probe answers). Web Chat
      // sends them again; so do these shoppers, and only a message refused 30 times running is an error.
      resendRefused: true,
    });
    console.log(JSON.stringify({ ...result, memory: result.memory.map(({ samples: _s, ...m }) => m) }));
    expect(result.errorKinds).toEqual({});
    expect(result.errors).toBe(0);
    // every conversation got answers (20 shoppers, 10 s, 0.25–0.75 s think time)
    expect(result.turns).toBeGreaterThanOrEqual(20);
    expect(result.latencyMs.p50).toBeGreaterThan(0);
    expect(result.memory.map((m) => m.process)).toEqual(['server-1', 'worker-1']);
    for (const m of result.memory) expect(m.rssMbEnd).toBeGreaterThan(10);
    // What the benchmark's memory verdict stands on: the server's live heap after a forced GC at
    // the end of the warm-up and at the end.
    const server = result.memory[0]!;
    expect(server.liveHeapMbAfterWarmup).toBeGreaterThan(10);
    expect(server.liveHeapMbEnd).toBeGreaterThan(10);
  }, 600_000);
});
