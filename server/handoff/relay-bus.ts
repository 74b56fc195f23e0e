// The bus that takes a relayed handoff message to every server process, so the one holding the
// customer's stream delivers it whichever process received the Slack event. Redis pub/sub with
// REDIS_URL, in-process without. Pub/sub may drop a message while a subscriber reconnects; that is
// covered by the database: a message no process delivered is replayed when the customer's
// conversation is next served (HandoffDesk.resume).
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ZRelayMessage, type RelayBus, type RelayMessage } from '../../bots/index.js';

type Handler = (message: RelayMessage) => void;

function dispatch(handlers: Set<Handler>, message: RelayMessage, logger?: Logger): void {
  for (const handler of handlers) {
    try {
      handler(message);
    } catch (err) {
      logger?.error({ err, messageId: message.messageId }, 'handoff relay: handler failed');
    }
  }
}

/** One process: published messages go to this process's subscribers. */
export function createInProcessRelayBus(): RelayBus {
  const handlers = new Set<Handler>();
  return {
    async publish(message) {
      dispatch(handlers, message);
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async close() {
      handlers.clear();
    },
  };
}

/** Redis pub/sub on `<prefix>:handoff:relay`. */
export async function createRedisRelayBus(options: {
  redisUrl: string;
  prefix?: string;
  logger: Logger;
}): Promise<RelayBus> {
  const channel = `${options.prefix ?? 'mkt'}:handoff:relay`;
  const handlers = new Set<Handler>();
  const retryStrategy = (times: number): number => Math.min(100 * times, 2_000);
  const publisher = new Redis(options.redisUrl, { maxRetriesPerRequest: 2, retryStrategy });
  const subscriber = new Redis(options.redisUrl, { maxRetriesPerRequest: null, retryStrategy });
  let lastWarn = 0;
  const warn = (err: Error): void => {
    if (Date.now() - lastWarn < 10_000) return;
    lastWarn = Date.now();
    options.logger.warn({ err: err.message }, 'handoff relay: Redis unreachable');
  };
  publisher.on('error', warn);
  subscriber.on('error', warn);
  subscriber.on('message', (from: string, raw: string) => {
    if (from !== channel) return;
    let parsed;
    try {
      parsed = ZRelayMessage.safeParse(JSON.parse(raw));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) {
      options.logger.warn({ channel }, 'handoff relay: ignored a malformed message');
      return;
    }
    dispatch(handlers, parsed.data, options.logger);
  });
  await subscriber.subscribe(channel);
  return {
    async publish(message) {
      await publisher.publish(channel, JSON.stringify(message));
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async close() {
      handlers.clear();
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
