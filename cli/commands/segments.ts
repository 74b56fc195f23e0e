import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import type { Database } from '../../prisma/index.js';
import {
  segmentTools,
  SegmentServiceError,
  sizeRangeDates,
  withPlatform,
  ZSegmentInput,
  ZSegmentSizeRange,
} from '../../server/index.js';
import { segmentKMeans, segmentationCsv } from '../../surveys/index.js';
import { CliError, numberOption, printResult, progressBar } from '../output.js';
import { isMissing, numberCell, readCsv } from './surveys.js';

// `mkt segments list | show | create | remove | kmeans`: the saved segments the admin API and Slack
// share. `create` previews the size and saves only with --yes; `kmeans` clusters a CSV or the stored
// profiles and can save the clusters as segments of kind "kmeans". Changes are audited as "cli".

type Tools = Awaited<ReturnType<typeof segmentTools>>;

/** Runs `work` with the segment operations on the platform; refusals become one-line errors. */
async function withSegments<T>(
  command: string,
  work: (segments: Tools['segments'], db: Database, audit: Tools['audit']) => Promise<T>,
): Promise<T> {
  try {
    return await withPlatform(
      { role: `mkt segments ${command}`, logLevel: 'warn', instead: INSTEAD },
      async (platform) => {
        const tools = await segmentTools(platform);
        return work(tools.segments, platform.db, tools.audit);
      },
    );
  } catch (error) {
    if (error instanceof SegmentServiceError) throw new CliError(error.message, { cause: error });
    throw error;
  }
}

const INSTEAD = 'stop the server first, or use the admin API (/api/admin/v1/segments) or Slack while it runs';

function audited(audit: Tools['audit'], action: string, name: string, detail?: Record<string, unknown>) {
  return audit.write({ actor: 'cli', action, target: `segment:${name}`, detail });
}

function zodMessage(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
}

function parseRules(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch (error) {
    throw new CliError(
      `--rules must be JSON such as '[{"field":"traits.price","op":"gt","value":3.5}]': ${(error as Error).message}`,
    );
  }
}

/** Registers the `segments` command group. */
export function register(program: Command): void {
  const segments = program
    .command('segments')
    .description('customer segments (saved, rule-based or k-means)');

  segments
    .command('list')
    .description('every saved segment with its size')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await withSegments('list', (s) => s.list());
      printResult(list, opts.json, (rows) =>
        rows.length === 0
          ? 'no segments; create one with: npx mkt segments create NAME --where "price consciousness above 3.5"'
          : rows
              .map(
                (r) =>
                  `${r.name.padEnd(28)} ${String(r.size).padStart(6)}  ${r.kind}${r.demo ? ' (demo)' : ''}`,
              )
              .join('\n'),
      );
    });

  segments
    .command('show <name>')
    .description('one segment: its rules in words and its size')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, opts: { json?: boolean }) => {
      const found = await withSegments('show', (s) => s.get(name));
      if (!found) throw new CliError(`no segment called "${name}" (see: npx mkt segments list)`);
      printResult(found, opts.json, (d) => `${d.name} (${d.kind}): ${d.size} customers\n  ${d.words}`);
    });

  segments
    .command('create <name>')
    .description('preview a rule segment and, with --yes, save it with its members')
    .option('--where <text>', 'conditions in words, e.g. "price consciousness above 3.5 and bought footwear"')
    .option('--rules <json>', 'structured rules as JSON: [{"field":"npsClass","op":"eq","value":"promoter"}]')
    .option('--match <all|any>', 'all rules must hold (default) or any one')
    .option('--description <text>', 'a description (default: the rules in words)')
    .option('--yes', 'save it (without: only show what it would hold)')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        name: string,
        opts: {
          where?: string;
          rules?: string;
          match?: string;
          description?: string;
          yes?: boolean;
          json?: boolean;
        },
      ) => {
        const input = ZSegmentInput.safeParse({
          name,
          ...(opts.where !== undefined ? { where: opts.where } : {}),
          ...(opts.rules !== undefined ? { rules: parseRules(opts.rules) } : {}),
          ...(opts.match !== undefined ? { match: opts.match } : {}),
          ...(opts.description !== undefined ? { description: opts.description } : {}),
        });
        if (!input.success)
          throw new CliError(
            opts.where === undefined && opts.rules === undefined
              ? 'give the members with --where "price consciousness above 3.5" or --rules JSON'
              : zodMessage(input.error),
          );
        const result = await withSegments('create', async (s, _db, audit) => {
          if (!opts.yes) return { saved: false, ...(await s.preview(input.data)) };
          const saved = await s.create(input.data);
          await audited(audit, 'segment.create', saved.name, { size: saved.size });
          return { saved: true, ...saved };
        });
        printResult(result, opts.json, (r) =>
          r.saved
            ? `saved segment "${r.name}": ${r.words} (${r.size} customers)`
            : `segment "${r.name}": ${r.words}\nit would hold ${r.size} customers today; run again with --yes to save it`,
        );
      },
    );

  segments
    .command('remove <name>')
    .description('delete a segment (its customers stay)')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, opts: { json?: boolean }) => {
      await withSegments('remove', async (s, _db, audit) => {
        await s.remove(name);
        await audited(audit, 'segment.delete', name);
      });
      printResult({ name, removed: true }, opts.json, () => `removed segment "${name}"`);
    });

  segments
    .command('export <name>')
    .description(
      'the members who agreed to marketing as CSV, with their survey comments (decrypted, PII masked)',
    )
    .requiredOption('--out <file>', 'the CSV file to write')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, opts: { out: string; json?: boolean }) => {
      const exported = await withSegments('export', async (s, _db, audit) => {
        const e = await s.exportCsv(name);
        await audited(audit, 'segment.export', e.name, {
          rows: e.rows,
          withoutConsent: e.withoutConsent,
          comments: e.comments,
        });
        return e;
      });
      writeFileSync(opts.out, exported.csv);
      const { csv: _csv, ...summary } = exported;
      printResult(
        { out: opts.out, ...summary },
        opts.json,
        (r) =>
          `wrote ${r.out}: ${r.rows} customers who agreed to marketing (${r.withoutConsent} without consent left out), ${r.comments} comments; columns ${r.columns.join(', ')}`,
      );
    });

  segments
    .command('overlaps [names...]')
    .description(
      'customers shared by saved segments (current memberships): two names, one (with the others) or none (every pair)',
    )
    .option('--json', 'print the result as JSON')
    .action(async (names: string[], opts: { json?: boolean }) => {
      const result = await withSegments('overlaps', (s) => s.overlaps(names));
      if (result.missing.length > 0)
        throw new CliError(`no segment called "${result.missing.join('", "')}" (see: npx mkt segments list)`);
      printResult(result.overlaps, opts.json, (rows) =>
        rows.length === 0
          ? 'no overlaps: there are fewer than two saved segments'
          : [
              'current memberships, as of the last recomputation; most similar first',
              ...rows.map(
                (o) =>
                  `${o.a} & ${o.b}: ${o.shared} shared (${share(o.shared, o.sizeA)} of ${o.a}, ${share(o.shared, o.sizeB)} of ${o.b}), Jaccard ${o.jaccard.toFixed(2)}`,
              ),
            ].join('\n'),
      );
    });

  segments
    .command('sizes <name>')
    .description("a segment's size per day over a period (recorded when segments are recomputed)")
    .option('--from <day>', 'first day, YYYY-MM-DD (default: 181 days before --to)')
    .option('--to <day>', 'last day, included, YYYY-MM-DD (default: today, UTC)')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, opts: { from?: string; to?: string; json?: boolean }) => {
      const range = ZSegmentSizeRange.safeParse({
        ...(opts.from !== undefined ? { from: opts.from } : {}),
        ...(opts.to !== undefined ? { to: opts.to } : {}),
      });
      if (!range.success) throw new CliError(zodMessage(range.error));
      const { from, to } = sizeRangeDates(range.data);
      const h = await withSegments('sizes', (s) => s.sizes(name, from, to));
      if (!h) throw new CliError(`no segment called "${name}" (see: npx mkt segments list)`);
      const day = (d: Date) => d.toISOString().slice(0, 10);
      printResult(
        {
          name: h.name,
          current: h.current,
          from: day(from),
          to: day(new Date(to.getTime() - 86_400_000)),
          recordedSince: h.recordedSince ? day(h.recordedSince) : null,
          points: h.points.map((p) => ({ day: day(p.day), size: p.size })),
        },
        opts.json,
        (r) =>
          [
            `${r.name}: ${r.current} customers now; ${r.points.length} daily sizes ${r.from} to ${r.to} (recorded when segments are recomputed${r.recordedSince ? `, since ${r.recordedSince}` : ', none yet'})`,
            ...r.points.map((p) => `${p.day} ${String(p.size).padStart(7)}`),
          ].join('\n'),
      );
    });

  registerKMeans(segments);
}

function share(part: number, whole: number): string {
  return whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)}%`;
}

interface KMeansOptions {
  csv?: string;
  profiles?: boolean;
  columns?: string;
  allNumeric?: boolean;
  idColumn?: string;
  k: string;
  seed: string;
  nInit: string;
  sample: string;
  top: string;
  out?: string;
  save?: string;
  names?: string;
  json?: boolean;
}

/** The rows to cluster: a CSV's numeric columns, or the trait scores of stored profiles. */
async function kmeansRows(
  opts: KMeansOptions,
): Promise<{ columns: string[]; data: number[][]; ids: string[]; dropped: number }> {
  const wanted = opts.columns
    ?.split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  if (opts.profiles) {
    const profiles = await withSegments('kmeans', (_, db) =>
      db.prisma.profile.findMany({
        select: { customerId: true, traits: true },
        orderBy: { customerId: 'asc' },
      }),
    );
    const traits = profiles.map((p) => (p.traits ?? {}) as Record<string, number>);
    const all = [...new Set(traits.flatMap((t) => Object.keys(t)))].sort();
    const columns =
      wanted ?? all.filter((c) => traits.filter((t) => typeof t[c] === 'number').length * 2 >= traits.length);
    const unknown = columns.filter((c) => !all.includes(c));
    if (unknown.length)
      throw new CliError(`no trait ${unknown.join(', ')} in the profiles (traits: ${all.join(', ')})`);
    if (columns.length === 0) throw new CliError('no profiles with trait scores yet');
    const kept = profiles.filter((_, i) => columns.every((c) => typeof traits[i]![c] === 'number'));
    return {
      columns,
      data: kept.map((p) => columns.map((c) => (p.traits as Record<string, number>)[c]!)),
      ids: kept.map((p) => p.customerId),
      dropped: profiles.length - kept.length,
    };
  }
  if (Boolean(opts.columns) === Boolean(opts.allNumeric))
    throw new CliError('give exactly one of --columns a,b,... or --all-numeric');
  const file = opts.csv!;
  const rows = readCsv(file);
  const all = Object.keys(rows[0] ?? {});
  if (opts.idColumn && !all.includes(opts.idColumn))
    throw new CliError(`no column ${opts.idColumn} in ${file}`);
  const columns = (
    wanted ??
    all.filter(
      (c) =>
        rows.every((r) => isMissing(r[c]) || Number.isFinite(Number(r[c]))) &&
        rows.some((r) => !isMissing(r[c])),
    )
  ).filter((c) => c !== opts.idColumn);
  const unknown = columns.filter((c) => !all.includes(c));
  if (unknown.length)
    throw new CliError(`no column ${unknown.join(', ')} in ${file} (columns: ${all.join(', ')})`);
  if (columns.length === 0) throw new CliError(`no numeric columns in ${file}`);
  const data: number[][] = [];
  const ids: string[] = [];
  rows.forEach((r, i) => {
    if (columns.some((c) => isMissing(r[c]))) return;
    data.push(columns.map((c) => numberCell(r[c]!, i, c, file)));
    ids.push(opts.idColumn ? r[opts.idColumn]! : String(i));
  });
  return { columns, data, ids, dropped: rows.length - data.length };
}

function registerKMeans(segments: Command): void {
  segments
    .command('kmeans')
    .description(
      'k-means++ on standardised numeric columns of a CSV or on the trait scores of stored profiles; k fixed or chosen by silhouette (e.g. --k 2..10); --save stores the clusters as segments',
    )
    .option('--csv <file>', 'CSV with a header row')
    .option('--profiles', 'cluster the customers by their stored profile trait scores')
    .option('--columns <a,b,...>', 'columns (or traits) to cluster on')
    .option('--all-numeric', 'use every column whose values are all numeric (NA/empty allowed)')
    .option('--id-column <name>', 'CSV column holding customer ids (needed to --save from a CSV)')
    .requiredOption('--k <k>', 'number of segments, or a range "2..10" searched by silhouette')
    .option('--seed <n>', 'random seed', '1')
    .option('--n-init <n>', 'k-means++ restarts per k', '1')
    .option('--sample <n>', 'rows used for the silhouette', '2000')
    .option('--top <n>', 'over-indexed features listed per segment', '5')
    .option('--out <file>', 'also write the segments as CSV')
    .option('--save <prefix>', 'save the clusters as segments "<prefix> 1", "<prefix> 2", ...')
    .option('--names <a,b,...>', 'save the clusters as segments with these names (one per cluster)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: KMeansOptions) => {
      if (Boolean(opts.csv) === Boolean(opts.profiles))
        throw new CliError('give exactly one of --csv FILE or --profiles');
      const saving = opts.save !== undefined || opts.names !== undefined;
      if (opts.save !== undefined && opts.names !== undefined)
        throw new CliError('give --save PREFIX or --names, not both');
      if (saving && opts.csv && !opts.idColumn)
        throw new CliError(
          '--save and --names need --id-column (the CSV column with customer ids) or --profiles',
        );
      const range = /^(\d+)\s*(?:\.\.|-)\s*(\d+)$/.exec(opts.k);
      const k = range ? { min: Number(range[1]), max: Number(range[2]) } : numberOption('k', opts.k);
      if (typeof k === 'number' ? !(Number.isInteger(k) && k >= 2) : !(k.min >= 2 && k.max >= k.min))
        throw new CliError('--k must be a whole number ≥ 2 or a range like 2..10');
      const { columns, data, ids, dropped } = await kmeansRows(opts);
      const bar = progressBar(!opts.json && Boolean(process.stderr.isTTY));
      if (typeof k !== 'number') bar.start(k.max - k.min + 1, 'k-means');
      let done = 0;
      let seg;
      try {
        seg = segmentKMeans(data, columns, {
          k,
          seed: numberOption('seed', opts.seed),
          nInit: numberOption('n-init', opts.nInit),
          silhouetteSample: numberOption('sample', opts.sample),
          topFeatures: numberOption('top', opts.top),
          onProgress: () => bar.update(++done),
        });
      } catch (error) {
        if (error instanceof RangeError) throw new CliError(error.message, { cause: error });
        throw error;
      } finally {
        bar.stop();
      }
      if (opts.out) writeFileSync(opts.out, segmentationCsv(seg));
      const names = opts.names
        ? opts.names.split(',').map((n) => n.trim())
        : opts.save !== undefined
          ? seg.segments.map((g) => `${opts.save!.trim()} ${g.segment + 1}`)
          : [];
      const saved = saving
        ? await withSegments('kmeans', async (s, _db, audit) => {
            const rows = await s.saveClusters(seg, ids, names);
            for (const r of rows)
              await audited(audit, 'segment.create', r.name, { kind: 'kmeans', size: r.size });
            return rows.map((r) => ({ name: r.name, size: r.size }));
          })
        : [];
      const result = {
        k: seg.k,
        n: seg.n,
        dropped,
        features: seg.features,
        silhouette: seg.silhouette,
        sizes: seg.sizes,
        centres: seg.segments.map((g) => g.centre),
        segments: seg.segments.map((g) => ({
          segment: g.segment,
          size: g.size,
          share: g.share,
          topFeatures: g.topFeatures,
          ...(names[g.segment] ? { name: names[g.segment] } : {}),
        })),
        candidates: seg.candidates,
        saved,
      };
      printResult(result, opts.json, (r) =>
        [
          `k = ${r.k} on ${r.n} rows (${r.dropped} dropped for missing values), silhouette ${r.silhouette.toFixed(3)}`,
          ...r.segments.map(
            (g) =>
              `  segment ${g.segment}${g.name ? ` "${g.name}"` : ''}: ${g.size} (${(100 * g.share).toFixed(1)}%)  over-indexes on ${g.topFeatures.map((t) => `${t.feature} (z ${t.z.toFixed(2)})`).join(', ') || '-'}`,
          ),
          ...(r.saved.length
            ? [`saved ${r.saved.length} segments: ${r.saved.map((x) => `${x.name} (${x.size})`).join(', ')}`]
            : []),
        ].join('\n'),
      );
    });
}
