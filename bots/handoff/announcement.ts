// The announcement of a handoff as data (pure): who the customer is, why, and the last messages
// with personal data masked, since everyone in the handoff channel reads them.
import type { AnnouncementView, HandoffContext } from './ports.js';

/** Lines of transcript shown in an announcement. */
export const ANNOUNCED_MESSAGES = 6;
// Long messages are cut so the announcement stays one screen.
const MAX_LINE_CHARS = 300;

/** Builds the announcement of a handoff. Pure. */
export function announcementView(
  context: HandoffContext,
  options: { maskPII: (text: string) => string; language: string; transcriptUrl?: string },
): AnnouncementView {
  const { record } = context;
  const lines = context.lastMessages.slice(-ANNOUNCED_MESSAGES).map((m) => {
    const text = options.maskPII(m.text).replace(/\s+/g, ' ').trim();
    const cut = text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS - 1)}…` : text;
    return `${m.direction === 'user' ? 'Customer' : 'Assistant'}: ${cut}`;
  });
  return {
    handoffId: record.id,
    customer: context.customerName ?? `anonymous ${record.channel} customer`,
    channel: record.channel,
    language: options.language,
    reason: record.reason ?? 'customer asked for a person',
    status: record.status,
    claimedBy: record.claimedBy,
    closedBy: record.closedBy,
    lastMessages: lines,
    ...(options.transcriptUrl ? { transcriptUrl: options.transcriptUrl } : {}),
    createdAt: record.createdAt,
  };
}
