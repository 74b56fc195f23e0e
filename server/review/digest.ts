// The review.digest job: every day the oldest open review items go to SLACK_REVIEW_CHANNEL, one
// message each with the same buttons as `/mkt review`, so the queue is seen without being asked.
import type { Logger } from 'pino';
import { postReviewItems, webApi, type ReviewDesk } from '../../bots/index.js';
import { UnrecoverableJobError } from '../../jobs/index.js';
import type { Config } from '../config.js';

/** The processor of review.digest. */
export function reviewDigestProcessor(
  config: Pick<Config, 'SLACK_BOT_TOKEN' | 'SLACK_API_URL' | 'SLACK_REVIEW_CHANNEL'>,
  desk: ReviewDesk,
  logger: Pick<Logger, 'info'>,
): (payload: { reason: string; limit: number }) => Promise<{ posted: number }> {
  let client: InstanceType<typeof webApi.WebClient> | undefined;
  return async (payload) => {
    if (!config.SLACK_BOT_TOKEN || !config.SLACK_REVIEW_CHANNEL)
      throw new UnrecoverableJobError('the review digest needs SLACK_BOT_TOKEN and SLACK_REVIEW_CHANNEL');
    client ??= new webApi.WebClient(config.SLACK_BOT_TOKEN, {
      ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
      retryConfig: { retries: 0 },
    });
    const posted = await postReviewItems(client, config.SLACK_REVIEW_CHANNEL, desk, payload.limit);
    logger.info({ reason: payload.reason, posted }, 'review digest posted');
    return { posted };
  };
}
