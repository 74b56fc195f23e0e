// Self-hosted Direct Line 3.0 as a Fastify plugin: tokens, conversations, activities (POST, GET with
// watermark) and the WebSocket stream, so the official Web Chat client works unmodified.
import websocket from '@fastify/websocket';
import type { Activity, TurnContext } from 'botbuilder';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { TokenError } from '../../errors.js';
import type { BotLogger } from '../../ports.js';
import { DIRECT_LINE_BOT, DirectLineAdapter } from './adapter.js';
import {
  MAX_ACTIVITY_BYTES,
  reasonOf,
  ZInboundActivity,
  ZTokenRequest,
  ZWatermarkQuery,
  type WatermarkQuery,
} from './schemas.js';
import { memoryActivityClaims, type ActivityClaims } from './claims.js';
import { VisitorIdentity } from './identity.js';
import { bearer, TokenService, type DirectLineGrant } from './tokens.js';
import { TranscriptHub } from './transcript.js';
import { randomUUID } from 'node:crypto';

/** Anything that runs a turn (an ActivityHandler). */
export interface TurnRunner {
  run(context: TurnContext): Promise<void>;
}

/** Options of the Direct Line plugin. */
export interface DirectLineOptions {
  bot: TurnRunner;
  /** At least 32 characters; signs the tokens. */
  tokenSecret: string;
  tokenTtlSeconds?: number;
  /** SHOP_USER_TOKEN_SECRET: lets a shop pass its signed-in user as a signed `userToken`. */
  shopUserTokenSecret?: string;
  /** Defaults to a fresh in-memory buffer. */
  transcript?: TranscriptHub;
  /** Public origin ("https://shop.example"), for the streamUrl behind a proxy. */
  publicUrl?: string;
  logger?: BotLogger;
  /**
   * True when the database is too busy to take another turn now: a new message is then refused at
   * once with 503 and Retry-After (the client sends it again) instead of waiting in a queue that
   * would answer it too late or time out inside the turn.
   */
  overloaded?: () => boolean;
  /**
   * Activities owed to a conversation this process starts serving afresh (after a restart, or
   * when the client reconnects to another process): the live handoff's undelivered messages.
   */
  resume?: (conversationId: string) => Promise<Array<Partial<Activity>>>;
  /**
   * Counts a message of the conversation against its limit (shared by every process when the
   * server counts in Redis): null within the limit, else the seconds to wait (429 + Retry-After).
   */
  messageLimit?: (conversationId: string) => Promise<number | null>;
  /** Claims on clientActivityIDs; default: this process only (the server passes Redis ones). */
  claims?: ActivityClaims;
  /**
   * The database's availability: a turn that fails with an error `isUnavailable` recognises marks
   * it down, and while `down()` gives Retry-After seconds new messages get 503 at once.
   */
  database?: {
    isUnavailable(error: unknown): boolean;
    down(): number | null;
    markDown(): void;
    stop(): void;
  };
}

/** How long a clientActivityID is remembered (clients retry within seconds to minutes). */
const CLAIM_TTL_MS = 60 * 60 * 1000;

/** Seconds a client is asked to wait before sending a refused message again. */
export const OVERLOAD_RETRY_AFTER_SECONDS = 1;

type ConvParams = { id: string };
type WatermarkRoute = { Params: ConvParams; Querystring: WatermarkQuery };

/** Registers the Direct Line routes. Register once per server. */
export async function directLinePlugin(app: FastifyInstance, options: DirectLineOptions): Promise<void> {
  const tokens = new TokenService(options.tokenSecret, options.tokenTtlSeconds);
  const identity = new VisitorIdentity({
    tokenSecret: options.tokenSecret,
    shopUserTokenSecret: options.shopUserTokenSecret,
    secureCookie: options.publicUrl?.startsWith('https:') === true,
  });
  const hub = options.transcript ?? new TranscriptHub();
  const claims = options.claims ?? memoryActivityClaims();
  const adapter = new DirectLineAdapter(hub);
  const queues = new Map<string, Promise<unknown>>();
  const log = options.logger;
  adapter.onTurnError = async (context, error) => {
    // An unreachable database is not the bot's fault and not this message's: the turn is given up
    // (nothing of it was shown) and the request that carried the message answers 503 +
    // Retry-After, so the client sends it again.
    if (options.database?.isUnavailable(error)) {
      log?.warn(
        { err: error, conversationId: context.activity.conversation?.id },
        'turn refused: database unreachable',
      );
      options.database.markDown();
      throw error;
    }
    log?.error({ err: error, conversationId: context.activity.conversation?.id }, 'bot turn failed');
    await context.sendActivity('Sorry, something went wrong on my side. Please try again.');
  };
  app.addHook('onClose', async () => options.database?.stop());
  const sweep = setInterval(() => hub.sweep(), 60 * 1000);
  sweep.unref();
  app.addHook('onClose', async () => clearInterval(sweep));

  // Queries are zod schemas in the route options (the server refuses a GET route without one).
  app.setValidatorCompiler(validatorCompiler);
  const watermarkQuery = { schema: { querystring: ZWatermarkQuery } };

  if (!app.hasDecorator('websocketServer'))
    await app.register(websocket, { options: { maxPayload: MAX_ACTIVITY_BYTES } });

  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, _req, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return sendError(reply, 400, 'BadArgument', `activity larger than ${MAX_ACTIVITY_BYTES} bytes`);
    // The per-address limit (@fastify/rate-limit) has set Retry-After already.
    if (error.statusCode === 429)
      return sendError(
        reply,
        429,
        'TooManyRequests',
        'rate limit exceeded; retry after the Retry-After seconds',
      );
    if (error.statusCode && error.statusCode < 500)
      return sendError(reply, 400, 'BadArgument', error.message);
    log?.error({ err: error }, 'Direct Line request failed');
    return sendError(reply, 500, 'ServiceError', 'internal error');
  });

  // Turns of one conversation run one after another, in arrival order, like the real service.
  // Resolves when this turn is over: with its error if it failed (it never rejects).
  const enqueue = (conversationId: string, work: () => Promise<void>): Promise<unknown> => {
    const previous = queues.get(conversationId) ?? Promise.resolve();
    const next = previous.then(work).then(
      () => undefined,
      (err: unknown) => {
        if (!options.database?.isUnavailable(err))
          log?.error({ err, conversationId }, 'Direct Line turn failed');
        return err ?? new Error('turn failed');
      },
    );
    queues.set(conversationId, next);
    void next.finally(() => {
      if (queues.get(conversationId) === next) queues.delete(conversationId);
    });
    return next;
  };

  // A conversation new to this process gets what it is owed before anything else is served.
  const serve = async (conversationId: string): Promise<void> => {
    if (!hub.start(conversationId) || !options.resume) return;
    for (const activity of await options.resume(conversationId))
      hub.append(conversationId, {
        ...activity,
        conversation: { id: conversationId } as Activity['conversation'],
      });
  };

  /** Runs a turn after the conversation's earlier ones; `beforeFirstReply` as in the adapter. */
  const runTurn = (activity: Partial<Activity>, beforeFirstReply?: () => void): Promise<unknown> =>
    enqueue(activity.conversation!.id, () =>
      adapter.processActivity(activity, (ctx) => options.bot.run(ctx), beforeFirstReply),
    );

  const authorize = async (
    req: FastifyRequest,
    reply: FastifyReply,
    conversationId?: string,
  ): Promise<DirectLineGrant | null> => {
    try {
      return await tokens.verify(bearer(req.headers.authorization) ?? queryToken(req), conversationId);
    } catch (err) {
      await sendTokenError(reply, err);
      return null;
    }
  };

  // The user id comes from the shop's signed user token, else from this browser's signed cookie,
  // else it is new. A `user.id` in the body is ignored: whoever could choose it could be anyone.
  const provenUserId = async (req: FastifyRequest, reply: FastifyReply, userToken?: string) => {
    if (userToken !== undefined) return (await identity.fromShopToken(userToken)).userId;
    const userId = (await identity.fromCookie(req.headers.cookie)) ?? identity.newAnonymousId();
    reply.header('set-cookie', await identity.cookieFor(userId));
    return userId;
  };

  const conversationBody = async (req: FastifyRequest, grant: DirectLineGrant) => {
    const { token, expires_in } = await tokens.issue(grant);
    return {
      conversationId: grant.conversationId,
      token,
      expires_in,
      streamUrl: streamUrl(req, grant.conversationId, token, options.publicUrl),
    };
  };

  app.post('/v3/directline/tokens/generate', async (req, reply) => {
    const body = ZTokenRequest.safeParse(req.body ?? {});
    if (!body.success) return sendError(reply, 400, 'BadArgument', reasonOf(body.error));
    let userId: string;
    try {
      userId = await provenUserId(req, reply, body.data.userToken);
    } catch (err) {
      return sendTokenError(reply, err);
    }
    const grant = { conversationId: tokens.newConversationId(), userId };
    return { conversationId: grant.conversationId, ...(await tokens.issue(grant)), userId };
  });

  app.post('/v3/directline/tokens/refresh', async (req, reply) => {
    const grant = await authorize(req, reply);
    if (!grant) return reply;
    return { conversationId: grant.conversationId, ...(await tokens.issue(grant)), userId: grant.userId };
  });

  app.post('/v3/directline/conversations', async (req, reply) => {
    const grant = await authorize(req, reply);
    if (!grant) return reply;
    const fresh = hub.start(grant.conversationId);
    if (fresh) {
      void runTurn({
        type: 'conversationUpdate',
        id: randomUUID(),
        channelId: 'directline',
        serviceUrl: '',
        conversation: { id: grant.conversationId } as Activity['conversation'],
        from: { id: grant.userId, name: '', role: 'user' },
        recipient: DIRECT_LINE_BOT,
        membersAdded: [{ id: grant.userId, name: '' }],
        timestamp: new Date(),
      });
    }
    return reply.code(fresh ? 201 : 200).send(await conversationBody(req, grant));
  });

  app.get<WatermarkRoute>('/v3/directline/conversations/:id', watermarkQuery, async (req, reply) => {
    const grant = await authorize(req, reply, req.params.id);
    if (!grant) return reply;
    await serve(grant.conversationId);
    return conversationBody(req, grant);
  });

  app.get<WatermarkRoute>(
    '/v3/directline/conversations/:id/activities',
    watermarkQuery,
    async (req, reply) => {
      const grant = await authorize(req, reply, req.params.id);
      if (!grant) return reply;
      await serve(grant.conversationId);
      return reply
        .type('application/json')
        .send(hub.sinceText(grant.conversationId, req.query.watermark).json);
    },
  );

  app.post<{ Params: ConvParams }>(
    '/v3/directline/conversations/:id/activities',
    { bodyLimit: 8 * MAX_ACTIVITY_BYTES },
    async (req, reply) => {
      const grant = await authorize(req, reply, req.params.id);
      if (!grant) return reply;
      if (options.overloaded?.()) {
        reply.header('retry-after', String(OVERLOAD_RETRY_AFTER_SECONDS));
        return sendError(reply, 503, 'ServiceUnavailable', 'busy; send the activity again shortly');
      }
      const databaseDown = options.database?.down();
      if (databaseDown) return refuseWhileDatabaseDown(reply, databaseDown);
      if (Buffer.byteLength(JSON.stringify(req.body ?? null)) > MAX_ACTIVITY_BYTES) {
        return sendError(reply, 400, 'BadArgument', `activity larger than ${MAX_ACTIVITY_BYTES} bytes`);
      }
      const parsed = ZInboundActivity.safeParse(req.body);
      if (!parsed.success) return sendError(reply, 400, 'BadArgument', reasonOf(parsed.error));
      // A resent activity (same clientActivityID) gets the original id back and runs no second turn.
      const clientId = clientActivityIdOf(parsed.data.channelData);
      const claimKey = clientId && `${grant.conversationId}:${clientId}`;
      if (claimKey) {
        const claim = await claims.claim(claimKey, CLAIM_TTL_MS);
        if (!claim.won) {
          const original = claim.id ?? (await settledId(claims, claimKey));
          if (original) return { id: original };
          reply.header('retry-after', String(OVERLOAD_RETRY_AFTER_SECONDS));
          return sendError(
            reply,
            503,
            'ServiceUnavailable',
            'this activity is being processed; send it again',
          );
        }
      }
      const wait = await options.messageLimit?.(grant.conversationId);
      if (wait) {
        if (claimKey) await claims.release(claimKey);
        reply.header('retry-after', String(wait));
        return sendError(
          reply,
          429,
          'TooManyRequests',
          'too many messages in this conversation; retry later',
        );
      }
      const inbound: Partial<Activity> = {
        ...(parsed.data as Partial<Activity>),
        channelId: 'directline',
        serviceUrl: '',
        conversation: { id: grant.conversationId } as Activity['conversation'],
        // The token says who the user is; the body's "from" is not trusted.
        from: { id: grant.userId, name: parsed.data.from.name ?? '', role: 'user' },
        recipient: DIRECT_LINE_BOT,
        timestamp: new Date(),
      };
      await serve(grant.conversationId);
      // The request answers once the turn is over, as the Bot Framework's Direct Line does, so a
      // turn that cannot reach the database is refused (503) instead of accepted and apologised
      // for. The user's message is shown (appended to the transcript) only with the turn's first
      // reply or at its end: a refused message leaves nothing behind for the resend to duplicate.
      const id = `${grant.conversationId}|${randomUUID()}`;
      let shown = false;
      const show = () => {
        if (shown) return;
        shown = true;
        hub.append(grant.conversationId, inbound, id);
      };
      const failure = await runTurn({ ...inbound, id }, show);
      if (failure !== undefined && options.database?.isUnavailable(failure)) {
        // The retry runs the turn again; when this one got as far as storing the message (it is
        // stored under the clientActivityID), the dialog finishes it instead of starting over.
        if (claimKey) await claims.release(claimKey);
        return refuseWhileDatabaseDown(reply, options.database.down() ?? OVERLOAD_RETRY_AFTER_SECONDS);
      }
      show();
      if (claimKey) await claims.settle(claimKey, id, CLAIM_TTL_MS);
      return { id };
    },
  );

  app.get<WatermarkRoute>(
    '/v3/directline/conversations/:id/stream',
    {
      ...watermarkQuery,
      websocket: true,
      preValidation: async (req, reply) => {
        const grant = await authorize(req, reply, (req.params as ConvParams).id);
        if (grant) (req as FastifyRequest & { grant?: DirectLineGrant }).grant = grant;
      },
    },
    (socket, req) => {
      const grant = (req as FastifyRequest & { grant?: DirectLineGrant }).grant!;
      const backlog = hub.sinceText(grant.conversationId, req.query.watermark);
      if (backlog.count > 0) socket.send(backlog.json);
      const unsubscribe = hub.subscribe(grant.conversationId, (set) => {
        if (socket.readyState === socket.OPEN) socket.send(set.json);
      });
      // The client pings with empty messages; nothing else is expected on this socket.
      socket.on('close', unsubscribe);
      socket.on('error', unsubscribe);
    },
  );
}

function streamUrl(req: FastifyRequest, conversationId: string, token: string, publicUrl?: string): string {
  const origin = publicUrl ? new URL(publicUrl) : new URL(`${req.protocol}://${req.host}`);
  const scheme = origin.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${origin.host}/v3/directline/conversations/${conversationId}/stream?t=${encodeURIComponent(token)}`;
}

/** Web Chat's id for an activity it may send again: a short string, else none. */
function clientActivityIdOf(channelData: Record<string, unknown> | undefined): string | undefined {
  const id = channelData?.clientActivityID;
  return typeof id === 'string' && id.length > 0 && id.length <= 128 ? id : undefined;
}

/** The activity id of a claim another request holds, once it has one (waits up to 5 s). */
async function settledId(claims: ActivityClaims, key: string): Promise<string | undefined> {
  for (let i = 0; i < 50; i++) {
    await new Promise((ok) => setTimeout(ok, 100));
    const claim = await claims.claim(key, CLAIM_TTL_MS);
    if (claim.won) {
      // The holder gave up (its turn could not run) and this request now holds the claim: let it go,
      // so the client's next retry runs the turn.
      await claims.release(key);
      return undefined;
    }
    if (claim.id) return claim.id;
  }
  return undefined;
}

/** The token of "?t=" (the stream URL); a repeated or odd parameter counts as none. */
function queryToken(req: FastifyRequest): string | undefined {
  const t = (req.query as { t?: unknown } | undefined)?.t;
  return typeof t === 'string' ? t : undefined;
}

function sendTokenError(reply: FastifyReply, err: unknown): FastifyReply {
  if (!(err instanceof TokenError)) throw err;
  const status = err.code === 'BOT_TOKEN_FORBIDDEN' ? 403 : 401;
  return sendError(reply, status, status === 403 ? 'BadToken' : 'TokenExpired', err.message);
}

function refuseWhileDatabaseDown(reply: FastifyReply, retryAfterSeconds: number): FastifyReply {
  reply.header('retry-after', String(retryAfterSeconds));
  return sendError(reply, 503, 'ServiceUnavailable', "we'll be right back; send the activity again shortly");
}

function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).send({ error: { code, message } });
}
