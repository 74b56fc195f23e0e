// Handoff metrics for Prometheus. Figures that several processes share (handoffs per day, share
// resolved, waiting now) are read from the database at scrape time, so every process reports the
// same; the time to the first agent reply is a histogram each process observes as replies come.
import { Gauge, Histogram, type Registry } from 'prom-client';
import type { HandoffStats } from '../../bots/index.js';

const DAY_MS = 24 * 3600 * 1000;

/** Registers the gauges and returns the first-reply observer. */
export function registerHandoffMetrics(
  registry: Registry,
  stats: (since: Date) => Promise<HandoffStats>,
  prefix = 'mkt_',
): { observeFirstReply(seconds: number): void } {
  const firstReply = new Histogram({
    name: `${prefix}handoff_first_reply_seconds`,
    help: 'Time from a handoff opening to the first agent reply',
    buckets: [10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200],
    registers: [registry],
  });
  // One read serves the gauges of one scrape.
  let pending: { at: number; value: Promise<[HandoffStats, HandoffStats]> } | null = null;
  const read = () => {
    if (!pending || Date.now() - pending.at > 1_000) {
      const now = Date.now();
      pending = {
        at: now,
        value: Promise.all([stats(new Date(now - DAY_MS)), stats(new Date(now - 7 * DAY_MS))]),
      };
    }
    return pending.value;
  };
  new Gauge({
    name: `${prefix}handoffs_opened_last_day`,
    help: 'Handoffs opened in the last 24 hours',
    registers: [registry],
    async collect() {
      this.set((await read().catch(() => null))?.[0].opened ?? NaN);
    },
  });
  new Gauge({
    name: `${prefix}handoffs_active`,
    help: 'Handoffs now waiting for a person (open) or being answered (claimed)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const day = (await read().catch(() => null))?.[0];
      this.set({ state: 'open' }, day?.waiting ?? NaN);
      this.set({ state: 'claimed' }, day?.claimed ?? NaN);
    },
  });
  new Gauge({
    name: `${prefix}handoffs_resolved_share_7d`,
    help: 'Of the handoffs closed in the last 7 days, the share an agent answered before the close',
    registers: [registry],
    async collect() {
      this.set((await read().catch(() => null))?.[1].resolvedShare ?? NaN);
    },
  });
  return { observeFirstReply: (seconds) => firstReply.observe(seconds) };
}
