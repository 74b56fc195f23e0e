import type { Command } from 'commander';

/** `mkt serve` starts the server (same as `npm start`). */
export function register(program: Command): void {
  program
    .command('serve')
    .description('start the server (same as npm start)')
    .action(async () => {
      const { serve } = await import('../../server/index.js');
      await serve();
    });
}
