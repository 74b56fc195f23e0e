import { Command, CommanderError } from 'commander';
import { commandModules, modulesFor, type CommandEntry } from './commands/index.js';
import { CliError } from './output.js';

/** Builds the `mkt` program with the given command groups registered (all by default). */
export async function buildProgram(modules: readonly CommandEntry[] = commandModules): Promise<Command> {
  const program = new Command('mkt')
    .description('Conversational marketing assistant: server, data, NLU, recommendations and surveys')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const entry of modules) (await entry.load()).register(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  const program = await buildProgram(modulesFor(argv.slice(2)));
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version exit with 0; usage errors were already printed by commander
      process.exitCode = error.exitCode;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${message}\n`);
    if (!(error instanceof CliError) && process.env.MKT_DEBUG && error instanceof Error)
      process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  }
}

await main(process.argv);
