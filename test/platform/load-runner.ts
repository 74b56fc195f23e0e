// Chat load on loopback against real processes: N server processes and M `mkt worker` processes on
// one fresh PostgreSQL database and one private redis-server. Each simulated shopper gets its own
// loopback source address, opens a Direct Line conversation on one server (round robin), listens
// on the WebSocket stream, and sends a message, waits for the bot's reply, thinks, and repeats until
// the time is up. Reports throughput, latency percentiles, errors and RSS per process over time.
// Used by `npm run bench -- load` (full size) and by the smoke test (small and short).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrivateRedis } from '../jobs/redis-support.js';
import pg from 'pg';
import { createEmptyPostgresDatabase, POSTGRES_ADMIN_URL } from '../support/db.js';
import { ChildServer, newDataDir, removeDataDir } from '../support/server-process.js';
import { DirectLineConversation, HttpClient, loopbackAddress, prng } from './directline-client.js';
import { percentile, runShoppers } from './shopper-loop.js';

/** What to run. */
export interface LoadOptions {
  conversations: number;
  seconds: number;
  servers: number;
  workers: number;
  /** pause between a reply and the next message, uniformly in [0.5, 1.5] × thinkMs */
  thinkMs: number;
  /** a reply slower than this counts as an error */
  replyTimeoutMs: number;
  /** the first part of the run, left out of the memory-growth figure */
  warmupSeconds: number;
  seed: number;
  /** extra environment of the server processes (the benchmark: the deployed chat warm-up) */
  serverEnv?: Record<string, string>;
  /** run the child processes under nice -n 10 */
  nice?: boolean;
  /** write V8 CPU profiles of the servers' and workers' main threads over the run into this folder */
  cpuProfileDir?: string;
  /**
   * measure each server's live heap (after a forced full GC) when the warm-up ends and when the run
   * ends. Off by default: the collection at the end of the warm-up pauses both servers at once, by
   * up to a few hundred milliseconds with the garbage of the warm-up, which shows in the latency.
   */
  heapProbe?: boolean;
  /** send a message refused with 503 again, as Web Chat does (see ShopperLoopOptions) */
  resendRefused?: boolean;
  progress?: (line: string) => void;
}

/** One reading of a process's memory, `t` seconds into the run. */
export interface MemorySample {
  t: number;
  rssMb: number;
  /** servers only (from /metrics) */
  oldSpaceMb?: number;
  externalMb?: number;
  /** the Direct Line buffer (JSON text of the activities it keeps) and its activity count */
  transcriptMb?: number;
  transcriptActivities?: number;
}

/** Results (JSON-able). */
export interface LoadResult {
  options: Omit<LoadOptions, 'progress'>;
  startupSeconds: number;
  turns: number;
  errors: number;
  errorRate: number;
  errorKinds: Record<string, number>;
  /** messages sent again after a 503 (with `resendRefused`) */
  resent: number;
  throughputPerSecond: number;
  /** Messages sent per second (what the shoppers offered, answered or not). */
  offeredPerSecond: number;
  /** CPU time of all server processes during the run, per answered turn (shared-machine friendly). */
  serverCpuMsPerTurn: number;
  /**
   * Where the machine's CPU went during the run, per answered turn: the server processes, the
   * workers, this process (the simulated shoppers), and the rest of the machine (PostgreSQL, Redis,
   * and anything else running at the time: on a shared machine that part is not ours alone).
   */
  cpuMsPerTurn: {
    servers: number;
    workers: number;
    client: number;
    /** the PostgreSQL backends serving the benchmark's database */
    postgres: number;
    /** the private redis-server */
    redis: number;
    /** everything else on the machine (other PostgreSQL work, other programs) */
    rest: number;
    machine: number;
  };
  /** Latency of the turns that finished after the warm-up (the first `warmupSeconds`). */
  latencyAfterWarmupMs: { p50: number; p95: number; p99: number; max: number };
  /** Turns, p95 and max per 10-second window of the run (where the slow replies happened). */
  latencyBy10sMs: Array<{ from: number; turns: number; p95: number; max: number }>;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  /** error lines the processes logged (first few, message and error text only) */
  serverErrors: { count: number; samples: string[] };
  memory: Array<{
    process: string;
    pid: number;
    rssMbStart: number;
    rssMbAfterWarmup: number;
    rssMbEnd: number;
    rssMbMax: number;
    growthAfterWarmupMb: number;
    /**
     * Least-squares slope of RSS over the second half of the run, in MB per minute: steady-state
     * growth, apart from the warm-up (caches and buffers filling, V8 sizing its heap).
     */
    rssSlopeSecondHalfMbPerMin: number;
    /** live heap (after a full GC) at the end of the warm-up and at the end (heapProbe only) */
    liveHeapMbAfterWarmup?: number;
    liveHeapMbEnd?: number;
    liveHeapGrowthAfterWarmupMb?: number;
    /**
     * Growth of the Direct Line buffer over the same span (servers): bounded by design (the newest
     * 100 activities of at most 5,000 conversations), it fills until every conversation has had
     * 40–50 turns. Live-heap growth beyond it is what the memory verdict judges.
     */
    transcriptGrowthAfterWarmupMb?: number;
    transcriptActivitiesEnd?: number;
    /** CPU seconds (user + system) the process used during the run. */
    cpuSeconds: number;
    /**
     * V8's old generation (where long-lived objects end up; young garbage excluded) and memory
     * outside the V8 heap (buffers, native addons such as the ONNX runtime), as the server's
     * /metrics reports them: their second-half slopes tell a leak from the heap being resized.
     */
    oldSpaceSlopeSecondHalfMbPerMin?: number;
    externalSlopeSecondHalfMbPerMin?: number;
    samples: MemorySample[];
  }>;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  try {
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** Busy CPU seconds of the whole machine so far (every core; idle and iowait left out). */
function machineCpuSeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already inside user and nice)
  const busy = fields[0]! + fields[1]! + fields[2]! + fields[5]! + fields[6]! + (fields[7] ?? 0);
  return busy / CLOCK_TICKS;
}

/** CPU seconds of each process id (NaN when it is gone). */
function cpuByPid(pids: Iterable<number>): Map<number, number> {
  return new Map([...pids].map((pid) => [pid, cpuSeconds(pid)]));
}

/** Process ids of the PostgreSQL backends connected to one database. */
async function backendPids(databaseUrl: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    const name = new URL(databaseUrl).pathname.slice(1);
    const rows = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [
      name,
    ]);
    return rows.rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

/** Process id of the redis-server listening on the port of `url` (found by its command line). */
function redisPid(url: string): number | undefined {
  const port = new URL(url).port;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmd.includes('redis-server') && cmd.includes(port)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/** Least-squares slope of y over t (per unit of t); NaN for fewer than two points. */
function slope(points: ReadonlyArray<{ t: number; y: number }>): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.y - my);
    den += (p.t - mt) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

/** Sends a signal; a process that has already gone is reported by the run's result, not here. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // ESRCH: gone
  }
}

/** Live-heap readings (MB, in order) the process probe wrote for one process. */
function readLiveHeap(dir: string, pid: number): number[] {
  try {
    return readFileSync(join(dir, `${pid}.heap.jsonl`), 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { heapUsedMb: number }).heapUsedMb);
  } catch {
    return [];
  }
}

/** Slope of one memory figure over the samples from `from` seconds on, in MB per minute. */
function slopePerMinute(
  samples: readonly MemorySample[],
  from: number,
  key: 'rssMb' | 'oldSpaceMb' | 'externalMb',
): number {
  const points = samples
    .filter((x) => x.t >= from && typeof x[key] === 'number' && Number.isFinite(x[key]))
    .map((x) => ({ t: x.t, y: x[key]! }));
  return Math.round(slope(points) * 60 * 10) / 10;
}

const MB = 1024 * 1024;

/** Old-generation and external memory of a server, from its Prometheus /metrics (empty if unreadable). */
async function heapFigures(
  url: string,
): Promise<Pick<MemorySample, 'oldSpaceMb' | 'externalMb' | 'transcriptMb' | 'transcriptActivities'>> {
  try {
    const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(1_500) })).text();
    const value = (re: RegExp) => {
      const m = re.exec(text);
      return m ? Math.round((Number(m[1]) / MB) * 10) / 10 : undefined;
    };
    const count = (re: RegExp) => {
      const m = re.exec(text);
      return m ? Number(m[1]) : undefined;
    };
    return {
      oldSpaceMb: value(/^\w*nodejs_heap_space_size_used_bytes\{space="old"\} (\S+)$/m),
      externalMb: value(/^\w*nodejs_external_memory_bytes (\S+)$/m),
      transcriptMb: value(/^\w*webchat_transcript\{figure="bytes"\} (\S+)$/m),
      transcriptActivities: count(/^\w*webchat_transcript\{figure="activities"\} (\S+)$/m),
    };
  } catch {
    return {};
  }
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : NaN;
  } catch {
    return NaN;
  }
}

/** Starts the processes, runs the load, stops everything, and returns the figures. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const say = options.progress ?? (() => undefined);
  const pgdb = await createEmptyPostgresDatabase();
  const redis = await PrivateRedis.start();
  const dirs: string[] = [];
  const processes: Array<{ name: string; child: ChildServer }> = [];
  const started = Date.now();
  try {
    const probeDir =
      options.cpuProfileDir ??
      (options.heapProbe ? mkdtempSync(join(tmpdir(), 'mkt-load-probe-')) : undefined);
    const env = (dir: string) => ({
      DATABASE_URL: pgdb.url,
      REDIS_URL: redis.url,
      DATA_DIR: dir,
      ...(probeDir
        ? {
            NODE_OPTIONS: `--import ${fileURLToPath(new URL('./process-probe.mjs', import.meta.url))}`,
            PROBE_DIR: probeDir,
            PROBE_CPU_PROFILE: options.cpuProfileDir ? '1' : '0',
          }
        : {}),
    });
    // The first server migrates and seeds; the others start after it, against the same database.
    for (let i = 0; i < options.servers; i++) {
      const dir = newDataDir(`load-s${i}`);
      dirs.push(dir);
      say(`starting server ${i + 1}/${options.servers}...`);
      processes.push({
        name: `server-${i + 1}`,
        child: await ChildServer.start({ env: { ...env(dir), ...options.serverEnv }, nice: options.nice }),
      });
    }
    for (let i = 0; i < options.workers; i++) {
      const dir = newDataDir(`load-w${i}`);
      dirs.push(dir);
      say(`starting worker ${i + 1}/${options.workers}...`);
      processes.push({
        name: `worker-${i + 1}`,
        child: await ChildServer.start({ env: env(dir), kind: 'worker', nice: options.nice }),
      });
    }
    const startupSeconds = (Date.now() - started) / 1000;
    const servers = processes.filter((p) => p.name.startsWith('server')).map((p) => p.child);

    say(`opening ${options.conversations} conversations...`);
    const random = prng(options.seed);
    const shoppers = await Promise.all(
      Array.from({ length: options.conversations }, async (_, i) => {
        const c = new DirectLineConversation(
          new HttpClient(servers[i % servers.length]!.url, loopbackAddress(i)),
          `dl_load_${String(i).padStart(5, '0')}`,
        );
        await c.open();
        await c.connectStream();
        return c;
      }),
    );

    const memory = processes.map((p) => ({
      name: p.name,
      pid: p.child.pid!,
      cpuStart: cpuSeconds(p.child.pid!),
      cpuEnd: NaN,
      url: p.name.startsWith('server') ? p.child.url : undefined,
      samples: [] as MemorySample[],
    }));
    // The profiles (if asked for) cover the measured run only, not start-up.
    if (options.cpuProfileDir) for (const p of processes) signal(p.child.pid!, 'SIGUSR2');
    const t0 = Date.now();
    const clientCpuStart = process.cpuUsage();
    const postgresCpuStart = cpuByPid(await backendPids(pgdb.url));
    const redisProcess = redisPid(redis.url);
    const redisCpuStart = redisProcess ? cpuSeconds(redisProcess) : NaN;
    const machineCpuStart = machineCpuSeconds();
    const pendingSamples = new Set<Promise<void>>();
    const sample = () => {
      for (const m of memory) {
        const reading: MemorySample = { t: Math.round((Date.now() - t0) / 100) / 10, rssMb: rssMb(m.pid) };
        m.samples.push(reading);
        if (!m.url) continue;
        const read = heapFigures(m.url).then((figures) => void Object.assign(reading, figures));
        pendingSamples.add(read);
        void read.finally(() => pendingSamples.delete(read));
      }
    };
    sample();
    const sampler = setInterval(sample, 2_000);
    const serverMemory = memory.filter((m) => m.url);
    const liveHeapAt = options.heapProbe
      ? setTimeout(() => {
          for (const m of serverMemory) signal(m.pid, 'SIGWINCH');
        }, options.warmupSeconds * 1000)
      : undefined;
    const run = await runShoppers(shoppers, {
      seconds: options.seconds,
      thinkMs: options.thinkMs,
      replyTimeoutMs: options.replyTimeoutMs,
      random,
      progress: say,
      resendRefused: options.resendRefused,
    });
    const { latencies, errors, errorKinds } = run;
    const elapsed = run.elapsedSeconds;
    clearInterval(sampler);
    clearTimeout(liveHeapAt);
    sample();
    await Promise.all(pendingSamples);
    const liveHeap = new Map<number, number[]>();
    if (options.heapProbe && probeDir) {
      for (const m of serverMemory) signal(m.pid, 'SIGWINCH');
      // The probe appends one line per collection; wait for the one just asked for.
      const deadline = Date.now() + 10_000;
      for (;;) {
        for (const m of serverMemory) liveHeap.set(m.pid, readLiveHeap(probeDir, m.pid));
        const done = serverMemory.every((m) => (liveHeap.get(m.pid)?.length ?? 0) >= 2);
        if (done || Date.now() > deadline) break;
        await new Promise((ok) => setTimeout(ok, 100));
      }
      if (!options.cpuProfileDir) rmSync(probeDir, { recursive: true, force: true });
    }
    for (const m of memory) m.cpuEnd = cpuSeconds(m.pid);
    const clientCpuUsage = process.cpuUsage(clientCpuStart);
    const clientCpu = (clientCpuUsage.user + clientCpuUsage.system) / 1e6;
    const machineCpu = machineCpuSeconds() - machineCpuStart;
    // Backends that started during the run count whole; those that ended during it are lost.
    let postgresCpu = 0;
    for (const [pid, end] of cpuByPid(await backendPids(pgdb.url))) {
      const start = postgresCpuStart.get(pid) ?? 0;
      if (Number.isFinite(end) && Number.isFinite(start)) postgresCpu += end - start;
    }
    const redisCpu = redisProcess ? cpuSeconds(redisProcess) - redisCpuStart : NaN;
    const cpuOf = (prefix: string) =>
      memory.filter((m) => m.name.startsWith(prefix)).reduce((sum, m) => sum + m.cpuEnd - m.cpuStart, 0);
    const serverCpu = cpuOf('server');
    const workerCpu = cpuOf('worker');
    const perTurn = (seconds: number) =>
      Math.round((seconds * 1000 * 10) / Math.max(1, latencies.length)) / 10;
    for (const c of shoppers) {
      c.closeStream();
      c.http.close();
    }

    const logged = processes.flatMap((p) =>
      p.child.errorLines.map((line) => {
        try {
          const e = JSON.parse(line) as { msg?: string; err?: { message?: string; type?: string } | string };
          return `${p.name}: ${e.msg ?? ''}: ${typeof e.err === 'string' ? e.err : (e.err?.message ?? '')}`.slice(
            0,
            300,
          );
        } catch {
          return `${p.name}: ${line.slice(0, 300)}`;
        }
      }),
    );
    const sorted = [...latencies].sort((a, b) => a - b);
    const turns = latencies.length + errors;
    const warm = options.warmupSeconds;
    return {
      options: { ...options, progress: undefined } as Omit<LoadOptions, 'progress'>,
      startupSeconds,
      turns,
      errors,
      errorRate: turns ? errors / turns : 0,
      errorKinds,
      resent: run.resent,
      throughputPerSecond: Math.round((latencies.length / elapsed) * 10) / 10,
      offeredPerSecond: Math.round(run.offeredPerSecond * 10) / 10,
      serverCpuMsPerTurn: perTurn(serverCpu),
      cpuMsPerTurn: {
        servers: perTurn(serverCpu),
        workers: perTurn(workerCpu),
        client: perTurn(clientCpu),
        postgres: perTurn(postgresCpu),
        redis: perTurn(redisCpu),
        rest: perTurn(machineCpu - serverCpu - workerCpu - clientCpu - postgresCpu - (redisCpu || 0)),
        machine: perTurn(machineCpu),
      },
      serverErrors: { count: logged.length, samples: [...new Set(logged)].slice(0, 10) },
      latencyMs: {
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
        max: Math.round(sorted.at(-1) ?? NaN),
        mean: Math.round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
      },
      latencyBy10sMs: Array.from({ length: Math.ceil(elapsed / 10) }, (_, w) => {
        const inWindow = latencies
          .filter((_, i) => Math.floor(run.finishedAtSeconds[i]! / 10) === w)
          .sort((a, b) => a - b);
        return {
          from: w * 10,
          turns: inWindow.length,
          p95: percentile(inWindow, 95),
          max: Math.round(inWindow.at(-1) ?? NaN),
        };
      }),
      latencyAfterWarmupMs: (() => {
        const after = latencies.filter((_, i) => run.finishedAtSeconds[i]! >= warm).sort((a, b) => a - b);
        return {
          p50: percentile(after, 50),
          p95: percentile(after, 95),
          p99: percentile(after, 99),
          max: Math.round(after.at(-1) ?? NaN),
        };
      })(),
      memory: memory.map((m) => {
        const values = m.samples.map((s) => s.rssMb);
        const afterWarmup = m.samples.find((s) => s.t >= warm)?.rssMb ?? values[0]!;
        const end = values.at(-1)!;
        return {
          process: m.name,
          pid: m.pid,
          rssMbStart: values[0]!,
          rssMbAfterWarmup: afterWarmup,
          rssMbEnd: end,
          rssMbMax: Math.max(...values),
          growthAfterWarmupMb: Math.round((end - afterWarmup) * 10) / 10,
          rssSlopeSecondHalfMbPerMin: slopePerMinute(m.samples, options.seconds / 2, 'rssMb'),
          ...(() => {
            const heap = liveHeap.get(m.pid);
            if (!heap || heap.length < 2) return {};
            // The buffer as the samples nearest the two collections saw it
            // (a scrape that timed out on a busy machine has no reading: the nearest one is taken)
            const read = m.samples.filter((x) => x.transcriptMb !== undefined);
            const bufferGrowth =
              (read.at(-1)?.transcriptMb ?? NaN) - (read.find((x) => x.t >= warm)?.transcriptMb ?? NaN);
            return {
              liveHeapMbAfterWarmup: heap[0],
              liveHeapMbEnd: heap.at(-1),
              liveHeapGrowthAfterWarmupMb: Math.round((heap.at(-1)! - heap[0]!) * 10) / 10,
              ...(Number.isFinite(bufferGrowth)
                ? {
                    transcriptGrowthAfterWarmupMb: Math.round(bufferGrowth * 10) / 10,
                    transcriptActivitiesEnd: m.samples.at(-1)?.transcriptActivities,
                  }
                : {}),
            };
          })(),
          cpuSeconds: Math.round((m.cpuEnd - m.cpuStart) * 10) / 10,
          ...(m.url
            ? {
                oldSpaceSlopeSecondHalfMbPerMin: slopePerMinute(m.samples, options.seconds / 2, 'oldSpaceMb'),
                externalSlopeSecondHalfMbPerMin: slopePerMinute(m.samples, options.seconds / 2, 'externalMb'),
              }
            : {}),
          samples: m.samples,
        };
      }),
    };
  } catch (error) {
    for (const p of processes)
      if (!p.child.alive) say(`${p.name} died:\n${p.child.output.slice(-20).join('\n')}`);
    throw error;
  } finally {
    await Promise.all(processes.map((p) => p.child.stop()));
    await redis.destroy();
    await pgdb.drop();
    for (const dir of dirs) removeDataDir(dir);
  }
}
