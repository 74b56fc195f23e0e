// Reads a marketer's plain-English question into a MarketerQuestion: the marketer intent model
// (bots/nlu-data/marketer.yml) names the kind of question, and words that leave no doubt (an
// e-mail address, "bought with", "drop-off", a segment definition) override a weak guess; the
// kind's module (bots/marketer/kinds/) reads the entities from the data's vocabulary and asks for
// more only when a required thing is missing.
import type { NluResult } from '../ports.js';
import { cueIntent, moduleOfIntent, type MarketerQuestion } from './kinds/index.js';
import type { MarketerVocabulary } from './questions.js';
import { normalise } from './vocabulary-match.js';

export { MARKETER_INTENTS } from './kinds/index.js';

/** Reads one question. `nlu` is the marketer model's analysis (null when unavailable). */
export function understandQuestion(
  text: string,
  nlu: NluResult | null,
  vocab: MarketerVocabulary,
  now: Date,
  minConfidence = 0.5,
): MarketerQuestion {
  const t = normalise(text);
  const modelIntent = nlu && !nlu.outOfScope && nlu.confidence >= minConfidence ? nlu.intent : null;
  const intent = cueIntent(t, vocab) ?? modelIntent;
  const asked = intent ? moduleOfIntent(intent)?.asked : undefined;
  return asked && intent ? asked.read({ text, t, intent, vocab, now }) : { kind: 'unknown' };
}
