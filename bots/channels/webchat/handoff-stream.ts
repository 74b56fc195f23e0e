// The live handoff's side of web chat: an agent's message or an assistant notice as a Direct Line
// activity, appended to this process's buffer when it serves the conversation (the WebSocket
// stream and the polling GET both read it).
import type { Activity } from 'botbuilder';
import type { CustomerStreams, RelayMessage } from '../../handoff/index.js';
import { replyToActivity } from '../../dialog/render-activity.js';
import type { Suggestion } from '../../dialog/types.js';
import { DIRECT_LINE_BOT } from './adapter.js';
import type { TranscriptHub } from './transcript.js';

/** The activity a relayed message becomes; an agent's shows their name before the text. */
export function relayActivity(message: RelayMessage): Partial<Activity> {
  if (message.direction === 'agent')
    return {
      type: 'message',
      text: `**${message.author ?? 'Team'}**: ${message.text}`,
      from: { id: 'agent', name: message.author ?? 'Team', role: 'bot' },
      channelData: { tag: 'handoff:agent', relayId: message.messageId },
    };
  const activity = replyToActivity({
    kind: 'text',
    text: message.text,
    ...(message.suggestions ? { suggestions: message.suggestions as Suggestion[] } : {}),
    tag: 'handoff:notice',
  });
  return {
    ...activity,
    from: DIRECT_LINE_BOT,
    channelData: { tag: 'handoff:notice', relayId: message.messageId },
  };
}

/** Customer streams over this process's Direct Line buffer. */
export function webchatStreams(hub: TranscriptHub): CustomerStreams {
  return {
    deliver(message) {
      if (message.channel !== 'webchat' || !hub.has(message.conversationExternalId)) return false;
      const activity = relayActivity(message);
      hub.append(message.conversationExternalId, {
        ...activity,
        channelId: 'directline',
        conversation: { id: message.conversationExternalId } as Activity['conversation'],
        timestamp: new Date(),
      });
      return true;
    },
  };
}
