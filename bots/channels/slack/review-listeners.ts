// Slack side of the review queue: `/mkt review` (and the daily digest) post one message per open
// item; its buttons label it, answer it with an existing knowledge-base entry, open the "new
// answer" modal or ignore it. Marketers and admins may
// review; a viewer is told so and nothing changes. Each message is replaced by what was done.
import type { AllMiddlewareArgs, App, BlockAction } from '@slack/bolt';
import { ReviewError } from '../../review-errors.js';
import type { BotLogger, MemberRole } from '../../ports.js';
import type { IntentVersions, ReviewDesk } from '../../review-ports.js';
import { answerModal, REVIEW_ACTIONS, REVIEW_ANSWER_MODAL, reviewItemBlocks } from './review-blocks.js';

/** Options of the review listeners. */
export interface ReviewSlackOptions {
  desk: ReviewDesk;
  /** The retrain report's "roll back" button (admins); absent: the button says it is unavailable. */
  versions?: IntentVersions;
  logger: BotLogger;
}

type Client = AllMiddlewareArgs['client'];

/** Items one `/mkt review` or digest posts. */
export const REVIEW_BATCH = 5;

/** True when the member may review. */
export function mayReview(role: MemberRole | null | undefined): boolean {
  return role === 'marketer' || role === 'admin';
}

/** True for `/mkt review` (with an optional count). */
export function isReviewCommand(text: string): boolean {
  return /^\s*review(\s+\d+)?\s*$/i.test(text);
}

/** Posts the oldest open items, one message each, after a one-line header; returns how many. */
export async function postReviewItems(
  client: Client,
  channel: string,
  desk: ReviewDesk,
  limit = REVIEW_BATCH,
): Promise<number> {
  const items = await desk.list({ limit });
  if (items.length === 0) {
    await client.chat.postMessage({ channel, text: 'The review queue is empty: nothing to label.' });
    return 0;
  }
  await client.chat.postMessage({
    channel,
    text: `${items.length} message(s) the assistant handled badly, oldest first. Pick the right intent, write an answer or ignore.`,
  });
  for (const item of items) {
    const entries = item.domain === 'customer' ? await desk.kbEntries(item.text) : [];
    const blocks = reviewItemBlocks(item, await desk.labels(item.domain), entries);
    await client.chat.postMessage({ channel, text: `Review: “${item.text}”`, blocks });
  }
  return items.length;
}

/** Registers the buttons and the modal. */
export function registerReviewListeners(app: App, opts: ReviewSlackOptions): void {
  const by = (team: string | undefined, user: string) => `slack:${team ?? ''}:${user}`;

  app.action(/^review_/, async ({ action, body, ack, client, context }) => {
    await ack();
    const block = body as BlockAction;
    const channel = block.channel?.id ?? block.user.id;
    const ts = block.message?.ts;
    const role = context.role as MemberRole | null;
    if (!mayReview(role)) {
      await client.chat.postEphemeral({
        channel,
        user: block.user.id,
        text: 'Only marketers and admins can review; nothing was changed.',
      });
      return;
    }
    const who = by(context.slackTeam as string | undefined, block.user.id);
    const id = (action as { action_id: string }).action_id;
    if (id.startsWith(REVIEW_ACTIONS.rollback)) {
      await rollback(client, block, role, (action as { value?: string }).value, opts.versions);
      return;
    }
    const raw =
      (action as { value?: string }).value ??
      (action as { selected_option?: { value: string } }).selected_option?.value;
    await settle(client, { channel, ts }, block.user.id, async () => {
      if (id !== REVIEW_ACTIONS.answer) return review(opts.desk, id, raw, who, block.user.id);
      // "Write an answer" opens the modal; the message stays until the answer is saved.
      const item = await opts.desk.get(raw ?? '');
      await client.views.open({ trigger_id: block.trigger_id, view: answerModal(item, { channel, ts }) });
      return undefined;
    });
  });

  app.view(REVIEW_ANSWER_MODAL, async ({ ack, body, view, client, context }) => {
    const text = view.state.values.answer?.text?.value?.trim() ?? '';
    if (!text) {
      await ack({ response_action: 'errors', errors: { answer: 'Write the answer first.' } });
      return;
    }
    await ack();
    const where = JSON.parse(view.private_metadata) as { id: string; channel: string; ts?: string };
    const user = body.user.id;
    if (!mayReview(context.role as MemberRole | null)) return;
    await settle(client, where, user, async () => {
      await opts.desk.answer(where.id, { text }, by(context.slackTeam as string | undefined, user));
      return `Answered by <@${user}>: the help centre now has this answer.`;
    });
  });
}

// A model rollback is an admin's call; the report's message is replaced by what was done.
async function rollback(
  client: Client,
  block: BlockAction,
  role: MemberRole | null,
  raw: string | undefined,
  versions: IntentVersions | undefined,
): Promise<void> {
  const channel = block.channel?.id ?? block.user.id;
  const say = (text: string) => client.chat.postEphemeral({ channel, user: block.user.id, text });
  if (role !== 'admin') return void (await say('Only admins can roll a model back; nothing was changed.'));
  if (!versions) return void (await say('Rolling back is not available here.'));
  const domain = (JSON.parse(raw ?? '{}') as { domain?: unknown }).domain;
  if (domain !== 'customer' && domain !== 'marketer')
    return void (await say('That button could not be read.'));
  try {
    const { from, to } = await versions.rollback(domain);
    await done(
      client,
      channel,
      block.message?.ts,
      `<@${block.user.id}> rolled the ${domain} model back from v${from} to v${to}.`,
    );
  } catch (error) {
    await say(`Not rolled back: ${(error as Error).message}`);
  }
}

// What an item's button does (ignore, answer with an entry, label), and the line that replaces the item.
async function review(
  desk: ReviewDesk,
  actionId: string,
  raw: string | undefined,
  who: string,
  user: string,
): Promise<string> {
  if (actionId === REVIEW_ACTIONS.ignore) {
    await desk.ignore(raw ?? '', who);
    return `Ignored by <@${user}>.`;
  }
  if (actionId.startsWith(REVIEW_ACTIONS.answerWith)) {
    const { id, value: doc } = parseValue(raw, 'doc');
    await desk.answerWith(id, doc, who);
    return `Answered by <@${user}> with an existing help-centre entry: the same question finds it from now on.`;
  }
  const { id, value: intent } = parseValue(raw, 'intent');
  await desk.label(id, intent, who);
  return `Labelled *${intent}* by <@${user}>: used at the next retrain.`;
}

// A button's value: the item id and the intent or knowledge-base entry it names.
function parseValue(raw: string | undefined, key: 'intent' | 'doc'): { id: string; value: string } {
  try {
    const v = JSON.parse(raw ?? '') as Record<string, unknown>;
    if (typeof v.id === 'string' && typeof v[key] === 'string') return { id: v.id, value: v[key] };
  } catch {
    // fall through
  }
  throw new ReviewError('REVIEW_NOT_FOUND', 'that button could not be read; run /mkt review again');
}

// Runs a reviewer's act: what it says replaces the item's message; a refusal of the review service
// (already reviewed, unknown entry…) goes to the reviewer alone and the message stays.
async function settle(
  client: Client,
  where: { channel: string; ts?: string | undefined },
  user: string,
  act: () => Promise<string | undefined>,
): Promise<void> {
  try {
    const text = await act();
    if (text) await done(client, where.channel, where.ts, text);
  } catch (error) {
    await client.chat.postEphemeral({ channel: where.channel, user, text: refusal(error) });
  }
}

// Replaces the item's message with what was done (or posts it when the message is unknown).
async function done(client: Client, channel: string, ts: string | undefined, text: string): Promise<void> {
  if (ts) await client.chat.update({ channel, ts, text, blocks: [] });
  else await client.chat.postMessage({ channel, text });
}

function refusal(error: unknown): string {
  if (error instanceof ReviewError) return error.message;
  throw error;
}
