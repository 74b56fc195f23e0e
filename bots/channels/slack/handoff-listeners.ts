// Slack side of a live handoff: thread replies in the handoff channel go to the customer, the
// announcement's Claim / Close buttons, its Transcript button (the full conversation, shown to the
// member alone as their role may read it), and `/mkt close`. Only members with a role above viewer
// may write to customers; anyone else is told (ephemeral) that nothing was sent.
import type { AllMiddlewareArgs, App } from '@slack/bolt';
import type { HandoffDesk, HandoffRecord } from '../../handoff/index.js';
import type { BotLogger, MemberRole } from '../../ports.js';
import { HANDOFF_ACTIONS, transcriptBlocks } from './handoff-blocks.js';

/** Options of the handoff listeners. */
export interface HandoffSlackOptions {
  desk: HandoffDesk;
  /** SLACK_HANDOFF_CHANNEL (a channel id). */
  channel: string;
  logger: BotLogger;
}

type Client = AllMiddlewareArgs['client'];

/** True when the member may write to customers, claim and close. */
export function mayAnswerCustomers(role: MemberRole | null | undefined): boolean {
  return Boolean(role) && role !== 'viewer';
}

/** Registers the listeners on the Bolt app. */
export function registerHandoffListeners(app: App, opts: HandoffSlackOptions): void {
  app.message(async ({ message, client, context }) => {
    const m = message as {
      subtype?: string;
      bot_id?: string;
      user?: string;
      text?: string;
      channel: string;
      ts: string;
      thread_ts?: string;
    };
    if (!m.thread_ts || m.thread_ts === m.ts || m.subtype || m.bot_id || !m.user) return;
    // Threads of any channel are looked up: SLACK_HANDOFF_CHANNEL may be a name, events carry ids.
    const text = (m.text ?? '').trim();
    if (!text) return;
    if (!(await opts.desk.isHandoffThread(m.channel, m.thread_ts))) return;
    if (!mayAnswerCustomers(context.role as MemberRole | null)) {
      await ephemeral(
        client,
        m.channel,
        m.user,
        m.thread_ts,
        'Not sent: only team members with an editor or admin role can write to customers.',
      );
      return;
    }
    const outcome = await opts.desk.agentReply({
      slackChannel: m.channel,
      threadTs: m.thread_ts,
      user: m.user,
      text,
      messageTs: m.ts,
    });
    if (outcome === 'closed')
      await ephemeral(
        client,
        m.channel,
        m.user,
        m.thread_ts,
        'Not sent: this handoff is closed and the assistant has the conversation again.',
      );
  });

  app.action(
    new RegExp(`^(${HANDOFF_ACTIONS.claim}|${HANDOFF_ACTIONS.close})$`),
    async ({ action, body, ack, client, context }) => {
      await ack();
      const id = (action as { action_id: string }).action_id;
      const handoffId = (action as { value?: string }).value ?? '';
      const channel = (body as { channel?: { id: string } }).channel?.id ?? opts.channel;
      if (!mayAnswerCustomers(context.role as MemberRole | null)) {
        await ephemeral(
          client,
          channel,
          body.user.id,
          undefined,
          'Only team members with an editor or admin role can take over conversations.',
        );
        return;
      }
      const done =
        id === HANDOFF_ACTIONS.claim
          ? await opts.desk.claim(handoffId, body.user.id)
          : await opts.desk.close(handoffId, body.user.id);
      if (!done) await ephemeral(client, channel, body.user.id, undefined, 'That handoff is already closed.');
    },
  );
  registerTranscriptButton(app, opts);
}

/** The Transcript button: the conversation, to the member who clicked alone, as their role may read it. */
function registerTranscriptButton(app: App, opts: HandoffSlackOptions): void {
  app.action(HANDOFF_ACTIONS.transcript, async ({ action, body, ack, client, context }) => {
    await ack();
    const handoffId = (action as { value?: string }).value ?? '';
    const channel = (body as { channel?: { id: string } }).channel?.id ?? opts.channel;
    const user = body.user.id;
    const role = context.role as MemberRole | null;
    const team = (context.slackTeam as string | undefined) ?? '';
    const shown = await opts.desk.transcript(handoffId, role, `slack:${team}:${user}`);
    if (shown === null || shown === 'hidden') {
      const text =
        shown === null
          ? 'That conversation is gone (the customer may have asked us to delete their data).'
          : `Your role (${role ?? 'none'}) does not include reading customers' conversations. Ask an admin for the marketer role.`;
      await ephemeral(client, channel, user, undefined, text);
      return;
    }
    await client.chat.postEphemeral({
      channel,
      user,
      text: `Transcript: ${shown.customer} (${shown.lines.length} messages)`,
      blocks: transcriptBlocks(shown),
    });
  });
}

/**
 * `/mkt close [n]`: closes the caller's claimed handoff, or the n-th of the queue. Returns the
 * answer to show the caller, or null when the text is not a close command.
 */
export async function closeCommand(
  text: string,
  user: string,
  role: MemberRole,
  desk: HandoffDesk,
  queue: () => Promise<HandoffRecord[]>,
): Promise<string | null> {
  const m = /^\s*close(?:\s+#?(\S+))?\s*$/i.exec(text);
  if (!m) return null;
  if (!mayAnswerCustomers(role)) return 'Viewers cannot close handoffs.';
  const active = await queue();
  const ref = m[1];
  const target = ref
    ? /^\d+$/.test(ref)
      ? active[Number(ref) - 1]
      : active.find((h) => h.id === ref || h.id.startsWith(ref))
    : pickOwn(active, user);
  if (!target)
    return ref
      ? `No open handoff #${ref}. \`/mkt handoffs\` lists them.`
      : 'You have no claimed handoff; say `/mkt close N` with its number from `/mkt handoffs`.';
  const closed = await desk.close(target.id, user);
  return closed ? 'Closed: the customer is told the assistant is back.' : 'That handoff was already closed.';
}

function pickOwn(active: HandoffRecord[], user: string): HandoffRecord | undefined {
  const mine = active.filter((h) => h.claimedBy === user);
  return mine.length === 1 ? mine[0] : undefined;
}

async function ephemeral(
  client: Client,
  channel: string,
  user: string,
  threadTs: string | undefined,
  text: string,
): Promise<void> {
  await client.chat.postEphemeral({ channel, user, text, ...(threadTs ? { thread_ts: threadTs } : {}) });
}
