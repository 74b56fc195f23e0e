// A small server process for the cross-process rate-limit test: the hardening (per-address limit,
// shared counters) and the Direct Line endpoint with its per-conversation limit, on an echo bot,
// exactly as the real server wires them but without the NLU and database start-up. Prints
// "listening <port>" when ready. Environment: REDIS_URL, RATE_LIMIT_PREFIX, TOKEN_SECRET,
// RATE_LIMIT_MAX, RATE_LIMIT_CHAT_MAX. The bot counts the turns it runs per conversation in Redis
// (key <prefix>turns:<conversation id>), so a test sees how many turns all processes ran together.
import { ActivityHandler } from 'botbuilder';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { directLinePlugin } from '../../bots/channels/webchat/plugin.js';
import { HARDENED_SERVER_OPTIONS, registerHttpHardening } from '../../server/http-hardening.js';
import { takeOrRetryAfter } from '../../server/security/rate-counter.js';

const env = process.env;
const windowMs = 60_000;
const turns = new Redis(env.REDIS_URL!);
const bot = new ActivityHandler();
bot.onMessage(async (ctx, next) => {
  const n = await turns.incr(`${env.RATE_LIMIT_PREFIX}turns:${ctx.activity.conversation.id}`);
  await ctx.sendActivity(`echo ${n}: ${ctx.activity.text}`);
  await next();
});

const app = Fastify(HARDENED_SERVER_OPTIONS);
await registerHttpHardening(app, {
  corsOrigins: [],
  rateLimit: { max: Number(env.RATE_LIMIT_MAX), timeWindowMs: windowMs },
  redisUrl: env.REDIS_URL,
  redisPrefix: env.RATE_LIMIT_PREFIX,
});
await app.register(directLinePlugin, {
  bot,
  tokenSecret: env.TOKEN_SECRET!,
  messageLimit: (conversationId) =>
    takeOrRetryAfter(app.rateCounter, `chat:${conversationId}`, {
      max: Number(env.RATE_LIMIT_CHAT_MAX),
      windowMs,
    }),
  claims: app.activityClaims,
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
process.once(
  'SIGTERM',
  () =>
    void app.close().then(() => {
      turns.disconnect();
      process.exit(0);
    }),
);
