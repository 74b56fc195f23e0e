// "handoffs waiting": the conversations waiting for a person, with Claim/Release buttons and the
// last 7 days' figures.
import { queueLine, statsLine } from '../../handoff/queue.js';
import { defineKind } from './kind.js';

/** The handoff queue. */
export interface HandoffsQuestion {
  kind: 'handoffs';
}

export const handoffs = defineKind<HandoffsQuestion>({
  kind: 'handoffs',
  access: 'any',
  asked: {
    intents: ['handoffs'],
    cue: (t) =>
      /\b(waiting|open|pending|queue|unclaimed)\b.*\b(handoffs?|hand-offs?|person|human|agent)\b|^ handoffs? $/.test(
        t,
      )
        ? 'handoffs'
        : null,
    read: () => ({ kind: 'handoffs' }),
  },
  async answer(_q, { deps, role }) {
    const listed = await deps.handoffs.listActive(10);
    // Names only for roles that may read customers' data (a viewer sees the queue, not who).
    const names = (deps.handoffs.reading?.(role) ?? 'hidden') !== 'hidden';
    const open = names ? listed : listed.map((h) => ({ ...h, customer: null }));
    const now = new Date();
    const stats = await deps.handoffs.stats?.(new Date(now.getTime() - 7 * 24 * 3600 * 1000));
    const figures = stats ? [statsLine(stats, 'Last 7 days')] : [];
    if (open.length === 0)
      return {
        text: 'No conversations are waiting for a person.',
        ...(figures.length ? { lines: figures } : {}),
      };
    return {
      text: `${open.length} conversation${open.length === 1 ? '' : 's'} waiting for a person:`,
      lines: [...open.map((h, i) => queueLine(h, i, now)), ...figures],
      buttons: open
        .slice(0, 5)
        .flatMap((h, i) =>
          h.status === 'open'
            ? [
                {
                  text: `Claim #${i + 1}`,
                  actionId: `mkt_handoff_claim_${i}`,
                  value: h.id,
                  style: 'primary' as const,
                },
              ]
            : [{ text: `Release #${i + 1}`, actionId: `mkt_handoff_release_${i}`, value: h.id }],
        ),
    };
  },
});
