import type { Command } from 'commander';
import type { NluDomain } from '../../bots/index.js';
import { CliError, numberOption, printResult, progressBar } from '../output.js';

/** `mkt bots cv`: stratified k-fold cross-validation of the shipped bot training data. */
export function register(program: Command): void {
  const bots = program.command('bots').description('web chat and Slack bots: training data checks');
  bots
    .command('cv')
    .description('cross-validate the intent classifier on bots/nlu-data (customer and marketer intents)')
    .option('--folds <k>', 'number of folds', '5')
    .option('--domain <name>', 'customer, marketer or all', 'all')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { folds: string; domain: string; json?: boolean }) => {
      const folds = numberOption('--folds', opts.folds, 5);
      if (folds < 2 || folds > 20) throw new CliError('--folds must be between 2 and 20');
      const domains: NluDomain[] =
        opts.domain === 'all' ? ['customer', 'marketer'] : [opts.domain as NluDomain];
      if (!domains.every((d) => d === 'customer' || d === 'marketer'))
        throw new CliError('--domain must be customer, marketer or all');
      const { crossValidateDomains } = await import('./bots-cv.js');
      const progress = progressBar();
      try {
        const results = await crossValidateDomains(domains, folds, progress);
        printResult(results, opts.json, (rs) =>
          rs
            .map(
              (r) =>
                `${r.domain}: ${r.examples} examples, ${r.intents} intents, ${r.folds}-fold accuracy ${r.accuracy.toFixed(3)} (top-1 ${r.top1Accuracy.toFixed(3)}, macro-F1 ${r.macroF1.toFixed(3)}, false out-of-scope ${r.falseOutOfScope.toFixed(3)})`,
            )
            .join('\n'),
        );
      } finally {
        progress.stop();
      }
    });
}
