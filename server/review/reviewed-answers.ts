// A question a reviewer answered with a knowledge-base entry (an existing one, or the new one they
// wrote) is answered from that entry the next time it is asked in the same words (after PII
// masking, case and spacing folded), even when the knowledge base's own ranking stays below its
// gate: the reviewer's choice is the label. Other wordings still go through the ranking (the
// entry also learnt the question as one of its phrasings, review-service.ts).
import { extractAnswer, type KbAnswer, type KbService } from '../../kb/index.js';
import { maskPII } from '../../nlu/index.js';

/** The knowledge base as the help centre uses it (server/help-centre-adapter.ts). */
export type HelpCentreKb = Pick<KbService, 'lookup' | 'answer' | 'record' | 'gateThreshold' | 'writes'>;

/** Where the reviewed questions come from (the review queue). */
export interface ReviewedQuestions {
  answeredQuestions(): Promise<Array<{ text: string; kbDocumentId: string }>>;
}

// Reviewed answers reach every process within this delay (one small query per period, not per message).
const REFRESH_MS = 5_000;

/** The form a question is matched in. */
export function questionKey(text: string): string {
  return maskPII(text)
    .toLowerCase()
    .replace(/[\s?!.]+$/u, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `kb` whose lookups answer reviewed questions from the entry the reviewer chose. */
export function withReviewedAnswers(kb: HelpCentreKb, source: ReviewedQuestions): HelpCentreKb {
  let entries = new Map<string, string>();
  let loadedAt = -Infinity;
  let loading: Promise<void> | undefined;
  const load = async () => {
    try {
      const rows = await source.answeredQuestions();
      entries = new Map(rows.map((r) => [questionKey(r.text), r.kbDocumentId]));
    } catch {
      // The database is unreachable: the last known answers stay (the chat reports the outage itself).
    }
    loadedAt = Date.now();
  };
  const entryFor = async (text: string) => {
    if (Date.now() - loadedAt > REFRESH_MS) await (loading ??= load().finally(() => (loading = undefined)));
    return entries.get(questionKey(text));
  };
  const reviewed = async (text: string, answer: KbAnswer): Promise<KbAnswer> => {
    const docId = await entryFor(text);
    if (!docId || (answer.answered && answer.docId === docId)) return answer;
    // The entry's best passage for the question; none when the entry is gone or no longer near it.
    const hit = answer.hits.find((h) => h.docId === docId);
    if (!hit) return answer;
    const gate = (await kb.gateThreshold()) ?? answer.confidence;
    return {
      answered: true,
      text: extractAnswer(text, hit.chunk.text),
      title: hit.title,
      source: hit.source,
      docId,
      confidence: Math.max(answer.confidence, gate),
      hits: answer.hits,
    };
  };
  return {
    lookup: async (text) => reviewed(text, await kb.lookup(text)),
    answer: async (text) => reviewed(text, await kb.answer(text)),
    record: (...args) => kb.record(...args),
    gateThreshold: () => kb.gateThreshold(),
    get writes() {
      return kb.writes;
    },
  };
}
