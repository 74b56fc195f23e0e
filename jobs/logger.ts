// The slice of a pino logger the jobs capability uses, so it does not depend on pino itself.

type LogFn = (object: Record<string, unknown>, message: string) => void;

/** Structured logger accepted by the queue implementations (a pino logger fits). */
export interface JobsLogger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

/** A logger that drops everything. */
export const silentLogger: JobsLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
