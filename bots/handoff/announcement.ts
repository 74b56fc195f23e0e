// The announcement of a handoff as data (pure): who the customer is, why, and the last messages,
// all as the least privileged role may read them (`view`), since everyone in the handoff channel
// sees it. The full transcript is one click away, shown to each member as their role allows.
import type { AnnouncementView, HandoffTranscript, PersonalDataView } from './ports.js';
import { customerLabel, readAs, speaker } from './transcript.js';

/** Lines of transcript shown in an announcement (when the channel's view shows any). */
export const ANNOUNCED_MESSAGES = 6;
// Long messages are cut so the announcement stays one screen.
const MAX_LINE_CHARS = 300;

/** Builds the announcement of a handoff. Pure. */
export function announcementView(
  transcript: HandoffTranscript,
  options: { view: PersonalDataView; maskPII: (text: string) => string; language: string },
): AnnouncementView {
  const { record } = transcript;
  const lines = transcript.entries.slice(-ANNOUNCED_MESSAGES).flatMap((m) => {
    const readable = readAs(options.view, m.text, options.maskPII);
    if (readable === null) return [];
    const text = readable.replace(/\s+/g, ' ').trim();
    const cut = text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS - 1)}…` : text;
    return [`${speaker(m)}: ${cut}`];
  });
  return {
    handoffId: record.id,
    customer: customerLabel(transcript, options.view),
    channel: record.channel,
    language: options.language,
    reason: record.reason ?? 'customer asked for a person',
    status: record.status,
    claimedBy: record.claimedBy,
    closedBy: record.closedBy,
    lastMessages: lines,
    messageCount: transcript.entries.length + transcript.omitted,
    createdAt: record.createdAt,
  };
}
