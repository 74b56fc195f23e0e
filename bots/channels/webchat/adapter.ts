// A botbuilder adapter of our own for the self-hosted Direct Line: the bot's outgoing activities
// go into the transcript buffer (and from there to the WebSocket and the polling GET) instead of
// to the Bot Framework connector service.
import {
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import type { TranscriptHub } from './transcript.js';

const BEFORE_FIRST_REPLY = Symbol('beforeFirstReply');

/** The bot's identity on this channel. */
export const DIRECT_LINE_BOT = { id: 'bot', name: 'Assistant', role: 'bot' } as const;

/** Runs turns for Direct Line conversations and delivers replies to the transcript. */
export class DirectLineAdapter extends BotAdapter {
  constructor(private readonly hub: TranscriptHub) {
    super();
  }

  /**
   * Runs the bot's middleware and logic for one inbound activity. `beforeFirstReply` runs once,
   * just before the turn's first activity other than a typing indicator is delivered (the plugin
   * shows the user's message there, so it precedes the reply but never outlives a refused turn).
   */
  async processActivity(
    activity: Partial<Activity>,
    logic: (context: TurnContext) => Promise<void>,
    beforeFirstReply?: () => void,
  ): Promise<void> {
    const context = new TurnContext(this, activity);
    if (beforeFirstReply) context.turnState.set(BEFORE_FIRST_REPLY, beforeFirstReply);
    await this.runMiddleware(context, logic);
  }

  override async sendActivities(
    context: TurnContext,
    activities: Partial<Activity>[],
  ): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type !== 'typing' && activity.type !== 'delay') {
        const before = context.turnState.get(BEFORE_FIRST_REPLY) as (() => void) | undefined;
        context.turnState.delete(BEFORE_FIRST_REPLY);
        before?.();
      }
      if (activity.type === 'delay') {
        // botbuilder's convention: a "delay" activity pauses the outgoing stream for value ms.
        await new Promise((r) => setTimeout(r, typeof activity.value === 'number' ? activity.value : 1000));
        responses.push({ id: '' });
        continue;
      }
      const conversationId = activity.conversation?.id ?? context.activity.conversation.id;
      const id = this.hub.append(conversationId, {
        ...activity,
        channelId: 'directline',
        conversation: { id: conversationId } as Activity['conversation'],
        from: activity.from ?? DIRECT_LINE_BOT,
        timestamp: new Date(),
      });
      responses.push({ id });
    }
    return responses;
  }

  override async updateActivity(context: TurnContext, activity: Partial<Activity>): Promise<void> {
    this.hub.update(activity.conversation?.id ?? context.activity.conversation.id, activity);
  }

  override async deleteActivity(
    context: TurnContext,
    reference: Partial<ConversationReference>,
  ): Promise<void> {
    const conversationId = reference.conversation?.id ?? context.activity.conversation.id;
    if (reference.activityId)
      this.hub.update(conversationId, {
        id: reference.activityId,
        type: 'messageDelete' as Activity['type'],
        text: '',
      });
  }

  override async continueConversation(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const activity = TurnContext.applyConversationReference(
      { type: 'event', name: 'continueConversation' },
      reference,
      true,
    );
    await this.processActivity(activity, logic);
  }
}
