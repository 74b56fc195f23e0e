// Answers from the shop's help centre: the passage and its source, or no guess and the offer of a
// person. Every question routed here is recorded (masked) so marketers see what went unanswered.
import type { KbLookup } from '../../ports.js';
import { say, type ActionContext, type ActionHandler, type Executed } from './context.js';

export const kbAnswer: ActionHandler<'kb_answer'> = async (action, ctx) => {
  const { kb } = ctx.deps;
  const { live } = ctx.turn;
  // The routing saw the extract; the answer shown may be a model's, which may refuse. A channel
  // that can shows the model's words as they come; the reply below then replaces them, whatever
  // it is (the answer, the extract it fell back to, or the refusal).
  let streamed = false;
  const onText =
    live &&
    ((soFar: string) => {
      streamed = true;
      live.update(soFar);
    });
  const lookup: KbLookup =
    action.lookup.answer && kb?.answer ? await kb.answer(action.question, onText) : action.lookup;
  await kb?.record(action.question, lookup, ctx.turn.channel, ctx.turn.key);
  return streamed ? finalOfStream(reply(lookup, ctx)) : reply(lookup, ctx);
};

function reply(lookup: KbLookup, ctx: ActionContext): Executed {
  if (!lookup.answer)
    return say(ctx, 'kb_no_answer', 'kb_no_answer', {}, { ...ctx.state, pendingConfirm: 'handoff' });
  const { text, title, url } = lookup.answer;
  // Markdown link: Web Chat renders it; other channels show the words.
  const source = url ? `[${title}](${url})` : title;
  return say(ctx, 'kb_answer', 'kb_answer', { answer: text, source });
}

function finalOfStream(done: Executed): Executed {
  return { ...done, replies: done.replies.map((r) => (r.kind === 'text' ? { ...r, streamed: true } : r)) };
}
