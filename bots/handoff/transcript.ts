// A handoff's transcript as one member may read it (pure). Every customer word passes through
// `readAs` with what the member's role allows (the server's role table decides): in clear, with
// e-mails, phone, card and IBAN numbers masked, or not at all. The channel announcement, which
// everyone in the channel sees, is built with the least any role may read.
import type { HandoffTranscript, PersonalDataView, TranscriptEntry } from './ports.js';

/** The text as a reader with `view` may see it; null when they may not see it at all. */
export function readAs(view: PersonalDataView, text: string, maskPII: (t: string) => string): string | null {
  if (view === 'clear') return text;
  if (view === 'masked') return maskPII(text);
  return null;
}

/** Who the customer is, as a reader with `view` may see it. */
export function customerLabel(transcript: HandoffTranscript, view: PersonalDataView): string {
  const name = view === 'hidden' ? null : transcript.customerName;
  return name ?? `anonymous ${transcript.record.channel} customer`;
}

/** One transcript line: "Customer: …", "Assistant: …", "Anna (team): …". */
export function speaker(entry: TranscriptEntry): string {
  if (entry.from === 'customer') return 'Customer';
  if (entry.from === 'agent') return `${entry.author ?? 'Team'} (team)`;
  return 'Assistant';
}

/** The full transcript for a member, or null when their role may not read customers' words. */
export interface TranscriptView {
  handoffId: string;
  customer: string;
  channel: string;
  status: HandoffTranscript['record']['status'];
  view: Exclude<PersonalDataView, 'hidden'>;
  /** "2026-12-04 23:10 Customer: …", oldest first. */
  lines: string[];
  /** Older messages left out. */
  omitted: number;
}

/** Builds what a member with `view` reads; null for a role that may not read it. Pure. */
export function transcriptView(
  transcript: HandoffTranscript,
  view: PersonalDataView,
  maskPII: (t: string) => string,
): TranscriptView | null {
  if (view === 'hidden') return null;
  return {
    handoffId: transcript.record.id,
    customer: customerLabel(transcript, view),
    channel: transcript.record.channel,
    status: transcript.record.status,
    view,
    lines: transcript.entries.map(
      (e) =>
        `${e.at.toISOString().slice(0, 16).replace('T', ' ')} ${speaker(e)}: ${readAs(view, e.text, maskPII)}`,
    ),
    omitted: transcript.omitted,
  };
}
