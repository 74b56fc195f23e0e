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
import type { MarketerReply } from '../../marketer/answer.js';
import type { MarketerDialog } from '../../marketer/dialog.js';
import type { MarketerQuestion } from '../../marketer/kinds/index.js';
import { parseRolesCommand, runRolesCommand, type MemberRoles } from '../../marketer/roles.js';
import { readPeriod } from '../../marketer/vocabulary-match.js';
import { ZRuleSegment } from '../../../surveys/index.js';
import type {
  BotLogger,
  EventLog,
  Handoffs,
  HelpCentreReview,
  HomeViewers,
  MarketerAnalytics,
  MemberRole,
  Nlu,
  SlackMembers,
} from '../../ports.js';
import { parseKbCommand, runKbCommand } from '../../marketer/kb-command.js';
import { answerBlocks, replyBlocks } from './blocks.js';
import { registerHome } from './home.js';
import { deliverOrFallBack, type AnswerTarget } from './delivery.js';
import { closeCommand, registerHandoffListeners, type HandoffSlackOptions } from './handoff-listeners.js';
import { FastifySlackReceiver } from './receiver.js';
import {
  isReviewCommand,
  mayReview,
  postReviewItems,
  registerReviewListeners,
  type ReviewSlackOptions,
} from './review-listeners.js';
import { slackClientOptions } from './web-client.js';

/** Options of the Slack app. */
export interface SlackAppOptions {
  /** Marketer questions: stored, analysed and answered like customer messages. */
  marketer: MarketerDialog;
  /** Role management (`/mkt roles ...`); without it the command says it is not available. */
  roles?: MemberRoles;
  /** The help centre's unanswered questions (`/mkt kb unanswered`); without it the command says so. */
  kb?: HelpCentreReview;
  /** App Home figures and the handoff buttons. */
  analytics: Pick<MarketerAnalytics, 'keyFigures'>;
  handoffs: Handoffs;
  /** Members who opened the App Home, refreshed when the handoff queue changes. */
  homeViewers?: HomeViewers;
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
  /** The review queue (`/mkt review`, its buttons and modal); without it the command is a question. */
  review?: Omit<ReviewSlackOptions, 'logger'>;
  /** Live handoffs (SLACK_HANDOFF_CHANNEL): thread relay, Claim / Close, `/mkt close`. */
  handoff?: Omit<HandoffSlackOptions, 'logger'> & { queue: Parameters<typeof closeCommand>[4] };
}

/** The refusal everyone outside the allow-list gets. */
export const REFUSAL =
  'Sorry, this assistant only answers the marketing team. Ask a workspace admin to add you if you need access.';

type Client = AllMiddlewareArgs['client'];

/** Builds the Bolt app (and, in HTTP mode, the receiver the Fastify route feeds). */
export function createSlackApp(opts: SlackAppOptions): {
  app: App;
  receiver?: FastifySlackReceiver;
  /** Stops refreshing App Homes. */
  stop(): void;
} {
  const now = opts.now ?? (() => new Date());
  const clientOptions = slackClientOptions(opts.apiUrl, 'patient');
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

  // One marketer turn: roles commands (admins) first, everything else through the marketer dialog.
  const ask = async (
    client: Client,
    where: { team: string; user: string; channel: string; thread?: string },
    text: string,
    role: MemberRole,
    activityId?: string,
    respond?: AnswerTarget['respond'],
  ): Promise<void> => {
    const target = { channel: where.channel, user: where.user, respond };
    // In the member's DM there is no thread to answer in.
    const threadIn = (channel: string) => (channel === where.channel ? where.thread : undefined);
    const roles = parseRolesCommand(text);
    if (roles) {
      const reply = opts.roles
        ? await runRolesCommand(roles, {
            teamId: where.team,
            actor: `slack:${where.team}:${where.user}`,
            role,
            roles: opts.roles,
          })
        : 'Role management is not available here.';
      await deliverOrFallBack(target, async (channel, note) => {
        await client.chat.postMessage({
          channel,
          thread_ts: threadIn(channel),
          text: note ? `${note}\n${reply}` : reply,
        });
      });
      return;
    }
    const kb = parseKbCommand(text);
    if (kb) {
      const reply = opts.kb ? await runKbCommand(kb, opts.kb) : 'The knowledge base is not available here.';
      await client.chat.postMessage({ channel: where.channel, thread_ts: where.thread, text: reply });
      return;
    }
    const turn = await opts.marketer.handle({ ...where, text, role, activityId });
    if (turn)
      await deliverOrFallBack(target, (channel, note) =>
        post(
          client,
          channel,
          note ? { ...turn.reply, text: `${note}\n${turn.reply.text}` } : turn.reply,
          threadIn(channel),
        ),
      );
  };

  app.command(
    '/mkt',
    async ({ command, ack, client, context, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
      const role = context.role as MemberRole | null;
      if (!role) {
        await ack({ response_type: 'ephemeral', text: REFUSAL });
        return;
      }
      const handoff = opts.handoff;
      const closing = handoff
        ? await closeCommand(command.text, command.user_id, role, handoff.desk, handoff.queue)
        : null;
      if (closing !== null) {
        await ack({ response_type: 'ephemeral', text: closing });
        return;
      }
      if (opts.review && isReviewCommand(command.text)) {
        if (!mayReview(role)) {
          await ack({ response_type: 'ephemeral', text: 'Only marketers and admins can review.' });
          return;
        }
        await ack();
        const count = Number(/\d+/.exec(command.text)?.[0] ?? 5);
        await postReviewItems(client, command.channel_id, opts.review.desk, Math.min(Math.max(count, 1), 20));
        return;
      }
      await ack();
      await ask(
        client,
        { team: command.team_id, user: command.user_id, channel: command.channel_id },
        command.text,
        role,
        undefined,
        (message) => respond(message),
      );
    },
  );

  app.event('app_mention', async ({ event, client, context }) => {
    const role = context.role as MemberRole | null;
    const thread = event.thread_ts ?? event.ts;
    if (!role) {
      await client.chat.postMessage({ channel: event.channel, thread_ts: thread, text: REFUSAL });
      return;
    }
    const text = event.text.replace(/^\s*<@[A-Z0-9]+>/, '').trim();
    const team = (context.slackTeam as string | undefined) ?? '';
    await ask(
      client,
      { team, user: event.user ?? '', channel: event.channel, thread },
      text,
      role,
      event.client_msg_id ?? event.ts,
    );
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
      await ask(
        client,
        { team: context.slackTeam as string, user: m.user, channel: m.channel },
        m.text ?? '',
        role,
        m.client_msg_id ?? m.ts,
      );
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

  const home = registerHome(app, {
    analytics: opts.analytics,
    handoffs: opts.handoffs,
    members: opts.members,
    viewers: opts.homeViewers,
    desk: opts.handoff?.desk,
    logger: opts.logger,
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
    const team = (context.slackTeam as string | undefined) ?? '';
    // "Ask this" buttons (choices after "I need a bit more", follow-ups) are the marketer's question.
    if (id.startsWith('mkt_ask_')) {
      await ask(client, { team, user: body.user.id, channel }, value, role);
      return;
    }
    if (id === 'mkt_segment_save' || id === 'mkt_segment_cancel') {
      await client.chat.postMessage({ channel, text: await saveSegment(id, value, role) });
      return;
    }
    const request = buttonRequest(id, value, now());
    if (request) {
      await post(client, channel, await opts.marketer.answer(request, role));
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
          : await opts.handoffs.release(value, body.user.id);
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

  // The confirmation of a segment built in plain language: the rule travels in the button.
  const saveSegment = async (id: string, value: string, role: MemberRole): Promise<string> => {
    if (id === 'mkt_segment_cancel') return 'Not saved.';
    if (role === 'viewer') return 'Viewers cannot create segments.';
    let rule;
    try {
      rule = ZRuleSegment.parse(JSON.parse(value));
    } catch {
      return 'That segment definition could not be read; ask again.';
    }
    const saved = await opts.marketer.saveSegment(rule);
    return `Saved segment *${saved.name}*: ${saved.size} customers. It is recomputed every night.`;
  };

  if (opts.handoff) registerHandoffListeners(app, { ...opts.handoff, logger: opts.logger });
  if (opts.review) registerReviewListeners(app, { ...opts.review, logger: opts.logger });

  // A failed listener fails the event: the receiver logs it and releases the event's claim so
  // Slack's retry runs it again (swallowing it here would mark a lost event as handled).
  app.error(async (err) => {
    throw err;
  });
  return { app, receiver, stop: home.stop };
}

function buttonRequest(actionId: string, value: string, now: Date): MarketerQuestion | null {
  if (actionId.startsWith('mkt_segment_')) return { kind: 'segment', name: value, focus: 'describe' };
  if (actionId === 'home_segments') return { kind: 'segments' };
  if (actionId === 'home_nps') return { kind: 'metric', metric: 'nps', period: readPeriod('', now) };
  if (actionId === 'home_handoffs') return { kind: 'handoffs' };
  return null;
}

/** Posts an answer: a chart as a PNG file, a CSV as a file, everything else as Block Kit. */
async function post(client: Client, channel: string, a: MarketerReply, threadTs?: string): Promise<void> {
  if (a.file) {
    const file = {
      content: a.file.content,
      filename: a.file.filename,
      title: a.file.title,
      initial_comment: a.text,
    };
    await client.files.uploadV2(
      threadTs ? { ...file, channel_id: channel, thread_ts: threadTs } : { ...file, channel_id: channel },
    );
    return;
  }
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
