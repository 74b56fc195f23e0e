// Web Chat's livestreaming (botframework-webchat 4.18): an answer being written is sent as `typing`
// activities that carry the whole text so far, channelData { streamType: 'streaming',
// streamSequence: 1, 2, ... } and, from the second on, streamId = the first one's activity id; the
// final `message` carries { streamType: 'final', streamId } and replaces them on screen. Clients
// without livestreaming show the typing indicator, then the message.
import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import type { LiveReply } from './types.js';

/** Fewest milliseconds between two updates: a local model writes a token every few ms. */
export const LIVE_UPDATE_INTERVAL_MS = 150;

/** One turn's stream of partial answers to a Bot Framework client. */
export class LiveActivityStream implements LiveReply {
  private streamId: string | undefined;
  private sequence = 0;
  private latest: string | undefined;
  private sentAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  private failed = false;

  constructor(
    private readonly context: TurnContext,
    private readonly onError: (err: unknown) => void,
    private readonly intervalMs = LIVE_UPDATE_INTERVAL_MS,
  ) {}

  update(textSoFar: string): void {
    this.latest = textSoFar;
    if (this.timer || this.failed) return;
    const wait = this.sentAt + this.intervalMs - Date.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Marks the final activity as the end of the stream (after the updates in flight). */
  async finish(activity: Partial<Activity>): Promise<Partial<Activity>> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.latest = undefined;
    await this.sending;
    if (!this.streamId) return activity;
    return {
      ...activity,
      channelData: { ...(activity.channelData as object), streamType: 'final', streamId: this.streamId },
    };
  }

  private flush(): void {
    this.timer = undefined;
    const text = this.latest;
    if (text === undefined) return;
    this.latest = undefined;
    this.sentAt = Date.now();
    const sequence = ++this.sequence;
    // In order: the first update's id is the stream's id the others refer to.
    this.sending = this.sending.then(async () => {
      if (this.failed) return;
      try {
        const sent = await this.context.sendActivity({
          type: ActivityTypes.Typing,
          text,
          channelData: {
            streamType: 'streaming',
            streamSequence: sequence,
            ...(this.streamId ? { streamId: this.streamId } : {}),
          },
        });
        this.streamId ??= sent?.id;
      } catch (err) {
        // A lost update only costs the live view: the final reply still comes.
        this.failed = true;
        this.onError(err);
      }
    });
  }
}
