// Actions on the customer's account and the conversation: handoff, consent, export, deletion, and
// the yes/no question that comes before a state change the customer did not ask for explicitly.
import { say, type ActionHandler } from './context.js';

export const handoff: ActionHandler<'handoff'> = async (action, ctx) => {
  const { id } = await ctx.deps.store.openHandoff(ctx.turn.conversationId, action.reason, ctx.turn.key);
  if (!ctx.deps.handoff) return say(ctx, 'handoff_started', 'handoff');
  const staffed = await ctx.deps.handoff.opened(id);
  return staffed.open
    ? say(ctx, 'handoff_announced', 'handoff')
    : say(ctx, 'handoff_after_hours', 'handoff', { hours: staffed.hours });
};

/** The customer agreed to be e-mailed about the handoff at the address they gave. */
export const contactConsent: ActionHandler<'contact_consent'> = async (_action, ctx) => {
  const recorded = await ctx.deps.handoff?.contactConsent(ctx.turn.conversationId, ctx.turn.channel);
  return say(ctx, recorded ? 'handoff_contact_recorded' : 'handoff_contact_missing', 'contact_consent');
};

/** During a handoff the customer's words go to the person; the assistant says nothing. */
export const relay: ActionHandler<'relay'> = async (action, ctx) => {
  const key = ctx.turn.activityId ?? `turn:${ctx.state.turns}`;
  await ctx.deps.handoff?.customerMessage(ctx.turn.conversationId, action.text, key);
  return action.askContact
    ? say(ctx, 'confirm_contact', 'confirm:contact')
    : { replies: [], state: ctx.state };
};

/** The customer ends the handoff: the person is told, the assistant answers again. */
export const handoffEnd: ActionHandler<'handoff_end'> = async (_action, ctx) => {
  // The desk closes it and tells Slack; the store's close is the fallback when that failed.
  await ctx.deps.handoff?.customerLeft(ctx.turn.conversationId, 'back_to_bot');
  await ctx.deps.store.closeHandoff(ctx.turn.conversationId);
  return say(ctx, 'handoff_back_to_bot', 'handoff_end');
};

export const opt: ActionHandler<'opt'> = async (action, ctx) => {
  await ctx.deps.privacy.setMarketingOptIn(ctx.turn.customerId, action.optIn, ctx.turn.channel, ctx.turn.key);
  return say(ctx, action.optIn ? 'opt_in_done' : 'opt_out_done', action.optIn ? 'opt_in' : 'opt_out');
};

export const exportData: ActionHandler<'export'> = async (_action, ctx) => {
  const text = describeExport(await ctx.deps.privacy.exportData(ctx.turn.customerId));
  return { replies: [{ kind: 'text', text, tag: 'export' }], state: ctx.state };
};

export const confirm: ActionHandler<'confirm'> = async (action, ctx) =>
  say(ctx, `confirm_${action.change}`, `confirm:${action.change}`);

export const forget: ActionHandler<'forget'> = async (_action, ctx) => {
  // The person in Slack is told before the conversation (and its handoff) is deleted.
  await ctx.deps.handoff?.customerLeft(ctx.turn.conversationId, 'forgotten');
  await ctx.deps.privacy.forget(ctx.turn.customerId);
  return { ...say(ctx, 'forget_done', 'forget'), forgotten: true };
};

/** A short, readable account of an export (the full JSON is available to support on request). */
export function describeExport(data: Record<string, unknown>): string {
  const lines = ['Here is what we store about you:'];
  for (const [key, value] of Object.entries(data)) {
    if (key === 'profile' && value && typeof value === 'object') lines.push(...describeProfile(value));
    else if (Array.isArray(value))
      lines.push(`• ${key}: ${value.length} record${value.length === 1 ? '' : 's'}`);
    else if (value && typeof value === 'object')
      lines.push(`• ${key}: ${Object.keys(value).length} field(s)`);
    else if (value !== null && value !== undefined && value !== '') lines.push(`• ${key}: ${String(value)}`);
  }
  if (lines.length === 1) lines.push('• nothing yet besides this conversation');
  lines.push('Say "forget me" to delete it all.');
  return lines.join('\n');
}

/**
 * The survey profile in words: each trait score with its percentile, and the NPS class. The
 * customer sees what we concluded about them, not just that something is stored (GDPR Art. 15).
 */
function describeProfile(profile: object): string[] {
  const { traits, percentiles, npsClass } = profile as {
    traits?: Record<string, unknown>;
    percentiles?: Record<string, unknown>;
    npsClass?: unknown;
  };
  const parts = Object.entries(traits ?? {}).flatMap(([trait, score]) => {
    if (typeof score !== 'number') return [];
    const pct = percentiles?.[trait];
    const rank = typeof pct === 'number' ? `, higher than ${Math.round(pct)}% of people` : '';
    return [`${trait.replace(/[_-]+/g, ' ')} ${score.toFixed(1)} of 5${rank}`];
  });
  if (typeof npsClass === 'string') parts.push(`you are a ${npsClass} (from your recommendation score)`);
  return parts.length > 0
    ? [`• profile from your survey answers: ${parts.join('; ')}`]
    : ['• profile: nothing yet'];
}
