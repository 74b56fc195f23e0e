// Reply → Bot Framework activity: hero cards for products (image, price, "More like this",
// "Add to basket"), suggested actions for quick replies. Inbound activity → InboundMessage.
import { ActionTypes, CardFactory, type Activity, type CardAction } from 'botbuilder';
import { z } from 'zod';
import type { ChannelName, ProductCard } from '../ports.js';
import { formatPrice } from './format.js';
import type { ButtonAction, InboundMessage, Reply, Suggestion } from './types.js';

export { formatPrice } from './format.js';

/** Button payloads the bot accepts back (anything else is ignored, not trusted). */
export const ZButtonAction = z.discriminatedUnion('a', [
  z.object({ a: z.literal('more'), sku: z.string().min(1).max(100) }),
  z.object({ a: z.literal('cheaper'), sku: z.string().min(1).max(100) }),
  z.object({ a: z.literal('together'), sku: z.string().min(1).max(100) }),
  z.object({ a: z.literal('basket'), sku: z.string().min(1).max(100) }),
  z.object({ a: z.literal('intent'), intent: z.string().min(1).max(60), text: z.string().max(500) }),
  z.object({ a: z.literal('confirm'), yes: z.boolean() }),
]);

function suggestionAction(s: Suggestion): CardAction {
  if (!s.action && s.title === s.text) return { type: ActionTypes.ImBack, title: s.title, value: s.text };
  // messageBack shows the title in the transcript but sends the short text (a survey value).
  if (!s.action)
    return { type: ActionTypes.MessageBack, title: s.title, text: s.text, displayText: s.title, value: null };
  return {
    type: ActionTypes.MessageBack,
    title: s.title,
    text: s.text,
    displayText: s.text,
    value: s.action,
  };
}

function buttonAction(title: string, action: ButtonAction): CardAction {
  return { type: ActionTypes.MessageBack, title, text: title, displayText: title, value: action };
}

/** A product as a hero card. */
export function productCard(p: ProductCard): ReturnType<typeof CardFactory.heroCard> {
  const images = p.imageUrl ? [{ url: p.imageUrl, alt: p.name }] : [];
  return CardFactory.heroCard(
    p.name,
    p.reason ?? p.description ?? '',
    images,
    [
      buttonAction('More like this', { a: 'more', sku: p.sku }),
      buttonAction('Add to basket', { a: 'basket', sku: p.sku }),
    ],
    { subtitle: formatPrice(p.price, p.currency) },
  );
}

/** Renders a reply as one message activity. */
export function replyToActivity(reply: Reply): Partial<Activity> {
  const activity: Partial<Activity> = { type: 'message', text: reply.text, inputHint: 'acceptingInput' };
  // What the bot did, for client analytics and the conversation benchmark (no customer data).
  if (reply.tag) activity.channelData = { tag: reply.tag };
  if (reply.kind === 'products') {
    activity.attachmentLayout = 'carousel';
    activity.attachments = reply.products.map(productCard);
  }
  if (reply.suggestions && reply.suggestions.length > 0) {
    activity.suggestedActions = { to: [], actions: reply.suggestions.map(suggestionAction) };
  }
  return activity;
}

/** Web Chat's own id of a message it may send again (a short string), validated. */
const ZClientActivityId = z.string().min(1).max(128);

/**
 * The id the message is stored under: Web Chat's `channelData.clientActivityID` when it sent one,
 * since a resend of the same message carries the same one (the service gives each POST a new
 * activity id), so a resent message is recognised; else the activity id.
 */
export function messageKeyOf(activity: Partial<Activity>): string | undefined {
  const client = ZClientActivityId.safeParse(
    (activity.channelData as { clientActivityID?: unknown } | undefined)?.clientActivityID,
  );
  return client.success ? `client:${client.data}` : activity.id;
}

/** Turns an inbound Bot Framework message activity into the channel-agnostic message. */
export function activityToInbound(activity: Partial<Activity>, channel: ChannelName): InboundMessage {
  const parsed = ZButtonAction.safeParse(activity.value);
  return {
    channel,
    conversationExternalId: activity.conversation?.id ?? '',
    userExternalId: activity.from?.id ?? '',
    activityId: messageKeyOf(activity),
    text: typeof activity.text === 'string' ? activity.text : '',
    action: parsed.success ? parsed.data : undefined,
    attachments: (activity.attachments ?? []).map((a) => ({ contentType: a.contentType, name: a.name })),
  };
}
