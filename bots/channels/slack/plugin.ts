// Slack as a Fastify plugin: POST /slack/events feeds the Bolt app through FastifySlackReceiver
// (HTTP mode), or the app runs over Socket Mode with start/stop tied to the server's lifecycle.
import type { FastifyInstance } from 'fastify';
import { BotConfigError } from '../../errors.js';
import { createSlackApp, type SlackAppOptions } from './app.js';

/** Options of the Slack plugin (see SlackAppOptions). */
export type SlackPluginOptions = SlackAppOptions & {
  /** Route path in HTTP mode. */
  path?: string;
};

/** Registers Slack. Throws at registration when the tokens do not fit the chosen mode. */
export async function slackPlugin(app: FastifyInstance, options: SlackPluginOptions): Promise<void> {
  if (!options.botToken) throw new BotConfigError('Slack needs SLACK_BOT_TOKEN');
  if (options.socketMode && !options.appToken)
    throw new BotConfigError('Slack Socket Mode needs SLACK_APP_TOKEN (xapp-...)');
  if (!options.socketMode && !options.signingSecret)
    throw new BotConfigError('Slack HTTP mode needs SLACK_SIGNING_SECRET');
  const { app: bolt, receiver, stop } = createSlackApp(options);
  app.addHook('onClose', async () => stop());

  if (!receiver) {
    app.addHook('onReady', async () => {
      await bolt.start();
    });
    app.addHook('onClose', async () => {
      await bolt.stop();
    });
    return;
  }

  // Signatures are computed over the exact bytes Slack sent, so the body stays a raw string here.
  for (const type of ['application/json', 'application/x-www-form-urlencoded']) {
    app.removeContentTypeParser(type);
    app.addContentTypeParser(type, { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_req, body, done) =>
      done(null, body),
    );
  }
  app.post(options.path ?? '/slack/events', async (req, reply) => {
    const result = await receiver.handle({
      rawBody: typeof req.body === 'string' ? req.body : '',
      contentType: req.headers['content-type'] ?? '',
      headers: req.headers,
    });
    reply.code(result.status);
    if (result.body === undefined) return reply.send('');
    return typeof result.body === 'string'
      ? reply.type('text/plain').send(result.body)
      : reply.send(result.body);
  });
}
