// "/mkt handoffs" lists the waiting conversations with the customer's name only for roles the live
// handoff's reading policy lets read customers' data; a viewer sees the queue without names.
import { describe, expect, it } from 'vitest';
import { handoffs } from '../../bots/marketer/kinds/handoffs.js';
import type { MarketerAnswerDeps } from '../../bots/marketer/reply.js';
import type { Handoffs, HandoffView, MemberRole } from '../../bots/ports.js';

const waiting: HandoffView = {
  id: 'h1',
  conversationId: 'c1',
  channel: 'webchat',
  status: 'open',
  reason: 'asked for a person',
  claimedBy: null,
  createdAt: new Date(Date.now() - 5 * 60_000),
  customer: 'Jo Example',
};

// The policy the server wires in (server/handoff/personal-data.ts): admin clear, marketer masked.
const POLICY = { admin: 'clear', marketer: 'masked', viewer: 'hidden' } as const;

async function listed(role: MemberRole, reading?: Handoffs['reading']): Promise<string> {
  const port: Handoffs = {
    listActive: async () => [waiting],
    claim: async () => null,
    release: async () => null,
    ...(reading ? { reading } : {}),
  };
  const reply = await handoffs.answer(
    { kind: 'handoffs' },
    { role, deps: { handoffs: port } as unknown as MarketerAnswerDeps },
  );
  return [reply.text, ...(reply.lines ?? [])].join('\n');
}

describe('/mkt handoffs and customers names', () => {
  it('names the customer for admins and marketers, not for viewers', async () => {
    const reading = (role: MemberRole) => POLICY[role];
    expect(await listed('admin', reading)).toContain('*Jo Example*');
    expect(await listed('marketer', reading)).toContain('*Jo Example*');
    const viewer = await listed('viewer', reading);
    expect(viewer).toContain('#1 anonymous webchat customer (webchat) · *waiting*');
    expect(viewer).not.toContain('Jo Example');
  });

  it('shows no names when no reading policy is wired (no live handoff)', async () => {
    expect(await listed('admin')).not.toContain('Jo Example');
  });
});
