import cliProgress from 'cli-progress';

/** Error a command raises for bad input: printed as one line, exit code 1, no stack trace. */
export class CliError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
  }
}

/** Prints a result as JSON (`--json`) or through a human formatter. */
export function printResult<T>(result: T, json: boolean | undefined, human: (value: T) => string): void {
  process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : `${human(result)}\n`);
}

/** Progress reporter handed to long-running cores; silent when stderr is not a terminal or in JSON mode. */
export interface Progress {
  start(total: number, label?: string): void;
  update(done: number): void;
  stop(): void;
}

/** A progress bar on stderr (never stdout, so `--json` output stays parseable). */
export function progressBar(enabled = Boolean(process.stderr.isTTY)): Progress {
  if (!enabled) return { start() {}, update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: ' {label} [{bar}] {percentage}% | {value}/{total} | ETA {eta}s',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (total, label = '') => bar.start(total, 0, { label }),
    update: (done) => bar.update(done),
    stop: () => bar.stop(),
  };
}

/** Parses a number option or throws a CliError naming the option. */
export function numberOption(name: string, raw: string | undefined, fallback?: number): number {
  if (raw === undefined) {
    if (fallback === undefined) throw new CliError(`missing required option --${name}`);
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new CliError(`--${name} must be a number, got "${raw}"`);
  return value;
}
