// `npm run bench -- NAME [args]`: runs bench/NAME.ts and prints its JSON result on stdout.
// Progress and notes go to stderr so the JSON stays parseable.
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));

const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- NAME [args]\navailable: ${available.join(', ')}\n`);
  process.exit(name ? 1 : 0);
}
const mod = (await import(`./${name}.ts`)) as { default: (args: string[]) => Promise<unknown> };
const result = await mod.default(args);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
process.exit(0);
