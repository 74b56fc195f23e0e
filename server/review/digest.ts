// The review.digest job: every day the oldest open review items go to SLACK_REVIEW_CHANNEL, one
// message each with the same buttons as `/mkt review`, so the queue is seen without being asked.
import type { Logger } from 'pino';
import {
  createSlackWebClient,
  postReviewItems,
  type ReviewDesk,
  type SlackWebClient,
} from '../../bots/index.js';
import { UnrecoverableJobError } from '../../jobs/index.js';
import type { Config } from '../config.js';

/** The processor of review.digest. */
export function reviewDigestProcessor(
  config: Pick<Config, 'SLACK_BOT_TOKEN' | 'SLACK_API_URL' | 'SLACK_REVIEW_CHANNEL'>,
  desk: ReviewDesk,
  logger: Pick<Logger, 'info'>,
): (payload: { reason: string; limit: number }) => Promise<{ posted: number }> {
  let client: SlackWebClient | undefined;
  return async (payload) => {
    if (!config.SLACK_BOT_TOKEN || !config.SLACK_REVIEW_CHANNEL)
      throw new UnrecoverableJobError('the review digest needs SLACK_BOT_TOKEN and SLACK_REVIEW_CHANNEL');
    client ??= createSlackWebClient(
      { botToken: config.SLACK_BOT_TOKEN, apiUrl: config.SLACK_API_URL },
      'queued',
    );
    const posted = await postReviewItems(client, config.SLACK_REVIEW_CHANNEL, desk, payload.limit);
    logger.info({ reason: payload.reason, posted }, 'review digest posted');
    return { posted };
  };
}
