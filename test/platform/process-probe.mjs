// Preloaded into the load benchmark's server and worker processes (NODE_OPTIONS="--import
// this-file") when the benchmark asks for a CPU profile or the live heap; inert otherwise.
// - PROBE_DIR + CPU profile: node refuses --cpu-prof in NODE_OPTIONS, and a profile from the start
//   would be mostly model loading, so the main thread is profiled through the inspector from
//   SIGUSR2 (sent when the measured run begins) until SIGTERM, and written before shutdown ends.
// - PROBE_DIR + SIGWINCH: a full garbage collection, then the heap still in use is appended to
//   <pid>.heap.jsonl, so growth of live data can be told from garbage not yet collected.
import { appendFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import process from 'node:process';

const dir = process.env.PROBE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  let profiling = false;
  if (process.env.PROBE_CPU_PROFILE === '1') {
    process.on('SIGUSR2', () => {
      if (profiling) return;
      profiling = true;
      session.post('Profiler.enable', () => session.post('Profiler.start'));
    });
    process.prependListener('SIGTERM', () => {
      if (!profiling) return;
      session.post('Profiler.stop', (error, result) => {
        if (!error) writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
      });
    });
  }
  process.on('SIGWINCH', () => {
    session.post('HeapProfiler.collectGarbage', () => {
      const { heapUsed, external } = process.memoryUsage();
      const line = {
        at: Date.now(),
        heapUsedMb: Math.round(heapUsed / 104857.6) / 10,
        externalMb: Math.round(external / 104857.6) / 10,
      };
      appendFileSync(join(dir, `${process.pid}.heap.jsonl`), `${JSON.stringify(line)}\n`);
    });
  });
}
