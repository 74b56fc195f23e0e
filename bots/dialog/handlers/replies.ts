// Actions that only talk: silence, canned replies, and "did you mean".
import { say, textReply, type ActionHandler } from './context.js';

export const silent: ActionHandler<'silent'> = async (_action, ctx) => ({ replies: [], state: ctx.state });

export const reply: ActionHandler<'reply'> = async (action, ctx) =>
  say(ctx, action.reply, `reply:${action.reply}`, action.vars);

export const disambiguate: ActionHandler<'disambiguate'> = async (action, ctx) => {
  // Each button sends the customer's own words with the chosen intent, so "Find a product"
  // searches for what they typed, not for an empty string.
  const suggestions = action.options.map((intent) => ({
    title: ctx.deps.responses.label(intent),
    text: action.text,
    action: { a: 'intent' as const, intent, text: action.text.slice(0, 500) },
  }));
  const text = ctx.deps.responses.text('did_you_mean', {
    a: suggestions[0]!.title,
    b: suggestions[1]!.title,
  });
  return { replies: [textReply(text, 'disambiguate', suggestions)], state: ctx.state };
};
