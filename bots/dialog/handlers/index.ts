// The registry of action handlers: one entry per DialogAction kind, checked by the compiler, so a
// new action cannot be added without its handler.
import type { ActionKind } from '../actions.js';
import { confirm, contactConsent, exportData, forget, handoff, handoffEnd, opt, relay } from './account.js';
import type { ActionHandler } from './context.js';
import { kbAnswer } from './knowledge.js';
import { orderStatus } from './orders.js';
import { basket, cheaperLike, productQuestion, recommend, search, similar, together } from './products.js';
import { disambiguate, reply, silent } from './replies.js';
import { surveyAnswer, surveyList, surveyStart, surveyStop } from './surveys.js';

/** Every action's handler. */
export const ACTION_HANDLERS: { [K in ActionKind]: ActionHandler<K> } = {
  silent,
  reply,
  disambiguate,
  search,
  recommend,
  similar,
  cheaper_like: cheaperLike,
  together,
  basket,
  product_question: productQuestion,
  survey_start: surveyStart,
  survey_answer: surveyAnswer,
  survey_stop: surveyStop,
  survey_list: surveyList,
  kb_answer: kbAnswer,
  order_status: orderStatus,
  handoff,
  relay,
  handoff_end: handoffEnd,
  contact_consent: contactConsent,
  opt,
  export: exportData,
  confirm,
  forget,
};
