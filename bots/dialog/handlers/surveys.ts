// Survey actions: start (by id), answer, pause, and the list of surveys a customer can take.
import type { SurveyStep } from '../../ports.js';
import type { DialogState } from '../state.js';
import { say, type ActionHandler, type Executed } from './context.js';

/** Phrases a survey step; buttons for scale options, "n of m" progress. */
export function surveyReply(step: SurveyStep, state: DialogState, tag = 'survey'): Executed {
  if (step.kind !== 'question')
    return {
      replies: [{ kind: 'text', text: step.text, tag: `${tag}:${step.kind}` }],
      state: { ...state, survey: null },
    };
  const question = step.total > 0 ? `(${step.index} of ${step.total}) ${step.text}` : step.text;
  const parts = [step.preface, step.reask, question].filter((s): s is string => Boolean(s));
  // The button shows the label ("4 · Agree") and sends the value ("4") the survey parser reads.
  const suggestions = step.options.map((o) => ({ title: o.label, text: o.value }));
  return {
    replies: [
      {
        kind: 'text',
        text: parts.join('\n\n'),
        suggestions: suggestions.length > 0 ? suggestions : undefined,
        tag: `${tag}:${step.instrumentId}`,
      },
    ],
    state: { ...state, survey: step.instrumentId },
  };
}

export const surveyStart: ActionHandler<'survey_start'> = async (action, ctx) => {
  const { surveys } = ctx.deps;
  let step = await surveys.start(ctx.turn.customerId, action.instrumentId, ctx.turn.channel);
  if (action.firstAnswer !== undefined && step.kind === 'question' && step.index === 1)
    step = await surveys.answer(
      ctx.turn.customerId,
      action.instrumentId,
      action.firstAnswer,
      ctx.turn.channel,
      ctx.turn.key,
    );
  return surveyReply(step, ctx.state, 'survey_start');
};

export const surveyAnswer: ActionHandler<'survey_answer'> = async (action, ctx) =>
  surveyReply(
    await ctx.deps.surveys.answer(
      ctx.turn.customerId,
      action.instrumentId,
      action.text.trim(),
      ctx.turn.channel,
      // A resent message whose reply was lost must not answer the next item too.
      ctx.turn.key,
    ),
    ctx.state,
    'survey_answer',
  );

export const surveyStop: ActionHandler<'survey_stop'> = async (action, ctx) => {
  await ctx.deps.surveys.stop(ctx.turn.customerId, action.instrumentId, ctx.turn.channel, ctx.turn.key);
  return say(ctx, 'survey_paused', 'survey_stop');
};

export const surveyList: ActionHandler<'survey_list'> = async (_action, ctx) => {
  const list = await ctx.deps.surveys.list();
  if (list.length === 0) return say(ctx, 'no_surveys', 'survey_list');
  const intro = ctx.deps.responses.text('survey_list');
  // Each button sends the survey's title, which the dialog matches back to it by name.
  return {
    replies: [
      {
        kind: 'text',
        text: [intro, ...list.map((s) => `• ${s.title}`)].join('\n'),
        suggestions: list.slice(0, 8).map((s) => ({
          title: s.title.length > 40 ? `${s.title.slice(0, 39)}…` : s.title,
          text: `Start the ${s.title} survey`,
          action: { a: 'intent' as const, intent: 'survey_start', text: `Start the ${s.id} survey` },
        })),
        tag: 'survey_list',
      },
    ],
    state: ctx.state,
  };
};
