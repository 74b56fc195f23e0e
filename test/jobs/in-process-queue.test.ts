import { describe, expect, it } from 'vitest';
import { createInProcessQueue } from '../../jobs/index.js';
import { contractJobs, describeJobQueueContract, waitFor } from './job-queue-contract.js';

describeJobQueueContract('in-process', async () => createInProcessQueue({ definitions: contractJobs }));

describe('in-process queue specifics', () => {
  it('runs jobs already queued before close resolves (nothing else would keep them)', async () => {
    const queue = createInProcessQueue({ definitions: contractJobs });
    const done: number[] = [];
    await queue.process({ 'test.echo': async (payload) => void done.push(payload.n) });
    for (let n = 0; n < 20; n++) await queue.enqueue('test.echo', { n });
    await queue.close();
    expect(done.sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });

  it('forgets the oldest finished ids beyond its memory, so memory stays bounded', async () => {
    const queue = createInProcessQueue({ definitions: contractJobs, rememberCompleted: 2 });
    let runs = 0;
    await queue.process({ 'test.echo': async () => void (runs += 1) });
    for (const id of ['a', 'b', 'c']) await queue.enqueue('test.echo', { n: 1 }, { jobId: id });
    await waitFor(() => runs === 3);
    await queue.enqueue('test.echo', { n: 1 }, { jobId: 'c' });
    await queue.enqueue('test.echo', { n: 1 }, { jobId: 'a' });
    await waitFor(() => runs === 4);
    await queue.close();
    expect(runs).toBe(4);
  });
});
