// File order of `vitest run`: the files that start whole servers go first. Vitest runs the longest
// files first when an earlier run on this checkout recorded durations, and the largest files first
// otherwise (a fresh clone, CI) — but the server tests are short files, so they came last and one
// worker ran a five-minute file alone at the end. Within each weight vitest's own order stands.
import { readFileSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** What a test file imports that makes it slow, heaviest first. */
const WEIGHTS: ReadonlyArray<[RegExp, number]> = [
  // whole servers (`server/main.ts` or `mkt worker` processes, or in-process), with their start-up
  [/\/(server-ground|in-process-server|load-runner|server-process)\.js'/, 3],
  // an in-process chat server, a browser, or profiled demo respondents
  [/\/(chat-server|chromium|demo-profiles)\.js'/, 2],
  // a private redis-server or a child process of the test's own
  [/(PrivateRedis|node:child_process)/, 1],
];

function weight(file: string): number {
  const text = readFileSync(file, 'utf8');
  return Math.max(0, ...WEIGHTS.filter(([pattern]) => pattern.test(text)).map(([, w]) => w));
}

/** Vitest's sequencer with the heavier files moved to the front. */
export class HeavyFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const weights = new Map(sorted.map((f) => [f, weight(f.moduleId)]));
    // Array.prototype.sort is stable: equal weights keep vitest's order.
    return sorted.sort((a, b) => weights.get(b)! - weights.get(a)!);
  }
}
