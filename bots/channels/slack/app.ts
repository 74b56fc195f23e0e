// The Bolt app: `/mkt`, app mentions and DMs (marketer NLU), Block Kit buttons, App Home, and
// survey DMs for respondents. Access: allow-listed workspaces, then the member's role.
import {
  App,
  LogLevel,
  type AllMiddlewareArgs,
  type SlackCommandMiddlewareArgs,
  type types,
} from '@slack/bolt';
import type { DialogEngine } from '../../dialog/engine.js';
import type { BotLogger, EventLog, MemberRole, Nlu, SlackMembers } from '../../ports.js';
import { answerBlocks, homeView, replyBlocks } from './blocks.js';
import { parseMktCommand, parsePeriod, requestFromNlu, type MarketerRequest } from './marketer-intents.js';
import { answerMarketer, type MarketerAnswer, type MarketerDeps } from './marketer.js';
import { FastifySlackReceiver } from './receiver.js';

/** Options of the Slack app. */
export interface SlackAppOptions extends MarketerDeps {
  botToken: string;
  /** HTTP mode (default): verifies requests with this secret. */
  signingSecret?: string;
  /** Socket Mode: app-level token (xapp-...). */
  appToken?: string;
  socketMode?: boolean;
  /** Web API base, e.g. a local fake in tests ("http://127.0.0.1:1234/api/"). */
  apiUrl?: string;
  /** Workspaces allowed to use the bot; empty means any. */
  allowedTeams: readonly string[];
  members: SlackMembers;
  events: EventLog;
  nlu: Nlu;
  /** The customer dialog, so respondents can take surveys in a DM. */
  engine?: DialogEngine;
  logger: BotLogger;
  now?: () => Date;
}

/** The refusal everyone outside the allow-list gets. */
export const REFUSAL =
  'Sorry, this assistant only answers the marketing team. Ask a workspace admin to add you if you need access.';

type Client = AllMiddlewareArgs['client'];

/** Builds the Bolt app (and, in HTTP mode, the receiver the Fastify route feeds). */
export function createSlackApp(opts: SlackAppOptions): { app: App; receiver?: FastifySlackReceiver } {
  const now = opts.now ?? (() => new Date());
  const clientOptions = opts.apiUrl ? { slackApiUrl: opts.apiUrl } : undefined;
  const receiver = opts.socketMode
    ? undefined
    : new FastifySlackReceiver({
        signingSecret: opts.signingSecret ?? '',
        events: opts.events,
        logger: opts.logger,
      });
  const app = opts.socketMode
    ? new App({
        token: opts.botToken,
        appToken: opts.appToken,
        socketMode: true,
        clientOptions,
        logLevel: LogLevel.WARN,
      })
    : new App({ token: opts.botToken, receiver, clientOptions, logLevel: LogLevel.WARN });

  // Workspace allow-list first, then the member's role into the context for every listener.
  app.use(async (args) => {
    const { team, user } = whoIs(args.body as Record<string, unknown>);
    if (opts.allowedTeams.length > 0 && (!team || !opts.allowedTeams.includes(team))) {
      opts.logger.warn({ team }, 'Slack request from a workspace that is not allow-listed');
      if ('ack' in args && typeof args.ack === 'function')
        await (args.ack as (r?: unknown) => Promise<void>)({ response_type: 'ephemeral', text: REFUSAL });
      return;
    }
    args.context.role = team && user ? await opts.members.role(team, user) : null;
    args.context.slackTeam = team;
    await args.next();
  });

  const answer = async (request: MarketerRequest, role: MemberRole) => answerMarketer(request, role, opts);
  const understand = async (text: string): Promise<MarketerRequest> =>
    parseMktCommand(text, now()) ?? requestFromNlu(await opts.nlu.analyze(text, 'marketer'), text, now());

  app.command(
    '/mkt',
    async ({ command, ack, client, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
      const role = context.role as MemberRole | null;
      if (!role) {
        await ack({ response_type: 'ephemeral', text: REFUSAL });
        return;
      }
      await ack();
      await post(client, command.channel_id, await answer(await understand(command.text), role));
    },
  );

  app.event('app_mention', async ({ event, client, context }) => {
    const role = context.role as MemberRole | null;
    const thread = event.thread_ts ?? event.ts;
    if (!role) {
      await client.chat.postMessage({ channel: event.channel, thread_ts: thread, text: REFUSAL });
      return;
    }
    const text = event.text.replace(/<@[A-Z0-9]+>/g, '').trim();
    await post(client, event.channel, await answer(await understand(text), role), thread);
  });

  app.message(async ({ message, client, context }) => {
    const m = message as {
      channel_type?: string;
      subtype?: string;
      bot_id?: string;
      user?: string;
      text?: string;
      channel: string;
      client_msg_id?: string;
      ts: string;
    };
    if (m.channel_type !== 'im' || m.subtype || m.bot_id || !m.user) return;
    const role = context.role as MemberRole | null;
    if (role) {
      await post(client, m.channel, await answer(await understand(m.text ?? ''), role));
    } else if (opts.engine) {
      await respondAsCustomer(
        client,
        context.slackTeam as string,
        m.user,
        m.channel,
        m.text ?? '',
        m.client_msg_id ?? m.ts,
      );
    } else {
      await client.chat.postMessage({ channel: m.channel, text: REFUSAL });
    }
  });

  const respondAsCustomer = async (
    client: Client,
    team: string,
    user: string,
    channel: string,
    text: string,
    activityId?: string,
  ) => {
    const result = await opts.engine!.handle({
      channel: 'slack',
      conversationExternalId: `${team}:${channel}`,
      userExternalId: `${team}:${user}`,
      activityId,
      text,
      attachments: [],
    });
    for (const reply of result.replies)
      await client.chat.postMessage({ channel, text: reply.text, blocks: replyBlocks(reply) });
  };

  app.event('app_home_opened', async ({ event, client, context }) => {
    if (event.tab !== 'home') return;
    const allowed = Boolean(context.role);
    const figures = allowed ? await opts.analytics.keyFigures() : [];
    const handoffs = allowed ? await opts.handoffs.listActive(50) : [];
    await client.views.publish({ user_id: event.user, view: homeView(figures, handoffs, allowed) });
  });

  // Buttons. Each acks first (Slack wants it within 3 s), then answers in the same channel or DM.
  app.action(/^(mkt|home)_/, async ({ action, body, ack, client, context }) => {
    await ack();
    const role = context.role as MemberRole | null;
    const channel = (body as { channel?: { id: string } }).channel?.id ?? body.user.id;
    if (!role) {
      await client.chat.postMessage({ channel, text: REFUSAL });
      return;
    }
    const id = (action as { action_id: string }).action_id;
    const value = (action as { value?: string }).value ?? '';
    const request = buttonRequest(id, value, now());
    if (request) {
      await post(client, channel, await answer(request, role));
      return;
    }
    const claim = /^mkt_handoff_(claim|release)_/.exec(id);
    if (claim) {
      if (role === 'viewer') {
        await client.chat.postMessage({ channel, text: 'Viewers cannot take over conversations.' });
        return;
      }
      const h =
        claim[1] === 'claim'
          ? await opts.handoffs.claim(value, body.user.id)
          : await opts.handoffs.release(value);
      const text = !h
        ? 'That handoff no longer exists.'
        : h.status === 'claimed'
          ? `<@${body.user.id}> took over the conversation.`
          : 'Handoff released: the assistant answers again.';
      await client.chat.postMessage({ channel, text });
    }
  });

  app.action(/^customer_reply_/, async ({ action, body, ack, client, context }) => {
    await ack();
    const channel = (body as { channel?: { id: string } }).channel?.id ?? body.user.id;
    if (opts.engine)
      await respondAsCustomer(
        client,
        context.slackTeam as string,
        body.user.id,
        channel,
        (action as { value?: string }).value ?? '',
      );
  });

  app.error(async (err) => {
    opts.logger.error({ err }, 'Slack listener error');
  });
  return { app, receiver };
}

function buttonRequest(actionId: string, value: string, now: Date): MarketerRequest | null {
  if (actionId.startsWith('mkt_segment_')) return { kind: 'segment', name: value, focus: 'describe' };
  if (actionId === 'mkt_chart_nps')
    return { kind: 'chart', chart: { kind: 'nps-over-time', period: parsePeriod(value, now, 90) } };
  if (actionId === 'mkt_chart_means')
    return { kind: 'chart', chart: { kind: 'scale-means-by-segment', instrumentId: value } };
  if (actionId === 'home_segments') return { kind: 'segments' };
  if (actionId === 'home_nps') return { kind: 'nps', period: parsePeriod('', now) };
  if (actionId === 'home_handoffs') return { kind: 'handoffs' };
  return null;
}

/** Posts an answer: a chart is uploaded as a PNG file, everything else as Block Kit. */
async function post(client: Client, channel: string, a: MarketerAnswer, threadTs?: string): Promise<void> {
  if (a.chart) {
    const file = {
      file: Buffer.from(a.chart.png),
      filename: 'chart.png',
      title: a.chart.title,
      initial_comment: a.text,
    };
    await client.files.uploadV2(
      threadTs ? { ...file, channel_id: channel, thread_ts: threadTs } : { ...file, channel_id: channel },
    );
    return;
  }
  const blocks: types.KnownBlock[] = answerBlocks(a);
  await client.chat.postMessage({ channel, thread_ts: threadTs, text: a.text, blocks });
}

/** Team and user of any Slack payload (command, event, interaction). */
export function whoIs(body: Record<string, unknown>): { team?: string; user?: string } {
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const obj = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
  const event = obj(body.event);
  return {
    team: str(body.team_id) ?? str(obj(body.team).id) ?? str(obj(body.user).team_id) ?? str(event.team),
    user: str(body.user_id) ?? str(obj(body.user).id) ?? str(event.user),
  };
}
