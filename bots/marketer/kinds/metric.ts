// "NPS this month", "CSAT last quarter for bargain hunters": a survey metric over a period.
import type { Period } from '../../ports.js';
import type { SurveyMetric } from '../questions.js';
import { findSegment, readPeriod } from '../vocabulary-match.js';
import { signed } from './figures.js';
import { defineKind } from './kind.js';

/** NPS or CSAT over a period, optionally for one segment. */
export interface MetricQuestion {
  kind: 'metric';
  metric: SurveyMetric;
  period: Period;
  segment?: string;
}

export const metric = defineKind<MetricQuestion>({
  kind: 'metric',
  access: 'any',
  asked: {
    intents: ['nps', 'csat'],
    cue(t) {
      if (/\b(nps|net promoter|promoter score)\b/.test(t)) return 'nps';
      if (/\b(csat|satisfaction|satisfied)\b/.test(t)) return 'csat';
      return null;
    },
    read({ text, t, intent, vocab, now }) {
      const segment = findSegment(t, vocab);
      return {
        kind: 'metric',
        metric: intent === 'nps' ? 'nps' : 'csat',
        period: readPeriod(text, now),
        ...(segment ? { segment } : {}),
      };
    },
  },
  async answer(q, { deps }) {
    const r = await deps.insights.metric(q.metric, q.period, q.segment);
    const who = q.segment ? `segment ${q.segment}` : 'all customers';
    const name = q.metric === 'nps' ? 'NPS' : 'CSAT';
    if (r.n === 0) return { text: `No ${name} answers for ${q.period.label} (${who}).` };
    const value = q.metric === 'nps' ? `*${signed(r.value)}*` : `*${r.value.toFixed(1)}%* satisfied`;
    return {
      text: `${name} for ${q.period.label} (${who}): ${value}, from ${r.n} answers to the ${name} survey.`,
      fields: [...r.parts, { label: 'Answers', value: String(r.n) }],
      buttons: [
        {
          text: `Chart ${name} over time`,
          actionId: 'mkt_ask_trend',
          value: `chart ${name} over the last 6 months${q.segment ? ` for ${q.segment}` : ''}`,
        },
      ],
    };
  },
});
