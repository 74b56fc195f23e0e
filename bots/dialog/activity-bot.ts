// The Bot Framework face of the dialog: an ActivityHandler that shows typing, runs one engine turn
// and sends the rendered replies. Used by the Direct Line adapter and by CloudAdapter alike.
import { ActivityHandler, ActivityTypes, type TurnContext } from 'botbuilder';
import type { BotLogger, ChannelName } from '../ports.js';
import type { DialogEngine } from './engine.js';
import { LiveActivityStream } from './live-activity.js';
import { activityToInbound, replyToActivity } from './render-activity.js';

/** Options of the marketing bot. */
export interface MarketingBotOptions {
  engine: DialogEngine;
  brandName: string;
  logger: BotLogger;
  /** Maps a Bot Framework channel id to a stored channel ("directline" → webchat). */
  channelOf?: (channelId: string) => ChannelName;
}

/** The customer-facing bot. */
export class MarketingBot extends ActivityHandler {
  constructor(private readonly opts: MarketingBotOptions) {
    super();
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const joined = (context.activity.membersAdded ?? []).filter(
        (m) => m.id !== context.activity.recipient?.id,
      );
      if (joined.length > 0) {
        await context.sendActivity(replyToActivity(this.opts.engine.greeting()));
      }
      await next();
    });
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    await context.sendActivity({ type: ActivityTypes.Typing });
    const channel = (this.opts.channelOf ?? defaultChannelOf)(context.activity.channelId);
    const live = new LiveActivityStream(context, (err) =>
      this.opts.logger.warn({ err }, 'a live answer update was not sent; the final reply follows'),
    );
    const result = await this.opts.engine.handle(activityToInbound(context.activity, channel), live);
    if (result.replies.length === 0) return;
    const activities = await Promise.all(
      result.replies.map((reply) =>
        reply.kind === 'text' && reply.streamed
          ? live.finish(replyToActivity(reply))
          : replyToActivity(reply),
      ),
    );
    await context.sendActivities(activities);
  }
}

function defaultChannelOf(channelId: string): ChannelName {
  return channelId === 'directline' || channelId === 'webchat' ? 'webchat' : 'api';
}
