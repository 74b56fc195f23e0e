// "how big is bargain hunters?", "describe promoters": one saved segment.
import { findSegment } from '../vocabulary-match.js';
import { defineKind, missing } from './kind.js';

/** One segment's size or description. */
export interface SegmentQuestion {
  kind: 'segment';
  name: string;
  focus: 'size' | 'describe';
}

const SIZE = /\b(how (big|many|large)|size|count|number of|members)\b/;

export const segment = defineKind<SegmentQuestion>({
  kind: 'segment',
  access: 'any',
  asked: {
    intents: ['segment_size', 'segment_describe'],
    cue(t, vocab) {
      if (/\bsegment\b/.test(t) && SIZE.test(t)) return 'segment_size';
      if (findSegment(t, vocab)) {
        if (SIZE.test(t)) return 'segment_size';
        if (/\b(describe|who are|tell me about|what is|what are|explain|profile)\b/.test(t))
          return 'segment_describe';
      }
      return null;
    },
    read({ t, intent, vocab }) {
      const name = findSegment(t, vocab);
      return name
        ? { kind: 'segment', name, focus: intent === 'segment_size' ? 'size' : 'describe' }
        : missing(
            'which segment',
            'how big is bargain hunters?',
            vocab.segments.slice(0, 5).map((s) => [s, `how big is ${s}?`]),
          );
    },
  },
  async answer(q, { deps }) {
    const s = await deps.analytics.segment(q.name);
    if (!s) return { text: `I don't know a segment called "${q.name}". Say "list segments".` };
    if (q.focus === 'size')
      return {
        text: `*${s.name}* has ${s.size} customers (saved ${s.kind} segment${s.description ? `: ${s.description}` : ''}).`,
      };
    return {
      text: `*${s.name}*: ${s.size} customers, ${s.kind} segment${s.description ? `. ${s.description}` : ''}`,
      lines: (s.overIndexed ?? []).slice(0, 6).map((f) => `${f.feature}: ${f.ratio.toFixed(2)}× the average`),
    };
  },
});
