import type { Command } from 'commander';

/** A command group: registers its subcommands on the root program. */
export type CommandModule = (program: Command) => void;

/** One command module and the top-level command names it registers. */
export interface CommandEntry {
  readonly names: readonly string[];
  readonly load: () => Promise<{ register: CommandModule }>;
}

// Each capability adds its command module here (one line each). The names let `mkt nlu ...` load
// only the NLU module: importing every module pulls in tfjs, Prisma and BullMQ, which costs
// seconds on every invocation. A test checks the names against what each module registers.
export const commandModules: readonly CommandEntry[] = [
  { names: ['db'], load: () => import('./db.js') },
  { names: ['serve'], load: () => import('./serve.js') },
  { names: ['apikeys', 'customers'], load: () => import('./admin.js') },
  { names: ['sentiment'], load: () => import('./sentiment.js') },
  { names: ['nlu'], load: () => import('./nlu.js') },
  { names: ['rules', 'recommend', 'catalog'], load: () => import('./recsys.js') },
  { names: ['jobs', 'worker'], load: () => import('./jobs.js') },
  { names: ['survey'], load: () => import('./surveys.js') },
  { names: ['segments'], load: () => import('./segments.js') },
  { names: ['bots'], load: () => import('./bots.js') },
  { names: ['kb'], load: () => import('./kb.js') },
  { names: ['demo', 'roles'], load: () => import('./marketer.js') },
  { names: ['review'], load: () => import('./review.js') },
];

/**
 * The modules needed for an argument list (without node and the script): the one owning the first
 * command word, or all of them for help, version and unknown words (so commander can list every
 * command or suggest the closest one).
 */
export function modulesFor(args: readonly string[]): readonly CommandEntry[] {
  const word = args.find((a) => !a.startsWith('-'));
  const owner = word === undefined ? undefined : commandModules.find((m) => m.names.includes(word));
  return owner ? [owner] : commandModules;
}
