// `npm run bench -- load [--conversations 200] [--seconds 60] [--servers 2] [--workers 1]
//   [--think-ms 1000] [--warmup 15] [--seed 1] [--heap-probe] [--cpu-prof DIR]`
// 200 concurrent web-chat conversations for 60 s over Direct Line against 2 server processes and
// 1 worker on loopback, one fresh PostgreSQL database and a private redis-server: throughput,
// p50/p95/p99 reply latency, error rate, and RSS per process over time. Bounded in conversations
// and time; loopback only; child processes run under nice -n 10.
import { runLoad } from '../test/platform/load-runner.js';

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`);
  return value;
}

function stringArg(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Runs the load benchmark; progress goes to stderr, the figures are returned. */
export default async function (args: string[]): Promise<object> {
  const conversations = Math.min(arg(args, 'conversations', 200), 1000);
  const seconds = Math.min(arg(args, 'seconds', 60), 600);
  const result = await runLoad({
    conversations,
    seconds,
    servers: Math.max(1, Math.min(arg(args, 'servers', 2), 4)),
    workers: Math.min(arg(args, 'workers', 1), 4),
    thinkMs: arg(args, 'think-ms', 1000),
    replyTimeoutMs: 15_000,
    warmupSeconds: arg(args, 'warmup', 15),
    seed: arg(args, 'seed', 1),
    nice: true,
    cpuProfileDir: stringArg(args, 'cpu-prof'),
    heapProbe: args.includes('--heap-probe'),
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  const targets = {
    zeroErrors: result.errors === 0,
    p95Within250ms: result.latencyMs.p95 <= 250,
    // flat memory: no process grows by more than 10% (or 30 MB) after warm-up
    memoryFlat: result.memory.every((m) => m.growthAfterWarmupMb <= Math.max(30, m.rssMbAfterWarmup * 0.1)),
    // the data the servers keep alive (heap after a full GC) does not grow by more than 5% (or 10 MB)
    // from the end of the warm-up to the end of the run; null when not measured (--heap-probe)
    liveHeapFlat: result.memory.some((m) => m.liveHeapGrowthAfterWarmupMb !== undefined)
      ? result.memory.every(
          (m) =>
            m.liveHeapGrowthAfterWarmupMb === undefined ||
            m.liveHeapGrowthAfterWarmupMb <= Math.max(10, (m.liveHeapMbAfterWarmup ?? 0) * 0.05),
        )
      : null,
  };
  return { ...result, targets };
}
