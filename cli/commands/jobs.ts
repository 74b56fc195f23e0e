import type { Command } from 'commander';
import {
  createBullmqQueue,
  jobDefinitions,
  type FailedJob,
  type JobQueue,
  type ProductJobs,
} from '../../jobs/index.js';
import { loadConfig, startWorkerProcess } from '../../server/index.js';
import { CliError, numberOption, printResult } from '../output.js';

async function withQueue<T>(prefix: string, work: (queue: JobQueue<ProductJobs>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  if (!config.REDIS_URL) {
    throw new CliError(
      'no REDIS_URL: the embedded job queue lives inside the server process; set REDIS_URL, or use GET /api/admin/v1/jobs/failed',
    );
  }
  const queue = await createBullmqQueue({
    definitions: jobDefinitions,
    redisUrl: config.REDIS_URL,
    prefix,
    connectTimeoutMs: 5_000,
  });
  try {
    return await work(queue);
  } finally {
    await queue.close({ timeoutMs: 2_000 });
  }
}

function formatFailed(jobs: FailedJob[]): string {
  if (jobs.length === 0) return 'no failed jobs';
  return jobs
    .map((job) => `${job.failedAt.toISOString()}  ${job.id}  (${job.attemptsMade} attempts)  ${job.reason}`)
    .join('\n');
}

/** `mkt jobs failed | retry | discard` and `mkt worker`. */
export function register(program: Command): void {
  const jobs = program
    .command('jobs')
    .description('background jobs in Redis: list failed jobs, retry or discard them');
  const prefixOption = ['--prefix <prefix>', 'Redis key prefix of the deployment', 'mkt'] as const;

  jobs
    .command('failed')
    .description('list jobs that exhausted their attempts, newest first')
    .option('--limit <n>', 'most jobs to list', '100')
    .option(...prefixOption)
    .option('--json', 'print the result as JSON')
    .action(async (opts: { limit: string; prefix: string; json?: boolean }) => {
      const limit = numberOption('limit', opts.limit);
      const failed = await withQueue(opts.prefix, (queue) => queue.failed(limit));
      printResult(failed, opts.json, formatFailed);
    });

  for (const verb of ['retry', 'discard'] as const) {
    jobs
      .command(`${verb} <id>`)
      .description(
        verb === 'retry' ? 'put a failed job back in the queue with fresh attempts' : 'delete a failed job',
      )
      .option(...prefixOption)
      .option('--json', 'print the result as JSON')
      .action(async (id: string, opts: { prefix: string; json?: boolean }) => {
        await withQueue(opts.prefix, async (queue) => {
          try {
            await queue[verb](id);
          } catch (error) {
            const code = (error as { code?: string }).code;
            if (code === 'JOB_NOT_FOUND' || code === 'JOB_NOT_FAILED')
              throw new CliError((error as Error).message);
            throw error;
          }
        });
        printResult(
          { id, [verb === 'retry' ? 'retried' : 'discarded']: true },
          opts.json,
          () => `${verb === 'retry' ? 'retried' : 'discarded'} ${id}`,
        );
      });
  }

  program
    .command('worker')
    .description('run job workers in this process (needs REDIS_URL); Ctrl-C drains running jobs and stops')
    .option(...prefixOption)
    .option('--drain-timeout <ms>', 'longest wait for running jobs at shutdown', '30000')
    .action(async (opts: { prefix: string; drainTimeout: string }) => {
      const config = loadConfig();
      if (!config.REDIS_URL)
        throw new CliError('mkt worker needs REDIS_URL (without it the server runs jobs itself)');
      const drainTimeout = numberOption('drain-timeout', opts.drainTimeout);
      const worker = await startWorkerProcess({ prefix: opts.prefix, config });
      const { logger } = worker.platform;
      logger.info({ jobs: worker.names, prefix: opts.prefix }, 'worker started');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      logger.info({}, 'worker stopping: draining running jobs');
      await worker.stop(drainTimeout);
      logger.info({}, 'worker stopped');
    });
}
