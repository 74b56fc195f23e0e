// kb/ → HelpCentre port: the dialog sees an answer (passage, title, link) and a confidence relative
// to the knowledge base's calibrated gate, so it can weigh the help centre against the catalog and
// the intent classifier in one routing policy (bots/dialog/routing.ts).
import type { HelpCentre, KbLookup } from '../bots/index.js';
import type { KbAnswer, KbService } from '../kb/index.js';

/** The knowledge-base service as the bots' help centre. */
export function helpCentreAdapter(
  kb: Pick<KbService, 'lookup' | 'answer' | 'record' | 'gateThreshold' | 'writes'>,
): HelpCentre {
  const centre: HelpCentre = {
    lookup: async (text) => toLookup(await kb.lookup(text), (await kb.gateThreshold()) ?? 0),
    record: async (text, lookup, channel, turnKey) => {
      // Stored as the knowledge base's own confidence (margin or learned), like `mkt kb ask` records it.
      const confidence = lookup.confidence + ((await kb.gateThreshold()) ?? 0);
      await kb.record(
        text,
        lookup.answer
          ? { answered: true, confidence, docId: lookup.answer.docId }
          : { answered: false, confidence },
        channel,
        turnKey,
      );
    },
  };
  // Only a model-written answer differs from the lookup the routing already has.
  if (kb.writes)
    centre.answer = async (text, onText) =>
      toLookup(await kb.answer(text, onText), (await kb.gateThreshold()) ?? 0);
  return centre;
}

/** One answer as the port's lookup; `threshold` is the gate's (0 when ungated). */
export function toLookup(answer: KbAnswer, threshold: number): KbLookup {
  const confidence = answer.confidence - threshold;
  if (!answer.answered) return { answer: null, confidence };
  const url = /^https?:\/\//i.test(answer.source) ? answer.source : undefined;
  return {
    answer: { text: answer.text, title: answer.title, docId: answer.docId, ...(url ? { url } : {}) },
    confidence,
  };
}
