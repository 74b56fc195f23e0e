// Every Slack Web API client of the app is made here: one place says where it points (SLACK_API_URL:
// a local stand-in in tests) and how it retries, by a policy named for what waits on the call.
import { webApi } from '@slack/bolt';

/** A Slack Web API client. */
export type SlackWebClient = InstanceType<typeof webApi.WebClient>;

/** How a client retries a failed call (rate limits included). */
export const SLACK_RETRIES = {
  /** Not at all: a job queue retries with backoff and records what failed (`mkt jobs failed`). */
  queued: { retries: 0 },
  /** Twice within about a second: a relay is waiting on the call (the handoff channel). */
  brief: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1_000 },
  /** Slack's own default, ten retries over about 30 minutes (the Bolt app, a customer's DM). */
  patient: webApi.retryPolicies.tenRetriesInAboutThirtyMinutes,
} satisfies Record<string, webApi.RetryOptions>;

/** A retry policy of SLACK_RETRIES. */
export type SlackRetry = keyof typeof SLACK_RETRIES;

/** Where a client points and with which token. */
export interface SlackClientSettings {
  botToken: string;
  /** SLACK_API_URL; absent: Slack itself. */
  apiUrl?: string | undefined;
}

/** A client's options: what `createSlackWebClient` uses, and what the Bolt app builds its own with. */
export function slackClientOptions(apiUrl: string | undefined, retry: SlackRetry): webApi.WebClientOptions {
  return { ...(apiUrl ? { slackApiUrl: apiUrl } : {}), retryConfig: SLACK_RETRIES[retry] };
}

/** A Web API client with the bot token. */
export function createSlackWebClient(settings: SlackClientSettings, retry: SlackRetry): SlackWebClient {
  return new webApi.WebClient(settings.botToken, slackClientOptions(settings.apiUrl, retry));
}
