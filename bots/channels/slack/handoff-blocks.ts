// Block Kit of a handoff announcement (pure): who, why, the last messages as every member may see
// them, state, and the Claim / Close / Transcript buttons; and the transcript a member asked for.
import type { types } from '@slack/bolt';
import type { AnnouncementView, TranscriptView } from '../../handoff/index.js';

const MAX_TEXT = 2900;
// Slack allows 50 blocks in a message; the transcript keeps a few for its header.
const MAX_TRANSCRIPT_SECTIONS = 45;
const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);
const mrkdwn = (text: string): types.KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: clip(text) },
});

/** Action ids of the announcement's buttons (value: the handoff id). */
export const HANDOFF_ACTIONS = {
  claim: 'handoff_claim',
  close: 'handoff_close',
  transcript: 'handoff_transcript',
} as const;

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
    mrkdwn(
      `*A customer wants a person*\n*Customer:* ${view.customer} · *Channel:* ${view.channel} · *Language:* ${view.language}\n*Why:* ${view.reason}`,
    ),
  ];
  if (view.lastMessages.length > 0) blocks.push(mrkdwn(view.lastMessages.map((l) => `> ${l}`).join('\n')));
  const count = `${view.messageCount} message${view.messageCount === 1 ? '' : 's'} so far: *Transcript* shows them to you as your role allows.`;
  blocks.push({
    type: 'context',
    elements: [announcementStatus(view), count].map((text) => ({ type: 'mrkdwn' as const, text })),
  });
  const button = (text: string, action_id: string, style?: 'primary') => ({
    type: 'button' as const,
    text: { type: 'plain_text' as const, text },
    action_id,
    value: view.handoffId,
    ...(style ? { style } : {}),
  });
  blocks.push({
    type: 'actions',
    elements: [
      ...(view.status === 'open' ? [button('Claim', HANDOFF_ACTIONS.claim, 'primary')] : []),
      ...(view.status !== 'released' ? [button('Close', HANDOFF_ACTIONS.close)] : []),
      button('Transcript', HANDOFF_ACTIONS.transcript),
    ],
  });
  return blocks;
}

const READS = { clear: 'in full (admin)', masked: 'with personal data masked (marketer)' } as const;

/** The transcript one member asked for (shown to them alone), newest lines kept when too long. */
export function transcriptBlocks(view: TranscriptView): types.KnownBlock[] {
  const sections: string[] = [];
  let current = '';
  for (const line of view.lines.map((l) => clip(l))) {
    if (current && current.length + line.length + 1 > MAX_TEXT) {
      sections.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) sections.push(current);
  const kept = sections.slice(-MAX_TRANSCRIPT_SECTIONS);
  const cut = sections.length > kept.length || view.omitted > 0;
  return [
    mrkdwn(
      `*Transcript: ${view.customer}* (${view.channel}, ${view.status}) — ${READS[view.view]}${cut ? '; older messages left out' : ''}. Only you can see this.`,
    ),
    ...(kept.length > 0 ? kept.map(mrkdwn) : [mrkdwn('_No messages yet._')]),
  ];
}

function mention(who: string): string {
  return /^U[A-Z0-9]+$/.test(who) ? `<@${who}>` : who;
}
