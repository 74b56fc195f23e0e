// Optional Azure Bot Service endpoint: POST /api/messages through botbuilder's CloudAdapter, so an
// owner who registers an Azure Bot (Teams, the Azure-hosted Direct Line...) reaches the same bot.
// Off unless MICROSOFT_APP_ID is set; authentication is botbuilder's own (JWT from Bot Framework).
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { FastifyInstance } from 'fastify';
import { BotConfigError } from '../../errors.js';
import type { BotLogger } from '../../ports.js';

/** Options of the /api/messages plugin. */
export interface CloudAdapterOptions {
  bot: { run(context: TurnContext): Promise<void> };
  appId: string;
  appPassword?: string;
  appTenantId?: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  logger?: BotLogger;
}

/** Registers POST /api/messages. */
export async function cloudAdapterPlugin(app: FastifyInstance, options: CloudAdapterOptions): Promise<void> {
  if (!options.appId) throw new BotConfigError('/api/messages needs MICROSOFT_APP_ID');
  if (options.appType !== 'UserAssignedMSI' && !options.appPassword)
    throw new BotConfigError('/api/messages needs MICROSOFT_APP_PASSWORD');
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: options.appId,
    MicrosoftAppPassword: options.appPassword,
    MicrosoftAppTenantId: options.appTenantId,
    MicrosoftAppType: options.appType,
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    options.logger?.error({ err: error }, 'Azure channel turn failed');
    await context.sendActivity('Sorry, something went wrong on my side.');
  };
  app.post('/api/messages', async (req, reply) => {
    // CloudAdapter speaks an Express-like response; this shim forwards to Fastify's reply.
    const res = {
      socket: req.raw.socket,
      header: (name: string, value: unknown) => reply.header(name, value),
      status: (code: number) => reply.code(code),
      send: (body?: unknown) => reply.send(body ?? ''),
      end: () => (reply.sent ? undefined : reply.send('')),
    };
    await adapter.process(
      { body: req.body as Record<string, unknown>, headers: req.headers, method: req.method },
      res,
      (ctx) => options.bot.run(ctx),
    );
    return reply;
  });
}
