// "completion and drop-off of the purchase-motivation survey": sessions started, completed,
// abandoned, and where most respondents stopped.
import { findInstrument } from '../vocabulary-match.js';
import { pct } from './figures.js';
import { defineKind, missing } from './kind.js';

/** One instrument's funnel. */
export interface SurveyFunnelQuestion {
  kind: 'survey_funnel';
  instrumentId: string;
}

export const surveyFunnel = defineKind<SurveyFunnelQuestion>({
  kind: 'survey_funnel',
  access: 'any',
  asked: {
    intents: ['survey_completion'],
    cue: (t) =>
      /\b(completion|complete rate|completed|drop[- ]?offs?|dropout|drop out|abandon\w*|finish\w*|response rate|where do people (stop|quit))\b/.test(
        t,
      )
        ? 'survey_completion'
        : null,
    read({ t, vocab }) {
      const instrument = findInstrument(t, vocab);
      return instrument
        ? { kind: 'survey_funnel', instrumentId: instrument }
        : missing(
            'which survey',
            'completion rate of the purchase-motivation survey',
            vocab.instruments.map((i) => [i.id, `completion and drop-off of ${i.id}`]),
          );
    },
  },
  async answer(q, { deps }) {
    const f = await deps.insights.surveyFunnel(q.instrumentId);
    if (!f) return { text: `I don't know a survey called "${q.instrumentId}".` };
    if (f.started === 0) return { text: `No data: nobody has started *${f.title}* yet (all time).` };
    let worst = { id: '', text: '', drop: 0 };
    f.items.forEach((item, i) => {
      const prev = i === 0 ? f.started : f.items[i - 1]!.answered;
      const drop = prev - item.answered;
      if (drop > worst.drop) worst = { id: item.id, text: item.text, drop };
    });
    return {
      text: `*${f.title}* (all time): ${f.completed} of ${f.started} sessions completed (${pct(f.completed, f.started)}), ${f.abandoned} abandoned, ${f.active} in progress.`,
      lines: [
        ...(worst.drop > 0 ? [`Biggest drop-off: ${worst.drop} respondents before "${worst.text}"`] : []),
        ...f.items.slice(0, 25).map((i) => `${i.text}: answered by ${i.answered}`),
      ],
    };
  },
});
