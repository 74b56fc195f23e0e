// The handoff's Slack Web API calls (HandoffSlack): announce and update in the handoff channel,
// post in its thread, and agents' display names (cached: every relayed message shows one).
import type { AnnouncementView, CustomerStreams, HandoffSlack } from '../../handoff/index.js';
import { announcementBlocks, announcementText } from './handoff-blocks.js';
import { createSlackWebClient, type SlackClientSettings } from './web-client.js';

const NAME_TTL_MS = 10 * 60 * 1000;

/** HandoffSlack over the Web API (SLACK_API_URL points it at a local stand-in in tests). */
export function createHandoffSlack(options: SlackClientSettings): HandoffSlack {
  const client = createSlackWebClient(options, 'brief');
  const names = new Map<string, { name: string; at: number }>();
  return {
    async announce(channel: string, view: AnnouncementView) {
      const posted = await client.chat.postMessage({
        channel,
        text: announcementText(view),
        blocks: announcementBlocks(view),
        unfurl_links: false,
      });
      return { channel: posted.channel ?? channel, ts: posted.ts ?? '' };
    },
    async update(channel: string, ts: string, view: AnnouncementView) {
      await client.chat.update({
        channel,
        ts,
        text: announcementText(view),
        blocks: announcementBlocks(view),
      });
    },
    async postInThread(channel: string, threadTs: string, text: string) {
      await client.chat.postMessage({ channel, thread_ts: threadTs, text, unfurl_links: false });
    },
    async displayName(userId: string) {
      const cached = names.get(userId);
      if (cached && Date.now() - cached.at < NAME_TTL_MS) return cached.name;
      let name = userId;
      try {
        const info = await client.users.info({ user: userId });
        const profile = info.user?.profile;
        name =
          profile?.display_name || profile?.real_name || info.user?.real_name || info.user?.name || userId;
      } catch {
        // Without users:read the id is shown; the relay must not fail over a name.
      }
      names.set(userId, { name, at: Date.now() });
      return name;
    },
  };
}

/**
 * Customers who chat with the bot in a Slack DM: an agent's message or a notice is posted to their
 * DM (the conversation id is "<team>:<channel>"). Any process can post, so every one delivers its
 * own; a failed post is logged (the message stays in the thread and the database).
 */
export function slackDmStreams(
  options: SlackClientSettings,
  onError: (err: unknown) => void,
): CustomerStreams {
  const client = createSlackWebClient(options, 'patient');
  return {
    deliver(message) {
      if (message.channel !== 'slack') return false;
      const channel = message.conversationExternalId.split(':')[1];
      if (!channel) return false;
      const text =
        message.direction === 'agent' ? `*${message.author ?? 'Team'}*: ${message.text}` : message.text;
      client.chat.postMessage({ channel, text }).catch(onError);
      return true;
    },
  };
}
