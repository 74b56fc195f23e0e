// Actions on the customer's account and the conversation: handoff, consent, export, deletion, and
// the yes/no question that comes before a state change the customer did not ask for explicitly.
import { say, type ActionHandler } from './context.js';

export const handoff: ActionHandler<'handoff'> = async (action, ctx) => {
  await ctx.deps.store.openHandoff(ctx.turn.conversationId, action.reason);
  return say(ctx, 'handoff_started', 'handoff');
};

export const opt: ActionHandler<'opt'> = async (action, ctx) => {
  await ctx.deps.privacy.setMarketingOptIn(ctx.turn.customerId, action.optIn, ctx.turn.channel);
  return say(ctx, action.optIn ? 'opt_in_done' : 'opt_out_done', action.optIn ? 'opt_in' : 'opt_out');
};

export const exportData: ActionHandler<'export'> = async (_action, ctx) => {
  const text = describeExport(await ctx.deps.privacy.exportData(ctx.turn.customerId));
  return { replies: [{ kind: 'text', text, tag: 'export' }], state: ctx.state };
};

export const confirm: ActionHandler<'confirm'> = async (action, ctx) =>
  say(ctx, `confirm_${action.change}`, `confirm:${action.change}`);

export const forget: ActionHandler<'forget'> = async (_action, ctx) => {
  await ctx.deps.privacy.forget(ctx.turn.customerId);
  return { ...say(ctx, 'forget_done', 'forget'), forgotten: true };
};

/** A short, readable account of an export (the full JSON is available to support on request). */
export function describeExport(data: Record<string, unknown>): string {
  const lines = ['Here is what we store about you:'];
  for (const [key, value] of Object.entries(data)) {
    if (Array.isArray(value)) lines.push(`• ${key}: ${value.length} record${value.length === 1 ? '' : 's'}`);
    else if (value && typeof value === 'object')
      lines.push(`• ${key}: ${Object.keys(value).length} field(s)`);
    else if (value !== null && value !== undefined && value !== '') lines.push(`• ${key}: ${String(value)}`);
  }
  if (lines.length === 1) lines.push('• nothing yet besides this conversation');
  lines.push('Say "forget me" to delete it all.');
  return lines.join('\n');
}
