// `npm run bench -- conversations [--db postgres|pglite] [--group NAME] [--split tune|validation]
//   [--concurrency 4] [--failures]`
// Scripted multi-turn conversations (bench/conversations/*.yml, one file per group) run end to end
// through Direct Line against a started chat server: the real dialog, NLU, product index and
// database. Each case has machine-checkable expectations (what the bot did, the products' type,
// colour, size and price, the survey started, consent unchanged, no empty buttons). Prints task
// success overall, per split (tune / held-out validation) and per group, and the failed cases.
import { startChatServer } from '../test/bots/chat-server.js';
import { loadCases } from '../test/bots/conversation-cases.js';
import { runCases, summarise } from '../test/bots/conversation-runner.js';

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Runs the benchmark. */
export default async function (args: string[]): Promise<object> {
  const group = arg(args, 'group');
  const split = arg(args, 'split');
  const cases = loadCases().filter((c) => (!group || c.group === group) && (!split || c.split === split));
  const db = (arg(args, 'db') ?? 'postgres') as 'postgres' | 'pglite';
  process.stderr.write(`starting server (${db}); ${cases.length} conversations...\n`);
  const server = await startChatServer(db);
  try {
    const started = Date.now();
    let done = 0;
    const results = await runCases(
      cases,
      { url: server.url, prisma: server.db.prisma },
      {
        concurrency: Number(arg(args, 'concurrency') ?? 4),
        progress: (r) => {
          done++;
          if (!r.ok) process.stderr.write(`FAIL ${r.group}/${r.id}: ${r.failure}\n`);
          if (done % 25 === 0) process.stderr.write(`${done}/${cases.length}\n`);
        },
      },
    );
    const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const at = (q: number) =>
      Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN) * 10) /
      10;
    const summary = summarise(results);
    return {
      benchmark: 'scripted conversations through Direct Line (real dialog, NLU, index, database)',
      database: db,
      conversations: cases.length,
      turns: latencies.length,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      ...summary,
      turnLatencyMs: { p50: at(0.5), p95: at(0.95) },
      target: { validationTaskSuccess: 0.95, met: (summary.validation.taskSuccess ?? 0) >= 0.95 },
      failures: results
        .filter((r) => !r.ok)
        .map((r) => ({ id: r.id, group: r.group, split: r.split, failure: r.failure })),
    };
  } finally {
    await server.close();
  }
}
