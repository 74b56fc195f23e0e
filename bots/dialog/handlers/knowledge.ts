// Answers from the shop's help centre: the passage and its source, or no guess and the offer of a
// person. Every question routed here is recorded (masked) so marketers see what went unanswered.
import { say, type ActionHandler } from './context.js';

export const kbAnswer: ActionHandler<'kb_answer'> = async (action, ctx) => {
  const { kb } = ctx.deps;
  // The routing saw the extract; the answer shown may be a model's, which may refuse.
  const lookup = action.lookup.answer && kb?.answer ? await kb.answer(action.question) : action.lookup;
  await kb?.record(action.question, lookup, ctx.turn.channel);
  if (!lookup.answer)
    return say(ctx, 'kb_no_answer', 'kb_no_answer', {}, { ...ctx.state, pendingConfirm: 'handoff' });
  const { text, title, url } = lookup.answer;
  // Markdown link: Web Chat renders it; other channels show the words.
  const source = url ? `[${title}](${url})` : title;
  return say(ctx, 'kb_answer', 'kb_answer', { answer: text, source });
};
