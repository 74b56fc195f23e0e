import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import {
  SCALE_PRESETS,
  SurveyError,
  cronbachAlpha,
  instrumentJsonSchema,
  instrumentReportSpec,
  parseScaleAnswer,
  renderChart,
  reportSummary,
  responsesCsv,
  reverseKey,
  validateInstrumentText,
} from '../../surveys/index.js';
import { readableAnswerText, withPlatform } from '../../server/index.js';
import { CliError, numberOption, printResult } from '../output.js';
import { loadInstrumentResponses, saveInstrument } from '../../prisma/repositories/index.js';

const collect = (value: string, previous: string[]) => [...previous, value];

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}`, { cause: error });
  }
}

/** A CSV file with a header row as records (a CliError naming the file when unreadable). */
export function readCsv(file: string): Record<string, string>[] {
  try {
    return parse(readText(file), { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<
      string,
      string
    >[];
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${file} is not a readable CSV with a header row: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** NA or empty: a missing value in a CSV cell. */
export const isMissing = (v: string | undefined) => v === undefined || v === '' || v.toUpperCase() === 'NA';

/** A numeric CSV cell, or a CliError naming the row and column. */
export function numberCell(v: string, row: number, column: string, file: string): number {
  const x = Number(v);
  if (!Number.isFinite(x))
    throw new CliError(
      `${file} row ${row + 2}, column "${column}": "${v}" is not a number (use NA or empty for missing)`,
    );
  return x;
}

/** `mkt survey alpha|parse|report|validate|import|schema`. */
export function register(program: Command): void {
  const survey = program
    .command('survey')
    .description('surveys: reliability, answer parsing, reports, instrument files');

  survey
    .command('alpha')
    .description(
      "Cronbach's alpha per scale from a CSV of item responses (rows with NA/empty in a scale's items are left out for that scale)",
    )
    .requiredOption('--csv <file>', 'CSV with one column per item and a header row')
    .requiredOption(
      '--scale <NAME=ITEM,...>',
      'a scale: NAME=ITEM,ITEM,-ITEM (leading "-" = reverse-keyed); repeatable',
      collect,
      [],
    )
    .requiredOption('--min <n>', 'lowest response value (for reverse keying)')
    .requiredOption('--max <n>', 'highest response value (for reverse keying)')
    .option('--json', 'print the result as JSON')
    .action((opts: { csv: string; scale: string[]; min: string; max: string; json?: boolean }) => {
      const min = numberOption('min', opts.min);
      const max = numberOption('max', opts.max);
      if (!(max > min)) throw new CliError('--max must be greater than --min');
      const rows = readCsv(opts.csv);
      const columns = Object.keys(rows[0] ?? {});
      const result: Record<string, unknown> = {};
      for (const spec of opts.scale) {
        const m = /^([^=]+)=(.+)$/.exec(spec);
        if (!m) throw new CliError(`--scale "${spec}" must look like NAME=ITEM,ITEM,-ITEM`);
        const name = m[1]!.trim();
        const items = m[2]!
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((s) => ({ column: s.replace(/^-/, ''), reverse: s.startsWith('-') }));
        if (items.length < 2) throw new CliError(`scale ${name} needs at least 2 items`);
        const unknown = items.filter((i) => !columns.includes(i.column)).map((i) => i.column);
        if (unknown.length)
          throw new CliError(
            `scale ${name}: no column ${unknown.join(', ')} in ${opts.csv} (columns: ${columns.join(', ')})`,
          );
        const complete: number[][] = [];
        rows.forEach((r, i) => {
          if (items.some((it) => isMissing(r[it.column]))) return;
          complete.push(
            items.map((it) => {
              const x = numberCell(r[it.column]!, i, it.column, opts.csv);
              if (x < min || x > max)
                throw new CliError(
                  `${opts.csv} row ${i + 2}, column "${it.column}": ${x} is outside --min ${min} .. --max ${max}`,
                );
              return it.reverse ? reverseKey(x, min, max) : x;
            }),
          );
        });
        if (complete.length < 2) throw new CliError(`scale ${name}: fewer than 2 complete rows`);
        const a = cronbachAlpha(
          complete,
          items.map((i) => i.column),
        );
        result[name] = {
          alpha: a.alpha,
          n: a.n,
          stdAlpha: a.stdAlpha,
          items: a.items.map((s, j) => ({
            item: s.item,
            reverse: items[j]!.reverse,
            mean: s.mean,
            sd: s.sd,
            itemTotalR: s.itemTotalR,
            itemRestR: s.itemRestR,
            alphaIfDeleted: s.alphaIfDeleted,
          })),
        };
      }
      printResult(result, opts.json, (r) =>
        Object.entries(
          r as Record<
            string,
            {
              alpha: number;
              n: number;
              items: { item: string; reverse: boolean; itemRestR: number; alphaIfDeleted: number }[];
            }
          >,
        )
          .map(([name, s]) =>
            [
              `${name}: alpha ${s.alpha.toFixed(3)} (n = ${s.n})`,
              ...s.items.map(
                (i) =>
                  `  ${i.reverse ? '-' : ' '}${i.item}  r.drop ${i.itemRestR.toFixed(3)}  alpha if dropped ${i.alphaIfDeleted.toFixed(3)}`,
              ),
            ].join('\n'),
          )
          .join('\n'),
      );
    });

  survey
    .command('parse')
    .description('read typed answers (one per line) as scale values: number, "skip" or "invalid"')
    .requiredOption('--scale <scale>', `answer scale: ${Object.keys(SCALE_PRESETS).join('|')}`)
    .requiredOption('--file <file>', 'text file, one answer per line')
    .option('--json', 'print the result as JSON')
    .action((opts: { scale: string; file: string; json?: boolean }) => {
      const scale = SCALE_PRESETS[opts.scale as keyof typeof SCALE_PRESETS];
      if (!scale)
        throw new CliError(
          `--scale must be one of ${Object.keys(SCALE_PRESETS).join(', ')}, got "${opts.scale}"`,
        );
      const lines = readText(opts.file).replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
      const result = lines.map((answer) => {
        const p = parseScaleAnswer(answer, scale);
        return { answer, value: p.kind === 'value' ? p.value : p.kind === 'skip' ? 'skip' : 'invalid' };
      });
      printResult(result, opts.json, (r) =>
        r.map((x) => `${String(x.value).padStart(7)}  ${x.answer}`).join('\n'),
      );
    });

  survey
    .command('validate')
    .description('check an instrument file (JSON or YAML) and report every problem with its path')
    .argument('<file>', 'instrument file')
    .option('--json', 'print the result as JSON')
    .action((file: string, opts: { json?: boolean }) => {
      const r = validateInstrumentText(readText(file), file);
      const out = r.ok
        ? { ok: true, id: r.instrument.id, items: r.instrument.items.length, issues: [] }
        : { ok: false, issues: r.issues };
      printResult(out, opts.json, (x) =>
        x.ok
          ? `ok: ${file} is a valid instrument "${'id' in x ? x.id : ''}" with ${'items' in x ? x.items : 0} items`
          : [
              `${file}: ${x.issues.length} problem(s)`,
              ...x.issues.map((i) => `  ${i.path || '(root)'}: ${i.message}`),
            ].join('\n'),
      );
      if (!r.ok) process.exitCode = 1;
    });

  survey
    .command('schema')
    .description('print (or write) the JSON Schema of instrument files, for editors')
    .option('--out <file>', 'write to this file instead of stdout')
    .action((opts: { out?: string }) => {
      const text = `${JSON.stringify(instrumentJsonSchema(), null, 2)}\n`;
      if (opts.out) writeFileSync(opts.out, text);
      else process.stdout.write(text);
    });

  survey
    .command('import')
    .description(
      'validate an instrument file and store it in the database (nothing is stored if it is invalid)',
    )
    .argument('<file>', 'instrument file')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const r = validateInstrumentText(readText(file), file);
      if (!r.ok)
        throw new CliError(
          `${file} is invalid, nothing imported: ${r.issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
        );
      const instead = 'stop the server first (instruments live in its embedded database)';
      await withPlatform({ role: 'mkt survey import', logLevel: 'warn', instead }, ({ db }) =>
        saveInstrument(db.prisma, r.instrument),
      );
      printResult(
        { imported: r.instrument.id, version: r.instrument.version },
        opts.json,
        (x) => `imported ${x.imported} (version ${x.version})`,
      );
    });

  survey
    .command('report')
    .description('export the answers to an instrument as CSV, or its charts as PNG/SVG')
    .requiredOption('--instrument <id>', 'instrument id')
    .requiredOption('--format <format>', 'csv | png | svg')
    .requiredOption('--out <file>', 'output file')
    .option('--font <file>', 'font file for chart text (default: a system DejaVu/Liberation/Noto Sans)')
    .option('--json', 'print the summary as JSON')
    .action(
      async (opts: { instrument: string; format: string; out: string; font?: string; json?: boolean }) => {
        if (!['csv', 'png', 'svg'].includes(opts.format))
          throw new CliError(`--format must be csv, png or svg, got "${opts.format}"`);
        // Reads only, but the embedded database takes one process at a time.
        const instead = 'stop the server first (the answers live in its embedded database)';
        await withPlatform({ role: 'mkt survey report', logLevel: 'warn', instead }, async (platform) => {
          // The CSV carries the comments as written (decrypted, PII masked); the charts need none.
          const text = opts.format === 'csv' ? await readableAnswerText(platform) : undefined;
          const { db } = platform;
          const data = await loadInstrumentResponses(db.prisma, opts.instrument, text).catch(
            (error: unknown) => {
              if (error instanceof SurveyError) throw new CliError(error.message, { cause: error });
              throw error;
            },
          );
          const summary = reportSummary(data);
          if (opts.format === 'csv') writeFileSync(opts.out, responsesCsv(data));
          else {
            const spec = instrumentReportSpec(data);
            if (!spec) throw new CliError(`no answers to chart for "${opts.instrument}" yet`);
            const chart = await renderChart(spec, {
              format: opts.format as 'png' | 'svg',
              fontFile: opts.font,
            });
            for (const w of chart.warnings) process.stderr.write(`warning: ${w}\n`);
            writeFileSync(opts.out, chart.png ?? chart.svg);
          }
          printResult(
            { out: opts.out, format: opts.format, ...summary },
            opts.json,
            (s) =>
              `wrote ${s.out}: ${s.sessions} sessions (${s.completed} completed, ${s.abandoned} abandoned, ${s.withdrawn} withdrawn)`,
          );
        });
      },
    );
}
