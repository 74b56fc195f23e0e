import type { Command } from 'commander';

/** `mkt db ...` is completed by the data-layer work. */
export function register(program: Command): void {
  program.command('db').description('database: migrate, seed, reset');
}
