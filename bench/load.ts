// `npm run bench -- load [--runs 3] [--conversations 200] [--seconds 60] [--servers 2] [--workers 1]
//   [--think-ms 1000] [--warmup 15] [--seed 1] [--no-heap-probe] [--cpu-prof DIR]`
// 200 concurrent web-chat conversations for 60 s over Direct Line against 2 server processes and
// 1 worker on loopback, one fresh PostgreSQL database and a private redis-server: throughput,
// p50/p95/p99 reply latency, error rate, CPU per turn and memory per process over time. Bounded in
// conversations and time; loopback only; child processes run under nice -n 10.
// A published figure is the median of `--runs` runs (default 3, each on fresh processes and a
// fresh database, one after another), reported with the machine's load average around each run:
// on a shared machine one run says little. The memory verdict is judged on the servers' live heap
// after a forced full GC, less the growth of the Direct Line buffer, which is bounded by design.
import { cpus, loadavg } from 'node:os';
import { DEFAULT_CHAT_WARM_UP_SENTENCES } from '../server/config.js';
import { runLoad, type LoadResult } from '../test/platform/load-runner.js';

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

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

function median(values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The machine's 1-, 5- and 15-minute load averages. */
const loadAverage = () => loadavg().map((x) => round(x, 2));

/**
 * Memory of one server judged after a forced full GC: growth of the live heap from the end of the
 * warm-up to the end, less what the Direct Line buffer grew meanwhile (it fills up to its bound
 * and stays there); what is left must stay within 5 % of the live heap (or 10 MB).
 */
function memoryVerdict(m: LoadResult['memory'][number]) {
  if (m.liveHeapGrowthAfterWarmupMb === undefined) return undefined;
  const unexplainedMb = round(m.liveHeapGrowthAfterWarmupMb - (m.transcriptGrowthAfterWarmupMb ?? 0));
  const allowedMb = round(Math.max(10, (m.liveHeapMbAfterWarmup ?? 0) * 0.05));
  return {
    process: m.process,
    liveHeapGrowthMb: m.liveHeapGrowthAfterWarmupMb,
    boundedBufferGrowthMb: m.transcriptGrowthAfterWarmupMb ?? null,
    unexplainedGrowthMb: unexplainedMb,
    allowedMb,
    bounded: unexplainedMb <= allowedMb,
  };
}

/** The targets of one run. */
function targetsOf(result: LoadResult) {
  const memory = result.memory.map(memoryVerdict).filter((v) => v !== undefined);
  return {
    zeroErrors: result.errors === 0,
    p95Within250ms: result.latencyMs.p95 <= 250,
    // null when the live heap was not measured (--no-heap-probe): RSS alone cannot tell a leak
    // from V8 resizing its heap, so it is reported but not judged
    memoryBounded: memory.length > 0 ? memory.every((v) => v.bounded) : null,
    memory,
  };
}

/** Runs the load benchmark `--runs` times; progress goes to stderr, the figures are returned. */
export default async function (args: string[]): Promise<object> {
  const runs = Math.max(1, Math.min(arg(args, 'runs', 3), 9));
  const options = {
    conversations: Math.min(arg(args, 'conversations', 200), 1000),
    seconds: Math.min(arg(args, 'seconds', 60), 600),
    servers: Math.max(1, Math.min(arg(args, 'servers', 2), 4)),
    workers: Math.min(arg(args, 'workers', 1), 4),
    thinkMs: arg(args, 'think-ms', 1000),
    replyTimeoutMs: 15_000,
    warmupSeconds: arg(args, 'warmup', 15),
    seed: arg(args, 'seed', 1),
    nice: true,
    // the servers warm up as deployed (the test servers' default is shorter): latency is judged here
    serverEnv: { CHAT_WARM_UP_SENTENCES: String(DEFAULT_CHAT_WARM_UP_SENTENCES) },
    cpuProfileDir: stringArg(args, 'cpu-prof'),
    heapProbe: !args.includes('--no-heap-probe'),
  };
  const results: Array<{ loadAverage: { start: number[]; end: number[] }; result: LoadResult }> = [];
  for (let run = 1; run <= runs; run++) {
    const say = (line: string) => process.stderr.write(`[run ${run}/${runs}] ${line}\n`);
    const start = loadAverage();
    const result = await runLoad({ ...options, progress: say });
    results.push({ loadAverage: { start, end: loadAverage() }, result });
    say(
      `${result.throughputPerSecond} turns/s, p95 ${result.latencyMs.p95} ms, ${result.errors} errors, load ${start[0]} -> ${loadAverage()[0]}`,
    );
  }
  const of = (pick: (r: LoadResult) => number) => round(median(results.map((r) => pick(r.result))));
  const perRun = results.map(({ loadAverage, result }) => ({
    loadAverage,
    ...result,
    targets: targetsOf(result),
  }));
  return {
    runs,
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
    // 1-minute load average before the first run and after the last, and the highest seen between
    loadAverage: {
      start: results[0]!.loadAverage.start[0],
      end: results.at(-1)!.loadAverage.end[0],
      max: Math.max(...results.flatMap((r) => [r.loadAverage.start[0]!, r.loadAverage.end[0]!])),
    },
    median: {
      throughputPerSecond: of((r) => r.throughputPerSecond),
      offeredPerSecond: of((r) => r.offeredPerSecond),
      errors: of((r) => r.errors),
      latencyMs: {
        p50: of((r) => r.latencyMs.p50),
        p95: of((r) => r.latencyMs.p95),
        p99: of((r) => r.latencyMs.p99),
      },
      latencyAfterWarmupMs: { p95: of((r) => r.latencyAfterWarmupMs.p95) },
      serverCpuMsPerTurn: of((r) => r.serverCpuMsPerTurn),
      postgresCpuMsPerTurn: of((r) => r.cpuMsPerTurn.postgres),
      unexplainedLiveHeapGrowthMb: round(
        median(perRun.flatMap((r) => r.targets.memory.map((m) => m.unexplainedGrowthMb))),
      ),
    },
    targets: {
      zeroErrors: perRun.every((r) => r.targets.zeroErrors),
      p95Within250ms: median(perRun.map((r) => r.latencyMs.p95)) <= 250,
      memoryBounded: perRun.some((r) => r.targets.memoryBounded === null)
        ? null
        : perRun.every((r) => r.targets.memoryBounded),
    },
    perRun,
  };
}
