// The whole app started inside the test process (as `startServer` builds it) on a fresh ground:
// a PostgreSQL database of its own and a DATA_DIR with the warm NLU artifacts. The settings every such
// test shares are here; a test adds only what it is about. Its own file, so the tests that spawn
// servers (server-ground.ts) do not load the server into their process.
import { loadConfig } from '../../server/config.js';
import { startServer, type RunningServer } from '../../server/start.js';
import { prepareServerGround, type ServerGround } from './server-ground.js';
import { TEST_CHAT_WARM_UP, TEST_ENCRYPTION_KEY, TEST_TOKEN_SECRET } from './server-process.js';

/** A server started in this process, and what it stands on. */
export interface InProcessServer {
  readonly server: RunningServer;
  readonly ground: ServerGround;
  /** Stops the server, then drops its database and DATA_DIR. */
  close(): Promise<void>;
}

/** Starts the app on a fresh ground (`label` names the folder); `env` adds to the shared settings. */
export async function startInProcessServer(
  label: string,
  env: Record<string, string> = {},
): Promise<InProcessServer> {
  // A server that seeds nothing stands on an empty database, not on the run's seeded copy.
  const ground = await prepareServerGround(label, { seeded: env.SEED_DEMO !== 'false' });
  try {
    const server = await startServer(
      loadConfig({
        DATABASE_URL: ground.databaseUrl,
        DATA_DIR: ground.dataDir,
        PORT: '0',
        LOG_LEVEL: 'silent',
        TOKEN_SECRET: TEST_TOKEN_SECRET,
        ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        ...TEST_CHAT_WARM_UP,
        ...env,
      }),
    );
    return {
      server,
      ground,
      async close() {
        await server.close();
        await ground.close();
      },
    };
  } catch (error) {
    await ground.close();
    throw error;
  }
}
