import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { RecsysError } from './errors.js';

/**
 * Reads a basket file: one basket per line, items comma-separated (the groceries format).
 * Streams line by line; blank lines are skipped. A quoted CSV parser is not used on purpose:
 * the format (arules `read.transactions(sep = ",")`) has no quoting.
 */
export async function readBasketFile(file: string): Promise<string[][]> {
  const baskets: string[][] = [];
  const stream = createReadStream(file, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => {
    stream.once('error', (error) =>
      reject(new RecsysError('RECSYS_IMPORT_FILE', `cannot read basket file ${file}`, { cause: error })),
    );
  });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  const read = (async () => {
    for await (const line of lines) {
      const items = line
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      if (items.length > 0) baskets.push(items);
    }
    return baskets;
  })();
  return Promise.race([read, failed]);
}
