// Answers a marketer's question through the ports, within the caller's role. Every figure names
// the period and the data it was computed from; a missing chart says "no data for <period>". Each
// kind's answer is in its module (bots/marketer/kinds/); this checks the role and dispatches.
import type { MemberRole } from '../ports.js';
import { questionModule, type MarketerQuestion } from './kinds/index.js';
import type { MarketerAnswerDeps, MarketerReply } from './reply.js';

export type { MarketerAnswerDeps, MarketerReply, ReplyButton } from './reply.js';
export { MARKETER_HELP } from './kinds/help.js';

function denied(role: MemberRole, need: 'customers' | 'admin'): MarketerReply {
  return {
    text:
      need === 'admin'
        ? `Sorry, that needs the admin role (yours is ${role}).`
        : `Sorry, your role (${role}) can see aggregate figures only. Ask an admin for the marketer role.`,
  };
}

/** Answers one question for a member with `role`. */
export async function answerQuestion(
  q: MarketerQuestion,
  role: MemberRole,
  deps: MarketerAnswerDeps,
): Promise<MarketerReply> {
  const kind = questionModule(q.kind);
  if (kind.access === 'admin' && role !== 'admin') return denied(role, 'admin');
  if (kind.access === 'customers' && role === 'viewer') return denied(role, 'customers');
  return kind.answer(q, { role, deps });
}
