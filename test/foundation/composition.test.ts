// The composition root builds each long-lived service in one place: a second construction site
// (a fallback in a wiring file, a command building its own) is how two copies with different
// options crept in before (issue 14). Scans the product's sources, not the tests or benchmarks.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const PRODUCT = ['bots', 'cli', 'jobs', 'kb', 'nlu', 'prisma', 'recsys', 'server', 'surveys'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sources(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

const files = PRODUCT.flatMap((d) => sources(join(ROOT, d))).map((f) => ({
  path: relative(ROOT, f),
  text: readFileSync(f, 'utf8'),
}));

describe('the composition root', () => {
  it.each([
    ['KbService', 'server/kb-service.ts'],
    ['RecsysService', 'server/recsys-service.ts'],
    ['ReviewService', 'server/review/wiring.ts'],
  ])('constructs %s in one file (%s)', (name, where) => {
    const sites = files.filter((f) => new RegExp(`new ${name}\\b`).test(f.text)).map((f) => f.path);
    expect(sites).toEqual([where]);
  });

  it('builds the platform services through the platform only', () => {
    const callers = (fn: string) =>
      files
        .filter((f) => new RegExp(`\\b${fn}\\(`).test(f.text) && !f.text.includes(`export function ${fn}`))
        .filter((f) => !f.text.includes(`export async function ${fn}`))
        .map((f) => f.path);
    expect(callers('createKbService')).toEqual(['server/platform.ts']);
    expect(callers('createRecsysService')).toEqual(['server/platform.ts']);
  });
});
