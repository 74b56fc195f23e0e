// Summarises V8 .cpuprofile files (written by `node --cpu-prof`) by self time: which functions and
// which files the CPU went to. Used by the load benchmark's `--cpu-prof DIR` option, and on its own:
//   npx tsx test/platform/cpu-profile.ts FILE.cpuprofile [more files...] [--top 30]
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Self time per function and per file, in ms, largest first. */
export interface ProfileSummary {
  totalMs: number;
  /** time not spent in JavaScript or native code the profiler attributes (the event loop waiting) */
  idleMs: number;
  byFunction: Array<{ name: string; ms: number; share: number }>;
  byFile: Array<{ file: string; ms: number; share: number }>;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function fileOf(url: string): string {
  if (!url) return '(native)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    // node_modules/@scope/pkg/... or node_modules/pkg/...: the package is the unit
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return `npm:${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  return path.startsWith(ROOT) ? relative(ROOT, path) : path;
}

/** Reads profiles and adds their self time up by function and by file. */
export function summariseProfiles(files: readonly string[], top = 30): ProfileSummary {
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    // Each sample is charged the time delta that follows it (the usual convention).
    for (let i = 0; i < profile.samples.length; i++) {
      const node = nodes.get(profile.samples[i]!)!;
      const us = profile.timeDeltas[i + 1] ?? 0;
      totalUs += us;
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === '(idle)') {
        idleUs += us;
        continue;
      }
      const f = fileOf(url);
      const name = `${functionName || '(anonymous)'} ${f}${url ? `:${lineNumber + 1}` : ''}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + us);
      byFile.set(f, (byFile.get(f) ?? 0) + us);
    }
  }
  const busyUs = totalUs - idleUs;
  const rank = <K extends string>(m: Map<string, number>, key: K) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([k, us]) =>
          ({ [key]: k, ms: Math.round(us / 100) / 10, share: Math.round((us / busyUs) * 1000) / 10 }) as {
            [P in K]: string;
          } & { ms: number; share: number },
      );
  return {
    totalMs: Math.round(totalUs / 1000),
    idleMs: Math.round(idleUs / 1000),
    byFunction: rank(byFunction, 'name'),
    byFile: rank(byFile, 'file'),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const t = args.indexOf('--top');
  const top = t >= 0 ? Number(args[t + 1]) : 30;
  const files = args.filter((a, i) => a !== '--top' && (t < 0 || i !== t + 1));
  const s = summariseProfiles(files, top);
  process.stdout.write(
    `total ${s.totalMs} ms, idle ${s.idleMs} ms, busy ${s.totalMs - s.idleMs} ms\n\nby file (self, % of busy)\n`,
  );
  for (const r of s.byFile)
    process.stdout.write(`${String(r.ms).padStart(9)} ms ${String(r.share).padStart(5)}%  ${r.file}\n`);
  process.stdout.write('\nby function\n');
  for (const r of s.byFunction)
    process.stdout.write(`${String(r.ms).padStart(9)} ms ${String(r.share).padStart(5)}%  ${r.name}\n`);
}
