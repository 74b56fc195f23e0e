// Chat load on loopback against real processes: N server processes and M `mkt worker` processes on
// one fresh PostgreSQL database and one private redis-server. Each simulated shopper gets its own
// loopback source address, opens a Direct Line conversation on one server (round robin), listens
// on the WebSocket stream, and sends a message, waits for the bot's reply, thinks, and repeats until
// the time is up. Reports throughput, latency percentiles, errors and RSS per process over time.
// Used by `npm run bench -- load` (full size) and by the smoke test (small and short).
import { readdirSync, readFileSync } from 'node:fs';
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
  /** run the child processes under nice -n 10 */
  nice?: boolean;
  /** write V8 CPU profiles of the server and worker processes (and their threads) into this folder */
  cpuProfileDir?: string;
  progress?: (line: string) => void;
}

/** Results (JSON-able). */
export interface LoadResult {
  options: Omit<LoadOptions, 'progress'>;
  startupSeconds: number;
  turns: number;
  errors: number;
  errorRate: number;
  errorKinds: Record<string, number>;
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
    /** CPU seconds (user + system) the process used during the run. */
    cpuSeconds: number;
    samples: Array<{ t: number; rssMb: number }>;
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
    const env = (dir: string) => ({
      DATABASE_URL: pgdb.url,
      REDIS_URL: redis.url,
      DATA_DIR: dir,
      ...(options.cpuProfileDir
        ? {
            NODE_OPTIONS: `--import ${fileURLToPath(new URL('./cpu-prof-preload.mjs', import.meta.url))}`,
            CPU_PROF_DIR: options.cpuProfileDir,
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
        child: await ChildServer.start({ env: env(dir), nice: options.nice }),
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
      samples: [] as Array<{ t: number; rssMb: number }>,
    }));
    // The profiles (if asked for) cover the measured run only, not start-up.
    if (options.cpuProfileDir) for (const p of processes) process.kill(p.child.pid!, 'SIGUSR2');
    const t0 = Date.now();
    const clientCpuStart = process.cpuUsage();
    const postgresCpuStart = cpuByPid(await backendPids(pgdb.url));
    const redisProcess = redisPid(redis.url);
    const redisCpuStart = redisProcess ? cpuSeconds(redisProcess) : NaN;
    const machineCpuStart = machineCpuSeconds();
    const sample = () => {
      for (const m of memory)
        m.samples.push({ t: Math.round((Date.now() - t0) / 100) / 10, rssMb: rssMb(m.pid) });
    };
    sample();
    const sampler = setInterval(sample, 2_000);
    const run = await runShoppers(shoppers, {
      seconds: options.seconds,
      thinkMs: options.thinkMs,
      replyTimeoutMs: options.replyTimeoutMs,
      random,
      progress: say,
    });
    const { latencies, errors, errorKinds } = run;
    const elapsed = run.elapsedSeconds;
    clearInterval(sampler);
    sample();
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
    const perTurn = (seconds: number) => Math.round((seconds * 1000 * 10) / Math.max(1, latencies.length)) / 10;
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
      latencyAfterWarmupMs: (() => {
        const after = latencies
          .filter((_, i) => run.finishedAtSeconds[i]! >= warm)
          .sort((a, b) => a - b);
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
          rssSlopeSecondHalfMbPerMin:
            Math.round(
              slope(m.samples.filter((x) => x.t >= options.seconds / 2).map((x) => ({ t: x.t, y: x.rssMb }))) *
                60 *
                10,
            ) / 10,
          cpuSeconds: Math.round((m.cpuEnd - m.cpuStart) * 10) / 10,
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
