// `npm start`: configuration → database (migrated) → demo data → HTTP server. Ctrl-C stops cleanly.
import { ConfigError, loadConfig } from './config.js';
import { DbError } from '../prisma/index.js';
import { startServer } from './start.js';

async function main(): Promise<void> {
  const config = loadConfig();
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
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DbError) {
    process.stderr.write(`error: ${error.message}\n`);
  } else {
    process.stderr.write(
      `error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
