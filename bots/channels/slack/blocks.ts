// Block Kit rendering: marketer answers, customer replies in DMs (surveys with buttons) and the
// App Home view. Pure functions from data to JSON blocks.
import type { types } from '@slack/bolt';
import type { HandoffView, ProductCard } from '../../ports.js';
import { formatPrice } from '../../dialog/render-activity.js';
import { queueLine } from '../../handoff/queue.js';
import type { Reply } from '../../dialog/types.js';
import type { MarketerReply, ReplyButton } from '../../marketer/answer.js';

type KnownBlock = types.KnownBlock;

const MAX_TEXT = 2900;

const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);
const section = (text: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: clip(text) },
});

function productBlock(p: ProductCard): KnownBlock {
  const text = `*${p.name}* — ${formatPrice(p.price, p.currency)} · \`${p.sku}\`${p.reason ? `\n${p.reason}` : ''}`;
  return p.imageUrl && /^https?:\/\//.test(p.imageUrl)
    ? {
        type: 'section',
        text: { type: 'mrkdwn', text: clip(text) },
        accessory: { type: 'image', image_url: p.imageUrl, alt_text: p.name },
      }
    : section(text);
}

function actions(buttons: ReplyButton[]): KnownBlock {
  return {
    type: 'actions',
    elements: buttons.slice(0, 25).map((b) => ({
      type: 'button' as const,
      text: { type: 'plain_text' as const, text: b.text.slice(0, 75) },
      action_id: b.actionId,
      value: b.value.slice(0, 2000),
      ...(b.style ? { style: b.style } : {}),
    })),
  };
}

/** Block Kit for a marketer answer (the chart itself is uploaded as a file). */
export function answerBlocks(a: MarketerReply): KnownBlock[] {
  const blocks: KnownBlock[] = [section(a.text)];
  if (a.fields && a.fields.length > 0) {
    blocks.push({
      type: 'section',
      fields: a.fields.slice(0, 10).map((f) => ({ type: 'mrkdwn', text: `*${f.label}*\n${f.value}` })),
    });
  }
  if (a.lines && a.lines.length > 0) blocks.push(section(a.lines.map((l) => `• ${l}`).join('\n')));
  for (const p of a.products ?? []) blocks.push(productBlock(p));
  if (a.buttons && a.buttons.length > 0) blocks.push(actions(a.buttons));
  return blocks;
}

/** Block Kit for a customer reply in a DM (survey questions get answer buttons). */
export function replyBlocks(reply: Reply): KnownBlock[] {
  const blocks: KnownBlock[] = [section(reply.text)];
  if (reply.kind === 'products') for (const p of reply.products) blocks.push(productBlock(p));
  if (reply.suggestions && reply.suggestions.length > 0) {
    blocks.push(
      actions(
        reply.suggestions.map((s, i) => ({ text: s.title, actionId: `customer_reply_${i}`, value: s.text })),
      ),
    );
  }
  return blocks;
}

/** The App Home tab. */
export function homeView(
  figures: Array<{ label: string; value: string }>,
  handoffs: HandoffView[],
  allowed: boolean,
) {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Marketing assistant' } },
  ];
  if (!allowed) {
    blocks.push(
      section(
        "You're not on the list of people who may see customer data here. Ask a workspace admin to add you.",
      ),
    );
    return { type: 'home' as const, blocks };
  }
  if (figures.length > 0) {
    blocks.push({
      type: 'section',
      fields: figures.slice(0, 10).map((f) => ({ type: 'mrkdwn', text: `*${f.label}*\n${f.value}` })),
    });
  }
  blocks.push({ type: 'divider' });
  blocks.push(
    section(
      handoffs.length === 0
        ? 'No conversations waiting for a person.'
        : `*${handoffs.length}* conversation(s) waiting for a person.`,
    ),
  );
  // The queue itself: who, waiting how long, claimed by whom, and the thread to answer in.
  if (handoffs.length > 0) {
    const now = new Date();
    blocks.push(
      section(
        handoffs
          .slice(0, 15)
          .map((h, i) => queueLine(h, i, now))
          .join('\n'),
      ),
    );
  }
  blocks.push(
    actions([
      { text: 'Segments', actionId: 'home_segments', value: 'segments' },
      { text: 'NPS last 30 days', actionId: 'home_nps', value: 'nps' },
      { text: 'Handoffs', actionId: 'home_handoffs', value: 'handoffs' },
    ]),
  );
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: 'Type `/mkt help` anywhere, or message me in plain English.' }],
  });
  return { type: 'home' as const, blocks };
}
