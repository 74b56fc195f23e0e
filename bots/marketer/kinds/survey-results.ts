// "results of big-five": an instrument's scale means, reliability and (for marketers and admins)
// its newest comments.
import { findInstrument } from '../vocabulary-match.js';
import { defineKind, missing } from './kind.js';

/** One instrument's results. */
export interface SurveyResultsQuestion {
  kind: 'survey_results';
  instrumentId: string;
}

export const surveyResults = defineKind<SurveyResultsQuestion>({
  kind: 'survey_results',
  access: 'any',
  asked: {
    intents: ['survey_results'],
    cue: (t, vocab) =>
      /\b(results?|scale means|reliability|alpha|scores)\b/.test(t) && findInstrument(t, vocab)
        ? 'survey_results'
        : null,
    read({ t, vocab }) {
      const instrument = findInstrument(t, vocab);
      return instrument
        ? { kind: 'survey_results', instrumentId: instrument }
        : missing(
            'which survey',
            'results of big-five',
            vocab.instruments.map((i) => [i.id, `results of ${i.id}`]),
          );
    },
  },
  async answer(q, { role, deps }) {
    const { analytics, insights } = deps;
    const r = await analytics.surveyResults(q.instrumentId);
    if (!r) return { text: `I don't know a survey called "${q.instrumentId}".` };
    // Comments are personal words: the marketer and admin roles read them, PII masked.
    const comments =
      role !== 'viewer' && insights.surveyComments ? await insights.surveyComments(r.instrumentId, 3) : null;
    return {
      text: `*${r.title}* (all time): ${r.completed} completed of ${r.started} started`,
      lines: [
        ...r.scales.map(
          (s) =>
            `${s.name}: mean ${s.mean.toFixed(2)} (n=${s.n}${s.alpha !== undefined ? `, α=${s.alpha.toFixed(2)}` : ''})`,
        ),
        ...(comments && comments.total > 0
          ? [
              `Comments: ${comments.total}; newest: ${comments.latest.map((t) => `“${deps.maskPII(t)}”`).join(' · ')}`,
            ]
          : []),
      ],
      buttons: [
        {
          text: 'Completion and drop-off',
          actionId: 'mkt_ask_funnel',
          value: `completion and drop-off of ${r.instrumentId}`,
        },
      ],
    };
  },
});
