// "list segments": the saved segments with their sizes.
import { defineKind } from './kind.js';

/** The list of saved segments. */
export interface SegmentsQuestion {
  kind: 'segments';
}

export const segments = defineKind<SegmentsQuestion>({
  kind: 'segments',
  access: 'any',
  asked: {
    intents: ['segments_list'],
    cue: (t) =>
      /\b(list|show|all|which|what|our)\b.*\bsegments\b|^ segments $/.test(t) ? 'segments_list' : null,
    read: () => ({ kind: 'segments' }),
  },
  async answer(_q, { deps }) {
    const segments = await deps.analytics.listSegments();
    if (segments.length === 0)
      return {
        text: 'No segments yet. Create one: "create a segment called bargain lovers with everyone whose price consciousness is above 3.5".',
      };
    return {
      text: `${segments.length} saved segment${segments.length === 1 ? '' : 's'} (sizes as of the last recomputation):`,
      lines: segments.map(
        (s) => `*${s.name}*: ${s.size} customers (${s.kind})${s.description ? `: ${s.description}` : ''}`,
      ),
      buttons: segments
        .slice(0, 5)
        .map((s) => ({ text: `Describe ${s.name}`, actionId: `mkt_segment_${s.id}`, value: s.name })),
    };
  },
});
