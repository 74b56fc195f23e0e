// Chat load on loopback against real processes: N server processes and M `mkt worker` processes on
// one fresh PostgreSQL database and one private redis-server. Each simulated shopper gets its own
// loopback source address, opens a Direct Line conversation on one server (round robin), listens
// on the WebSocket stream, and sends a message, waits for the bot's reply, thinks, and repeats until
// the time is up. Reports throughput, latency percentiles, errors and RSS per process over time.
// Used by `npm run bench -- load` (full size) and by the smoke test (small and short).
import { readFileSync } from 'node:fs';
import { PrivateRedis } from '../jobs/redis-support.js';
import { createEmptyPostgresDatabase } from '../support/db.js';
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
    const env = (dir: string) => ({ DATABASE_URL: pgdb.url, REDIS_URL: redis.url, DATA_DIR: dir });
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
    const t0 = Date.now();
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
    const serverCpu = memory
      .filter((m) => m.name.startsWith('server'))
      .reduce((sum, m) => sum + m.cpuEnd - m.cpuStart, 0);
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
      serverCpuMsPerTurn: Math.round((serverCpu * 1000 * 10) / Math.max(1, latencies.length)) / 10,
      serverErrors: { count: logged.length, samples: [...new Set(logged)].slice(0, 10) },
      latencyMs: {
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
        max: Math.round(sorted.at(-1) ?? NaN),
        mean: Math.round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
      },
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
