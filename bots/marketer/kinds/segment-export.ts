// "send me the promoters as a spreadsheet": a segment's consenting members as a CSV, with their
// survey comments (decrypted, PII masked): for the marketer and admin roles only.
import { findSegment } from '../vocabulary-match.js';
import { defineKind, missing } from './kind.js';

/** A segment to export. */
export interface SegmentExportQuestion {
  kind: 'segment_export';
  name: string;
}

export const segmentExport = defineKind<SegmentExportQuestion>({
  kind: 'segment_export',
  access: 'customers',
  asked: {
    intents: ['segment_export'],
    cue: (t) => (/\b(spreadsheet|csv|export|download)\b/.test(t) ? 'segment_export' : null),
    read({ t, vocab }) {
      const name = findSegment(t, vocab);
      return name
        ? { kind: 'segment_export', name }
        : missing(
            'which segment to export',
            'send me the promoters as a spreadsheet',
            vocab.segments.slice(0, 5).map((s) => [s, `export ${s} as csv`]),
          );
    },
  },
  async answer(q, { deps }) {
    const e = await deps.insights.segmentExport(q.name);
    if (!e) return { text: `I don't know a segment called "${q.name}".` };
    return {
      text: `*${e.name}*: ${e.rows} customers who agreed to marketing (${e.withoutConsent} without consent left out), with ${e.comments} survey comment${e.comments === 1 ? '' : 's'} (personal details masked). Columns: ${e.columns.join(', ')}.`,
      file: {
        filename: `${e.name.replace(/[^a-z0-9]+/gi, '-')}.csv`,
        title: `Segment ${e.name}`,
        content: e.csv,
      },
    };
  },
});
