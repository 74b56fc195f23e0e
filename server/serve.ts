// `npm start` and `mkt serve`: start the server on the platform, print where it listens, stop
// cleanly on Ctrl-C. Known start-up failures (configuration, database, a data folder another
// process owns) are one line on stderr and exit code 1.
import { DbError } from '../prisma/index.js';
import { ConfigError, loadConfig } from './config.js';
import { DataDirLockedError, dataDirOwner, serverRefusal } from './data-dir-lock.js';

/** Starts the server and keeps it running until SIGINT or SIGTERM. */
export async function serve(): Promise<void> {
  try {
    const config = loadConfig();
    // Checked before loading the server's modules (seconds): a second start refuses at once. The
    // platform takes the lock itself when it opens the database (this is only the early answer).
    const owner = config.database.kind === 'pglite' ? dataDirOwner(config.dataDir) : undefined;
    if (owner) throw new DataDirLockedError(config.dataDir, owner, serverRefusal(config.dataDir, owner));
    const { startServer } = await import('./start.js');
    const server = await startServer(config);
    const db = config.database.kind === 'pglite' ? `embedded PGlite in ${config.database.dir}` : 'PostgreSQL';
    process.stdout.write(
      [
        '',
        `  ${config.BRAND_NAME} assistant is running`,
        `  web chat   ${server.url}/`,
        `  health     ${server.url}/healthz`,
        `  database   ${db}`,
        `  slack      ${config.SLACK_BOT_TOKEN ? `${server.url}/slack/events` : 'off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET)'}`,
        `  jobs       ${config.REDIS_URL ? 'BullMQ on Redis' : 'in-process (set REDIS_URL for Redis)'}`,
        '  press Ctrl-C to stop',
        '',
      ].join('\n'),
    );
    const stop = async (signal: string) => {
      server.logger.info({ signal }, 'shutting down');
      await server.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DbError || error instanceof DataDirLockedError) {
      process.stderr.write(`error: ${error.message}\n`);
    } else {
      process.stderr.write(
        `error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.exit(1);
  }
}
