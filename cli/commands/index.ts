import type { Command } from 'commander';

/** A command group: registers its subcommands on the root program. */
export type CommandModule = (program: Command) => void;

// Each capability adds its command module here (one line each).
export const commandModules: Array<() => Promise<{ register: CommandModule }>> = [
  () => import('./db.js'),
  () => import('./serve.js'),
  () => import('./admin.js'),
  () => import('./sentiment.js'),
  () => import('./nlu.js'),
  () => import('./recsys.js'),
  () => import('./jobs.js'),
  () => import('./surveys.js'),
  () => import('./bots.js'),
];
