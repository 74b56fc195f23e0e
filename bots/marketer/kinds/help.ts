// "help": examples of what can be asked.
import { defineKind } from './kind.js';

/** Usage lines shown by help. */
export const MARKETER_HELP = [
  '*Segments*: "list segments" · "how big is bargain hunters?" · "describe promoters" · "create a segment called bargain lovers with everyone whose price consciousness is above 3.5" · "send me the promoters as a spreadsheet" · "how much do bargain hunters and promoters overlap?" · "which segments overlap most?" · "how has bargain hunters grown since June?"',
  '*NPS / CSAT*: "NPS this month" · "CSAT last quarter for bargain hunters" · "chart NPS over the last 6 months"',
  '*Surveys*: "results of big-five" · "completion and drop-off of the purchase-motivation survey" · "chart of openness by age band"',
  '*Products*: "top products last quarter" · "top products bought with coffee"',
  '*Chat*: "conversation volume last week" · "fallback rate this month" · "handoff rate last 30 days" · "what do customers dislike most?" · "handoffs waiting"',
  '*Customers* (admin): "look up customer ada.abbott.1@example.com" · "recommendations for Ada Abbott"',
  '*Roles* (admin): `/mkt roles list` · `/mkt roles add @user marketer` · `/mkt roles remove @user`',
];

/** A request for examples. */
export interface HelpQuestion {
  kind: 'help';
}

export const help = defineKind<HelpQuestion>({
  kind: 'help',
  access: 'any',
  asked: { intents: ['help'], read: () => ({ kind: 'help' }) },
  answer: () => ({ text: 'Ask me in plain English, for example:', lines: MARKETER_HELP }),
});
