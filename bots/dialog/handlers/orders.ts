// "Where is my order?": answered from the shop's orders when the number and e-mail belong together
// (or the order is the signed-in customer's own). A wrong pair gets the same answer as an unknown
// number, and counts towards the conversation's limit, after which only a person can help.
import type { OrderView } from '../../ports.js';
import type { DialogState } from '../state.js';
import { say, type ActionContext, type ActionHandler, type Executed } from './context.js';

export const orderStatus: ActionHandler<'order_status'> = async (action, ctx) => {
  const { orders } = ctx.deps;
  const done = { ...ctx.state, orderQuery: null };
  if (!orders)
    return say(ctx, 'order_unavailable', 'order:unavailable', {}, { ...done, pendingConfirm: 'handoff' });
  const { number, email } = action;
  const customerId = ctx.turn.customerId;
  if (number) {
    const order = await orders.find({ number, email, customerId });
    if (order) return found(ctx, order, done);
    if (!email)
      return say(ctx, 'order_ask_email', 'order:ask_email', {}, { ...ctx.state, orderQuery: { number } });
    const failures = ctx.state.orderFailures + 1;
    if (action.lastTry)
      return say(
        ctx,
        'order_lookup_limit',
        'order:limit',
        {},
        { ...done, orderFailures: failures, pendingConfirm: 'handoff' },
      );
    return say(
      ctx,
      'order_not_found',
      'order:not_found',
      {},
      { ...ctx.state, orderQuery: { number: null }, orderFailures: failures },
    );
  }
  // No number: the signed-in customer's latest order, else ask for the number and e-mail.
  const latest = email ? null : await orders.latest(customerId);
  if (latest) return found(ctx, latest, done);
  return say(ctx, 'order_ask', 'order:ask', {}, { ...ctx.state, orderQuery: { number: null } });
};

const DATE = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});

function found(ctx: ActionContext, order: OrderView, state: DialogState): Executed {
  const { responses } = ctx.deps;
  const date = order.deliveredAt ?? order.shippedAt ?? order.placedAt;
  const status = responses.text(`order_is_${order.status}`, { date: DATE.format(date) });
  const items = order.items.map((i) => `${i.quantity} × ${i.name}`).join(', ') || '—';
  return say(
    ctx,
    'order_found',
    `order:${order.status}`,
    { number: order.number, placed: DATE.format(order.placedAt), status, items },
    state,
  );
}
