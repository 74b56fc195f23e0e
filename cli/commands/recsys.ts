import type { Command } from 'commander';
import {
  EmptyCatalogError,
  importCatalog,
  mineRules,
  readBasketFile,
  RecsysError,
  RecsysService,
  type ImportReport,
  type Recommendation,
} from '../../recsys/index.js';
import { withPlatform } from '../../server/index.js';
import { CliError, numberOption, printResult, progressBar } from '../output.js';
import { createPrismaRecsysStore } from '../../prisma/repositories/index.js';

/** `mkt rules mine`, `mkt recommend`, `mkt catalog import`. */
export function register(program: Command): void {
  const rules = program.command('rules').description('association rules (frequently bought together)');
  rules
    .command('mine')
    .description('mine association rules from a basket file (one basket per line, items comma-separated)')
    .requiredOption('--baskets <file>', 'basket file')
    .requiredOption('--min-support <s>', 'minimum support, 0..1 (e.g. 0.006)')
    .requiredOption('--min-confidence <c>', 'minimum confidence, 0..1 (e.g. 0.25)')
    .option('--max-length <n>', 'largest itemset (left + right side)', '10')
    .option('--top <n>', 'print only the N rules with the highest lift (count still reports all)')
    .option('--json', 'print the result as JSON')
    .action(
      async (opts: {
        baskets: string;
        minSupport: string;
        minConfidence: string;
        maxLength: string;
        top?: string;
        json?: boolean;
      }) => {
        const minSupport = numberOption('min-support', opts.minSupport);
        const minConfidence = numberOption('min-confidence', opts.minConfidence);
        const maxLength = numberOption('max-length', opts.maxLength);
        const top = opts.top === undefined ? undefined : numberOption('top', opts.top);
        if (!(minSupport > 0 && minSupport <= 1)) throw new CliError('--min-support must be in (0, 1]');
        if (!(minConfidence >= 0 && minConfidence <= 1))
          throw new CliError('--min-confidence must be in [0, 1]');
        if (top !== undefined && !(Number.isInteger(top) && top >= 0))
          throw new CliError('--top must be a whole number');
        const baskets = await readBasketFile(opts.baskets).catch((error: unknown) => {
          throw new CliError(`cannot read basket file ${opts.baskets}`, { cause: error });
        });
        const result = mineRules(baskets, { minSupport, minConfidence, maxLength });
        const shown = (top === undefined ? result.rules : result.rules.slice(0, top)).map((r) => ({
          antecedent: r.antecedent,
          consequent: r.consequent,
          support: r.support,
          confidence: r.confidence,
          lift: r.lift,
        }));
        printResult(
          {
            transactions: result.transactions,
            itemsets: result.itemsets,
            rules: shown,
            count: result.rules.length,
          },
          opts.json,
          (r) =>
            [
              `${r.count} rules from ${r.transactions} baskets (${r.itemsets} frequent itemsets)`,
              ...r.rules
                .slice(0, top ?? 20)
                .map(
                  (x) =>
                    `{${x.antecedent.join(', ')}} => {${x.consequent.join(', ')}}  support ${x.support.toFixed(4)}  confidence ${x.confidence.toFixed(3)}  lift ${x.lift.toFixed(3)}`,
                ),
            ].join('\n'),
        );
      },
    );

  rules
    .command('refresh')
    .description('re-mine bought-together rules from the orders in the database and store them')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      await withService({ quiet: Boolean(opts.json) }, async (service) => {
        const result = await service.refreshRules();
        printResult(result, opts.json, (r) => `${r.rules} rules mined from ${r.baskets} orders`);
      });
    });

  program
    .command('recommend')
    .description(
      'recommend products: similar to a SKU, matching a text, for a customer, or bought together with a SKU',
    )
    .option('--similar <sku>', 'products like this SKU')
    .option('--cheaper', 'with --similar: only cheaper products')
    .option('--query <text>', 'free text, e.g. "waterproof jacket under 100"')
    .option('--customer <id>', 'customer id or external reference')
    .option('--together <sku>', 'frequently bought together with this SKU')
    .option('--k <n>', 'number of recommendations', '10')
    .option('--json', 'print the result as JSON')
    .action(
      async (opts: {
        similar?: string;
        cheaper?: boolean;
        query?: string;
        customer?: string;
        together?: string;
        k: string;
        json?: boolean;
      }) => {
        const modes = (['similar', 'query', 'customer', 'together'] as const).filter(
          (m) => opts[m] !== undefined,
        );
        if (modes.length !== 1)
          throw new CliError(
            'give exactly one of --similar SKU, --query "text", --customer ID, --together SKU',
          );
        const k = numberOption('k', opts.k);
        if (!(Number.isInteger(k) && k >= 1 && k <= 100))
          throw new CliError('--k must be a whole number from 1 to 100');
        const mode = modes[0]!;
        await withService({ quiet: Boolean(opts.json) }, async (service) => {
          let items: Recommendation[];
          let extra: Record<string, unknown> = {};
          try {
            if (mode === 'similar')
              items = service.similar(opts.similar!, { k, cheaper: Boolean(opts.cheaper) });
            else if (mode === 'together') items = service.boughtTogether(opts.together!, { k });
            else if (mode === 'customer') items = await service.forCustomer(opts.customer!, { k });
            else {
              const res = await service.query(opts.query!, { k });
              items = res.items;
              extra = { filters: res.filters, ...(res.anchorSku ? { anchorSku: res.anchorSku } : {}) };
            }
          } catch (error) {
            if (error instanceof EmptyCatalogError) {
              printResult({ mode, items: [], message: error.message }, opts.json, (r) => r.message);
              return;
            }
            if (error instanceof RecsysError) throw new CliError(error.message, { cause: error });
            throw error;
          }
          printResult({ mode, ...extra, items }, opts.json, (r) =>
            r.items.length === 0
              ? 'no recommendations'
              : r.items
                  .map(
                    (x, i) =>
                      `${String(i + 1).padStart(2)}. ${x.sku}  ${x.name}  ${x.price.toFixed(2)} ${x.currency}\n    ${x.reason}`,
                  )
                  .join('\n'),
          );
        });
      },
    );

  const catalog = program.command('catalog').description('product catalog');
  catalog
    .command('import')
    .description(
      'upsert products by SKU from FILE.csv, FILE.json (array) or FILE.jsonl; bad rows are reported and skipped',
    )
    .argument('<file>', 'catalog file')
    .option('--batch-size <n>', 'rows per transaction', '500')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, opts: { batchSize: string; json?: boolean }) => {
      const batchSize = numberOption('batch-size', opts.batchSize);
      const instead =
        'PUT /api/admin/v1/products/SKU on the running server for each product, or stop it first';
      const report: ImportReport = await withPlatform(
        { role: 'mkt catalog import', logLevel: 'warn', instead },
        ({ db }) =>
          importCatalog(file, createPrismaRecsysStore(db.prisma), {
            batchSize,
            progress: progressBar(!opts.json && Boolean(process.stderr.isTTY)),
          }),
      ).catch((error: unknown) => {
        if (error instanceof RecsysError) throw new CliError(error.message, { cause: error });
        throw error;
      });
      printResult(report, opts.json, (r) =>
        [
          `${r.file}: ${r.rows} rows, ${r.imported} imported, ${r.rejected} rejected`,
          ...r.errors
            .slice(0, 50)
            .map((e) => `  line ${e.line}${e.sku ? ` (${e.sku})` : ''}, ${e.field}: ${e.reason}`),
          ...(r.errors.length > 50 ? [`  ... ${r.errors.length - 50} more (use --json for all)`] : []),
        ].join('\n'),
      );
      if (report.rows > 0 && report.imported === 0) process.exitCode = 1;
    });
}

/** Opens the platform, starts its recommendation service (loading or rebuilding the index), runs `work`, closes all. */
async function withService(
  opts: { quiet: boolean },
  work: (service: RecsysService) => Promise<void>,
): Promise<void> {
  const instead = 'stop the server first (the catalog lives in its embedded database)';
  await withPlatform(
    { role: 'mkt recommend', logLevel: opts.quiet ? 'warn' : undefined, logToStderr: true, instead },
    async (platform) =>
      work(await platform.recsys(progressBar(!opts.quiet && Boolean(process.stderr.isTTY)))),
  );
}
