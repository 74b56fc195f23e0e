// Block Kit of a handoff announcement (pure): who, why, the last messages, state, and the
// Claim / Close buttons while it is live.
import type { types } from '@slack/bolt';
import type { AnnouncementView } from '../../handoff/index.js';

const MAX_TEXT = 2900;
const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);

/** Action ids of the announcement's buttons (value: the handoff id). */
export const HANDOFF_ACTIONS = { claim: 'handoff_claim', close: 'handoff_close' } as const;

/** One line on the state of the handoff. */
export function announcementStatus(view: AnnouncementView): string {
  if (view.status === 'released')
    return view.closedBy === 'customer'
      ? ':white_check_mark: Closed: the customer went back to the assistant.'
      : `:white_check_mark: Closed${view.closedBy ? ` by ${mention(view.closedBy)}` : ''}.`;
  if (view.status === 'claimed')
    return `:raising_hand: Claimed by ${mention(view.claimedBy ?? '')}. Reply in this thread.`;
  return ':hourglass_flowing_sand: Waiting for a person. Reply in this thread to write to the customer.';
}

/** The notification text (also what screen readers and push notifications show). */
export function announcementText(view: AnnouncementView): string {
  return `Handoff: ${view.customer} (${view.channel}) — ${view.reason}`;
}

/** The announcement's blocks. */
export function announcementBlocks(view: AnnouncementView): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(
          `*A customer wants a person*\n*Customer:* ${view.customer} · *Channel:* ${view.channel} · *Language:* ${view.language}\n*Why:* ${view.reason}`,
        ),
      },
    },
  ];
  if (view.lastMessages.length > 0)
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: clip(view.lastMessages.map((l) => `> ${l}`).join('\n')) },
    });
  const context = [announcementStatus(view)];
  if (view.transcriptUrl) context.push(`<${view.transcriptUrl}|Full transcript>`);
  blocks.push({ type: 'context', elements: context.map((text) => ({ type: 'mrkdwn' as const, text })) });
  if (view.status !== 'released')
    blocks.push({
      type: 'actions',
      elements: [
        ...(view.status === 'open'
          ? [
              {
                type: 'button' as const,
                text: { type: 'plain_text' as const, text: 'Claim' },
                action_id: HANDOFF_ACTIONS.claim,
                value: view.handoffId,
                style: 'primary' as const,
              },
            ]
          : []),
        {
          type: 'button' as const,
          text: { type: 'plain_text' as const, text: 'Close' },
          action_id: HANDOFF_ACTIONS.close,
          value: view.handoffId,
        },
      ],
    });
  return blocks;
}

function mention(who: string): string {
  return /^U[A-Z0-9]+$/.test(who) ? `<@${who}>` : who;
}
