// The encoder on a worker thread gives the same vectors as the encoder in process, keeps repeated
// texts on the main thread, and fails clearly once disposed; disposing it mid-run does not abort the
// process.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEncoder, type SentenceEncoder } from '../../nlu/index.js';
import { createThreadedEncoder } from '../../server/nlu-thread/threaded-encoder.js';

describe('threaded sentence encoder', () => {
  let local: SentenceEncoder;
  let threaded: SentenceEncoder;

  beforeAll(async () => {
    [local, threaded] = await Promise.all([createEncoder('use-lite'), createThreadedEncoder('use-lite')]);
  }, 300_000);
  afterAll(async () => {
    await local?.dispose();
  });

  it('embeds like the in-process encoder, in order, duplicates included', async () => {
    const texts = ['I need a warm jacket under 100', 'hi', '', 'I need a warm jacket under 100', 'thanks!'];
    const [a, b] = await Promise.all([local.embed(texts), threaded.embed(texts)]);
    expect(threaded.id).toBe(local.id);
    expect(threaded.dims).toBe(local.dims);
    expect(b).toHaveLength(texts.length);
    for (let i = 0; i < texts.length; i++) {
      expect(b[i]).toHaveLength(local.dims);
      let diff = 0;
      for (let d = 0; d < local.dims; d++) diff = Math.max(diff, Math.abs(a[i]![d]! - b[i]![d]!));
      expect(diff).toBeLessThan(1e-5);
    }
    expect(b[3]).toEqual(b[0]);
    // A cached text is answered on the main thread with the same vector.
    expect((await threaded.embed(['hi']))[0]).toEqual(b[1]);
  });

  it('serves concurrent callers and then refuses work once disposed', async () => {
    const batches = await Promise.all(
      ['one', 'two', 'three'].map((t) => threaded.embed([`${t} pair of boots`])),
    );
    expect(batches.map((v) => v[0]!.length)).toEqual([local.dims, local.dims, local.dims]);
    // Two callers asking for the same new text at once get the same vector.
    const [x, y] = await Promise.all([
      threaded.embed(['same new text']),
      threaded.embed(['same new text', 'hi']),
    ]);
    expect(y[0]).toEqual(x[0]);
    await threaded.dispose();
    await expect(threaded.embed(['something new'])).rejects.toThrow(/disposed|stopped/);
  });

  it('disposes in the middle of a run without aborting the process', async () => {
    const script = new URL('./fixtures/dispose-mid-run.ts', import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
      timeout: 120_000,
    });
    expect(stdout.trim()).toMatch(/^run (finished|refused); alive$/);
  }, 150_000);
});
