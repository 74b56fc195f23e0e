// Posts each nlu.retrain report to SLACK_REVIEW_CHANNEL (the reviewers see what their labels did):
// scores before and after, swapped or not, and a "roll back" button for admins per domain whose
// new version went live. Without the channel or a bot token the report stays in the log only.
import { retrainReportBlocks, webApi } from '../../bots/index.js';
import type { Config } from '../config.js';
import type { DomainRetrain, DomainUnchanged } from '../nlu-retrain.js';

/** The report function nlu.retrain calls, or undefined when Slack is not set up for it. */
export function slackRetrainReport(
  config: Pick<Config, 'SLACK_BOT_TOKEN' | 'SLACK_API_URL' | 'SLACK_REVIEW_CHANNEL'>,
): ((text: string, results: ReadonlyArray<DomainRetrain | DomainUnchanged>) => Promise<void>) | undefined {
  const { SLACK_BOT_TOKEN: token, SLACK_REVIEW_CHANNEL: channel } = config;
  if (!token || !channel) return undefined;
  const client = new webApi.WebClient(token, {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
  });
  return async (text, results) => {
    const swapped = results.filter((r): r is DomainRetrain => !('unchanged' in r) && r.swapped);
    await client.chat.postMessage({ channel, text, blocks: retrainReportBlocks(text, swapped) });
  };
}
