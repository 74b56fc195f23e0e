import type { Logger } from 'pino';

// What the chat knows about the database between turns. A turn that fails because the database is
// unreachable marks it down; from then on new chat messages are refused at once with 503 and
// Retry-After (the Web Chat client sends them again) instead of being accepted and answered with
// an apology, until a probe reaches the database again.

/** Seconds a client is asked to wait while the database is down. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
const PROBE_MS = 1_000;

/** The chat's view of database availability. */
export interface DatabaseHealth {
  /** Retry-After seconds while the database is known to be down, else null. */
  down(): number | null;
  /** A turn failed on an unreachable database: refuse messages until a probe succeeds. */
  markDown(): void;
  /** Stops probing (server shutdown). */
  stop(): void;
}

/** Probes with `ping` every second while down. */
export function createDatabaseHealth(ping: () => Promise<unknown>, logger?: Logger): DatabaseHealth {
  let probe: NodeJS.Timeout | undefined;
  let stopped = false;
  const check = async () => {
    try {
      await ping();
    } catch {
      return;
    }
    if (!probe) return;
    clearInterval(probe);
    probe = undefined;
    logger?.info({}, 'database reachable again: chat messages accepted');
  };
  return {
    down: () => (probe ? DATABASE_RETRY_AFTER_SECONDS : null),
    markDown() {
      if (probe || stopped) return;
      logger?.warn({}, 'database unreachable: chat messages get 503 until it is back');
      probe = setInterval(() => void check(), PROBE_MS);
      probe.unref();
    },
    stop() {
      stopped = true;
      if (probe) clearInterval(probe);
      probe = undefined;
    },
  };
}
