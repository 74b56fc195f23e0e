// "how much do bargain hunters and promoters overlap?", "which segments overlap most?": customers
// two saved segments share, from their current memberships.
import type { SegmentOverlap } from '../../../surveys/index.js';
import type { MarketerVocabulary } from '../questions.js';
import { findSegment } from '../vocabulary-match.js';
import { pct } from './figures.js';
import { defineKind, missing } from './kind.js';

/** Overlaps of two named segments, of one with the others, or of every pair. */
export interface SegmentOverlapQuestion {
  kind: 'segment_overlap';
  /** The segments named (zero, one or two). */
  segments: string[];
}

const OVERLAP =
  /\b(overlap\w*|in common|in both|both segments|share the same|shared (customers|members)|intersect\w*)\b/;

/** Every saved segment the words name, in the order they are named. */
export function segmentsNamed(t: string, vocab: MarketerVocabulary): string[] {
  return vocab.segments
    .filter((name) => findSegment(t, { ...vocab, segments: [name] }))
    .map((name) => ({ name, at: t.indexOf(name.toLowerCase()) }))
    .sort((a, b) => (a.at < 0 ? 1e9 : a.at) - (b.at < 0 ? 1e9 : b.at))
    .map((s) => s.name);
}

const DATA = 'current memberships, as of the last recomputation';

function pairLine(o: SegmentOverlap, i?: number): string {
  return `${i === undefined ? '' : `${i + 1}. `}*${o.a}* & *${o.b}*: ${o.shared} shared (${pct(o.shared, o.sizeA)} of ${o.a}, ${pct(o.shared, o.sizeB)} of ${o.b}; Jaccard ${o.jaccard.toFixed(2)})`;
}

export const segmentOverlap = defineKind<SegmentOverlapQuestion>({
  kind: 'segment_overlap',
  access: 'any',
  asked: {
    intents: ['segment_overlap'],
    cue: (t) => (OVERLAP.test(t) ? 'segment_overlap' : null),
    read({ t, vocab }) {
      if (vocab.segments.length < 2)
        return missing(
          'two saved segments to compare',
          'how much do bargain hunters and promoters overlap?',
          [],
        );
      return { kind: 'segment_overlap', segments: segmentsNamed(t, vocab).slice(0, 2) };
    },
  },
  async answer(q, { deps }) {
    const all = await deps.insights.segmentOverlaps(q.segments.length === 2 ? q.segments : undefined);
    if (q.segments.length === 2) {
      const o = all[0];
      if (!o)
        return { text: `I don't know both segments "${q.segments.join('" and "')}". Say "list segments".` };
      return {
        text: `*${o.a}* (${o.sizeA} customers) and *${o.b}* (${o.sizeB}) share *${o.shared}* customers: ${pct(o.shared, o.sizeA)} of ${o.a} and ${pct(o.shared, o.sizeB)} of ${o.b} (Jaccard similarity ${o.jaccard.toFixed(2)}; ${DATA}).`,
      };
    }
    const pairs =
      q.segments.length === 1 ? all.filter((o) => o.a === q.segments[0] || o.b === q.segments[0]) : all;
    if (pairs.length === 0) return { text: 'No overlaps to show: there are fewer than two saved segments.' };
    return {
      text:
        q.segments.length === 1
          ? `How *${q.segments[0]}* overlaps with the other segments (${DATA}):`
          : `Segments that overlap most, of ${pairs.length} pairs (${DATA}):`,
      lines: pairs.slice(0, 5).map(pairLine),
    };
  },
});
