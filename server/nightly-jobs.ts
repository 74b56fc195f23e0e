// The data jobs every server process schedules once a day. Every process runs the same schedule:
// the job id carries the day ("rules.mine-2026-12-05"), so each runs once per day whichever process
// queues it first. Each schedule also ticks when the process starts, that is after the demo seed
// (server/start.ts), so seeded orders are mined into rules on the first start.
import type { Logger } from 'pino';
import { scheduleDaily, type JobQueue, type ProductJobs, type Schedule } from '../jobs/index.js';

/** Schedules retention, the survey sweep, segments and the bought-together rules; one stop for all. */
export function scheduleNightlyJobs(
  jobs: Pick<JobQueue<ProductJobs>, 'enqueue'>,
  logger: Pick<Logger, 'warn'>,
  options: { now?: () => Date } = {},
): Schedule {
  const warn = (what: string) => ({
    ...options,
    onError: (err: unknown) => logger.warn({ err }, `${what} schedule`),
  });
  const schedules = [
    scheduleDaily(jobs, 'retention.purge', {}, warn('retention')),
    scheduleDaily(jobs, 'surveys.sweep-abandoned', {}, warn('survey sweep')),
    // The rule segments are re-evaluated (new customers, changed profiles and orders).
    scheduleDaily(jobs, 'segments.recompute', { reason: 'nightly' }, warn('segments')),
    // The orders of the day change what is bought together.
    scheduleDaily(jobs, 'rules.mine', { reason: 'nightly' }, warn('rules')),
  ];
  return { stop: () => schedules.forEach((s) => s.stop()) };
}
