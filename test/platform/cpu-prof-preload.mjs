// Preloaded into the load benchmark's server and worker processes by `--cpu-prof DIR`
// (NODE_OPTIONS="--import this-file", with CPU_PROF_DIR set). node refuses --cpu-prof in
// NODE_OPTIONS, and a profile from the start would be mostly model loading, so the main thread is
// profiled through the inspector from SIGUSR2 (sent when the measured run begins) until SIGTERM,
// and the profile is written before the process's own shutdown finishes.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import process from 'node:process';

const dir = process.env.CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  let running = false;
  process.on('SIGUSR2', () => {
    if (running) return;
    running = true;
    session.post('Profiler.enable', () => session.post('Profiler.start'));
  });
  process.prependListener('SIGTERM', () => {
    if (!running) return;
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
