// What a simulated shopper does in the chat and load benchmarks: say the next message, wait for the
// bot's reply to it on the stream, think, repeat until the time is up. A conversation is a person,
// and people pause between messages, so the pause (think time) is a parameter; with 0 the loop is
// closed and measures saturation throughput instead of latency at a given offered rate.
import type { DirectLineConversation } from './directline-client.js';

/** The messages shoppers send, each shopper starting at a different one. */
export const SHOPPER_MESSAGES = [
  'hi',
  'I need a warm jacket under 100',
  'more like this',
  'anything cheaper?',
  'what would you recommend for me',
  'show me waterproof boots below $80',
  'what goes with it',
  'help',
  'do you sell yoga mats',
  'thanks!',
] as const;

/** How the shoppers behave. */
export interface ShopperLoopOptions {
  seconds: number;
  /** Pause after a reply, uniformly in [0.5, 1.5] × thinkMs; 0 posts again at once. */
  thinkMs: number;
  /** A reply slower than this counts as an error. */
  replyTimeoutMs: number;
  /** Seeded random numbers in [0, 1). */
  random: () => number;
  /** Called every 10 s with the running totals. */
  progress?: (line: string) => void;
  /**
   * Send a message refused with 503 again, as the Web Chat client does after Retry-After (nothing of
   * a refused message is kept): counted in `resent`, not as an error. Off in the benchmarks, where a
   * refusal is an error; on in the smoke test, where a loaded machine's slow database is not one.
   */
  resendRefused?: boolean;
}

/** What the shoppers measured. */
export interface ShopperLoopResult {
  /** Reply latencies in ms (POST sent → reply on the stream), in completion order. */
  latencies: number[];
  /** When each latency's turn finished, in seconds since the start (same order as `latencies`). */
  finishedAtSeconds: number[];
  errors: number;
  errorKinds: Record<string, number>;
  elapsedSeconds: number;
  /** Messages sent per second (answered or not). */
  offeredPerSecond: number;
  /** Messages sent again after a 503 (with `resendRefused`). */
  resent: number;
}

/** Runs every shopper until the time is up and returns the latencies and errors. */
export async function runShoppers(
  shoppers: readonly DirectLineConversation[],
  options: ShopperLoopOptions,
): Promise<ShopperLoopResult> {
  const latencies: number[] = [];
  const finishedAtSeconds: number[] = [];
  const errorKinds: Record<string, number> = {};
  let errors = 0;
  let sent = 0;
  let resent = 0;
  const fail = (kind: string) => {
    errors++;
    errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
  };
  const t0 = Date.now();
  const deadline = t0 + options.seconds * 1000;
  const progress = setInterval(
    () =>
      options.progress?.(
        `  ${Math.round((Date.now() - t0) / 1000)} s: ${latencies.length} turns, ${errors} errors`,
      ),
    10_000,
  );
  const think = () =>
    options.thinkMs > 0
      ? new Promise((ok) => setTimeout(ok, options.thinkMs * (0.5 + options.random())))
      : undefined;
  try {
    await Promise.all(
      shoppers.map(async (c, i) => {
        // Spread the first messages over one think time so the run does not start with a burst.
        if (options.thinkMs > 0)
          await new Promise((ok) => setTimeout(ok, options.random() * options.thinkMs));
        let n = i;
        while (Date.now() < deadline) {
          const text = SHOPPER_MESSAGES[n++ % SHOPPER_MESSAGES.length]!;
          const from = c.botMessages().length;
          const start = performance.now();
          sent++;
          try {
            const id = await sayResending(c, text, options, () => resent++);
            const reply = await c.waitForBot(
              (a) => a.replyToId === id && a.type === 'message',
              from,
              options.replyTimeoutMs,
              1_000,
            );
            latencies.push(performance.now() - start);
            finishedAtSeconds.push((Date.now() - t0) / 1000);
            if (/something went wrong/i.test(reply.text ?? '')) fail('bot error reply');
          } catch (error) {
            const message = String(error);
            fail(
              /HTTP (\d+)/.exec(message)?.[0] ??
                (/no matching bot message/.test(message) ? 'reply timeout' : message.slice(0, 80)),
            );
          }
          await think();
        }
      }),
    );
  } finally {
    clearInterval(progress);
  }
  const elapsedSeconds = (Date.now() - t0) / 1000;
  return {
    latencies,
    finishedAtSeconds,
    errors,
    errorKinds,
    elapsedSeconds,
    offeredPerSecond: sent / elapsedSeconds,
    resent,
  };
}

/** Posts a message; with `resendRefused`, a 503 is sent again a second later (up to 30 times). */
async function sayResending(
  c: DirectLineConversation,
  text: string,
  options: ShopperLoopOptions,
  onResend: () => void,
): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await c.say(text, options.replyTimeoutMs);
    } catch (error) {
      if (!options.resendRefused || attempt >= 30 || !/HTTP 503/.test(String(error))) throw error;
      onResend();
      // Retry-After is 1 s (busy) or 5 s (database down, probed every second): one second suffices.
      await new Promise((ok) => setTimeout(ok, 1_000));
    }
  }
}

/** The p-th percentile of ascending values, rounded to 0.1. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
}
