// The slack.notify job: posts a message (optionally in a thread) through the Slack Web API, with
// the queue's retries for what may pass (network, rate limits, Slack errors) and none for what will
// not (no token, the app not in the channel, a channel that is gone, revoked auth): those fail at
// once with Slack's reason, visible in `mkt jobs failed`.
import type { Logger } from 'pino';
import { createSlackWebClient, slackErrorCode, type SlackWebClient } from '../../bots/index.js';
import type { types } from '@slack/bolt';
import { UnrecoverableJobError, type SlackNotify } from '../../jobs/index.js';
import type { Config } from '../config.js';

/** Slack errors that no retry will fix. */
const PERMANENT: ReadonlySet<string> = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'restricted_action',
  'msg_too_long',
  'no_text',
]);

/** The processor of slack.notify. */
export function slackNotifyProcessor(
  config: { SLACK_BOT_TOKEN?: Config['SLACK_BOT_TOKEN']; SLACK_API_URL?: Config['SLACK_API_URL'] },
  logger: Pick<Logger, 'warn'>,
) {
  let client: SlackWebClient | undefined;
  return async (payload: SlackNotify) => {
    if (!config.SLACK_BOT_TOKEN)
      throw new UnrecoverableJobError('Slack is not configured (SLACK_BOT_TOKEN is not set)');
    client ??= createSlackWebClient(
      { botToken: config.SLACK_BOT_TOKEN, apiUrl: config.SLACK_API_URL },
      'queued',
    );
    try {
      const posted = await client.chat.postMessage({
        channel: payload.channel,
        text: payload.text,
        ...(payload.threadTs ? { thread_ts: payload.threadTs } : {}),
        // Block Kit's types are a union the queue's JSON payload cannot name; Slack validates them.
        ...(payload.blocks ? { blocks: payload.blocks as unknown as types.KnownBlock[] } : {}),
      });
      return { channel: posted.channel ?? payload.channel, ts: posted.ts ?? '' };
    } catch (err) {
      const code = slackErrorCode(err);
      if (code && PERMANENT.has(code)) {
        logger.warn({ channel: payload.channel, code }, 'slack.notify refused for good');
        throw new UnrecoverableJobError(`Slack refused the message: ${code}`, { cause: err });
      }
      throw err;
    }
  };
}
