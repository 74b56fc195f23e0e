// "chart of openness by age band": the mean of a survey trait per age band or segment, as a chart.
import { findTraits } from '../vocabulary-match.js';
import { defineKind, missing } from './kind.js';

/** A trait's mean per group. */
export interface TraitByQuestion {
  kind: 'trait_by';
  trait: string;
  by: 'ageBand' | 'segment';
}

export const traitBy = defineKind<TraitByQuestion>({
  kind: 'trait_by',
  access: 'any',
  asked: {
    intents: ['trait_by_group'],
    cue: (t, vocab) =>
      findTraits(t, vocab).length > 0 &&
      /\b(by|per|across|for each|by each) (age|age band|age group|segment)s?\b/.test(t)
        ? 'trait_by_group'
        : null,
    read({ t, vocab }) {
      const trait = findTraits(t, vocab)[0];
      if (!trait)
        return missing(
          'which trait',
          'chart of openness by age band',
          Object.entries(vocab.traits)
            .slice(0, 5)
            .map(([, l]) => [l, `chart of ${l.toLowerCase()} by age band`]),
        );
      return { kind: 'trait_by', trait: trait.id, by: /\bsegments?\b/.test(t) ? 'segment' : 'ageBand' };
    },
  },
  async answer(q, { deps }) {
    const vocab = await deps.insights.vocabulary();
    const label = vocab.traits[q.trait] ?? q.trait;
    const rows = await deps.insights.traitBy(q.trait, q.by);
    const by = q.by === 'ageBand' ? 'age band' : 'segment';
    if (rows.length === 0) return { text: `No data: no stored profile has a ${label} score yet (all time).` };
    const n = rows.reduce((a, r) => a + (r.n ?? 0), 0);
    const title = `Mean ${label} (1–5) by ${by}, all stored profiles (${n} scores)`;
    return {
      text: `${title}: ${rows.map((r) => `${r.x} ${r.y.toFixed(2)} (n=${r.n})`).join(' · ')}`,
      chart: {
        title,
        png: await deps.renderChart({
          title,
          mark: 'bar',
          xTitle: by,
          yTitle: `${label} (mean)`,
          rows,
          yDomain: [1, 5],
        }),
      },
    };
  },
});
