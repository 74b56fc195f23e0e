// Posts each nlu.retrain report to SLACK_REVIEW_CHANNEL (the reviewers see what their labels did):
// scores before and after, swapped or not, and a "roll back" button for admins per domain whose
// new version went live. Without the channel or a bot token the report stays in the log only. The
// post goes through the slack.notify job, so a Slack hiccup during the night is retried with
// backoff instead of losing the report.
import { retrainReportBlocks } from '../../bots/index.js';
import type { SlackNotify } from '../../jobs/index.js';
import type { Config } from '../config.js';
import type { DomainRetrain, DomainUnchanged } from '../nlu-retrain.js';

/** Queues a slack.notify job (the process's job queue). */
export type QueueSlackNotify = (payload: SlackNotify) => Promise<unknown>;

/** The report function nlu.retrain calls, or undefined when Slack is not set up for it. */
export function slackRetrainReport(
  config: Pick<Config, 'SLACK_BOT_TOKEN' | 'SLACK_REVIEW_CHANNEL'>,
  notify: QueueSlackNotify,
): ((text: string, results: ReadonlyArray<DomainRetrain | DomainUnchanged>) => Promise<void>) | undefined {
  const { SLACK_BOT_TOKEN: token, SLACK_REVIEW_CHANNEL: channel } = config;
  if (!token || !channel) return undefined;
  return async (text, results) => {
    const swapped = results.filter((r): r is DomainRetrain => !('unchanged' in r) && r.swapped);
    const blocks = retrainReportBlocks(text, swapped) as unknown as SlackNotify['blocks'];
    await notify({ channel, text, blocks });
  };
}
