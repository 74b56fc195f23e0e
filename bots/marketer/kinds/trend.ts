// "chart NPS over the last 6 months": a survey metric by month, as a chart. A chart asked of a
// trait by age band or segment is the trait chart.
import type { Period } from '../../ports.js';
import type { SurveyMetric } from '../questions.js';
import { findSegment, findTraits, readPeriod } from '../vocabulary-match.js';
import { signed } from './figures.js';
import { defineKind } from './kind.js';
import type { TraitByQuestion } from './trait-by.js';

/** NPS or CSAT by month over a period. */
export interface TrendQuestion {
  kind: 'trend';
  metric: SurveyMetric;
  period: Period;
  segment?: string;
}

export const trend = defineKind<TrendQuestion, TraitByQuestion>({
  kind: 'trend',
  access: 'any',
  asked: {
    intents: ['metric_trend', 'chart'],
    cue: (t) =>
      /\b(nps|net promoter|promoter score|csat|satisfaction)\b/.test(t) &&
      /\b(trend\w*|over time|chart|graph|plot|by month|monthly|weekly|by week|evolution|history|changed?|developed?)\b/.test(
        t,
      )
        ? 'metric_trend'
        : null,
    read({ text, t, vocab, now }) {
      const traits = findTraits(t, vocab);
      if (traits.length > 0 && /\bage\b/.test(t))
        return { kind: 'trait_by', trait: traits[0]!.id, by: 'ageBand' };
      if (traits.length > 0 && /\bsegments?\b/.test(t))
        return { kind: 'trait_by', trait: traits[0]!.id, by: 'segment' };
      const metric: SurveyMetric = /\b(csat|satisfaction|satisfied)\b/.test(t) ? 'csat' : 'nps';
      const segment = findSegment(t, vocab);
      return { kind: 'trend', metric, period: readPeriod(text, now, 182), ...(segment ? { segment } : {}) };
    },
  },
  async answer(q, { deps }) {
    const rows = await deps.insights.trend(q.metric, q.period, q.segment);
    const name = q.metric === 'nps' ? 'NPS' : 'CSAT % satisfied';
    const who = q.segment ? `segment ${q.segment}` : 'all customers';
    if (rows.length === 0) return { text: `No data for ${q.period.label}: no ${name} answers (${who}).` };
    const n = rows.reduce((a, r) => a + (r.n ?? 0), 0);
    const title = `${name} by month, ${q.period.label} (${who}, ${n} answers)`;
    return {
      text: `${title}: ${rows.map((r) => `${r.x} ${q.metric === 'nps' ? signed(r.y) : `${r.y}%`}`).join(' · ')}`,
      chart: {
        title,
        png: await deps.renderChart({
          title,
          mark: 'line',
          xTitle: 'Month',
          yTitle: name,
          rows,
          ...(q.metric === 'nps'
            ? { yDomain: [-100, 100] as [number, number] }
            : { yDomain: [0, 100] as [number, number] }),
        }),
      },
    };
  },
});
