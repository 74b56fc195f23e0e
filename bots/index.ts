// Public entry of the bots capability: other folders import only from here.
export * from './errors.js';
export { ReviewError, type ReviewErrorCode } from './review-errors.js';
export type * from './ports.js';
export type * from './review-ports.js';
export type { ButtonAction, InboundMessage, LiveReply, Reply, Suggestion } from './dialog/types.js';
export { decide, decideIntent, type DialogAction, type Decision } from './dialog/decide.js';
export {
  DEFAULT_POLICY,
  dialogPolicy,
  ZDialogPolicy,
  ZDialogPolicyOverrides,
  type DialogPolicy,
  type DialogPolicyOverrides,
} from './dialog/policy.js';
export { Responses, RESPONSES_FILE } from './dialog/responses.js';
export { INTENT_ROUTES, type IntentRoute, type IntentContext } from './dialog/intent-routes.js';
export { ACTION_HANDLERS } from './dialog/handlers/index.js';
export type { ActionHandler, ActionContext } from './dialog/handlers/context.js';
export { DialogEngine, type DialogEngineOptions, type TurnResult } from './dialog/engine.js';
export { initialState, parseState, ZDialogState, type DialogState } from './dialog/state.js';
export { reviewReason, type TurnOutcome } from './dialog/review-trigger.js';
export { MarketingBot, type MarketingBotOptions } from './dialog/activity-bot.js';
export { activityToInbound, replyToActivity, ZButtonAction } from './dialog/render-activity.js';
export { directLinePlugin, type DirectLineOptions, type TurnRunner } from './channels/webchat/plugin.js';
export { DirectLineAdapter } from './channels/webchat/adapter.js';
export { TranscriptHub } from './channels/webchat/transcript.js';
export {
  memoryActivityClaims,
  PENDING,
  type ActivityClaims,
  type ClaimResult,
} from './channels/webchat/claims.js';
export { relayActivity, webchatStreams } from './channels/webchat/handoff-stream.js';
export { createHandoffSlack, slackDmStreams } from './channels/slack/handoff-client.js';
export { TokenService } from './channels/webchat/tokens.js';
export { chatPagePlugin, type ChatPageOptions } from './channels/webchat/page.js';
export { cloudAdapterPlugin, type CloudAdapterOptions } from './channels/webchat/cloud-adapter.js';
export { slackPlugin, type SlackPluginOptions } from './channels/slack/plugin.js';
export { createSlackApp, REFUSAL, type SlackAppOptions } from './channels/slack/app.js';
export { postReviewItems } from './channels/slack/review-listeners.js';
export { retrainReportBlocks } from './channels/slack/review-blocks.js';
export { FastifySlackReceiver } from './channels/slack/receiver.js';
export { MARKETER_INTENTS, understandQuestion } from './marketer/understand.js';
export { answerQuestion, type MarketerReply, type MarketerAnswerDeps } from './marketer/answer.js';
export { MarketerDialog, MARKETER_CONVERSATION_PREFIX, type MarketerDialogDeps } from './marketer/dialog.js';
export type { MarketerInsights } from './marketer/ports.js';
export type { MarketerQuestion } from './marketer/kinds/index.js';
export type { MarketerVocabulary } from './marketer/questions.js';
export { parseRolesCommand, runRolesCommand, type MemberRoles } from './marketer/roles.js';
export { renderChartPng, type ChartData } from './analytics/chart.js';
export {
  loadTrainingData,
  examplesFromYaml,
  parseAnnotated,
  trainingFilePath,
  type AnnotatedExample,
} from './nlu-data/index.js';
export * from './handoff/index.js';
export { DM_FALLBACK_ERRORS, deliverOrFallBack, slackErrorCode } from './channels/slack/delivery.js';
export { createSlackWebClient, type SlackWebClient } from './channels/slack/web-client.js';
