// The marketer question registry: one module per kind, each intent asks exactly one kind, and
// every kind a reader can return is registered (so it has an answer and an access rule).
import { describe, expect, it } from 'vitest';
import { MARKETER_INTENTS, QUESTION_KINDS, moduleOfIntent } from '../../bots/marketer/kinds/index.js';
import { understandQuestion } from '../../bots/marketer/understand.js';
import { normalise } from '../../bots/marketer/vocabulary-match.js';
import { loadTrainingData } from '../../bots/nlu-data/index.js';
import { testVocabulary } from '../support/marketer-vocabulary.js';

const vocab = testVocabulary;

describe('marketer question registry', () => {
  it('names each kind once and gives each intent to exactly one kind', () => {
    const kinds = QUESTION_KINDS.map((k) => k.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(new Set(MARKETER_INTENTS).size).toBe(MARKETER_INTENTS.length);
    for (const intent of MARKETER_INTENTS) expect(moduleOfIntent(intent)?.asked?.intents).toContain(intent);
  });

  it('reads every training sentence into a registered kind, cues naming only intents of the registry', async () => {
    const registered = new Set<string>(QUESTION_KINDS.map((k) => k.kind));
    const seen = new Set<string>();
    for (const e of await loadTrainingData('marketer')) {
      const nlu = { intent: e.intent, confidence: 0.9, outOfScope: false, ranking: [], entities: [] };
      const q = understandQuestion(e.text, nlu as never, vocab, new Date('2026-12-04T12:00:00Z'));
      expect(registered, e.text).toContain(q.kind);
      seen.add(q.kind);
      for (const k of QUESTION_KINDS) {
        const cued = k.asked?.cue?.(normalise(e.text), vocab);
        if (cued) expect(k.asked?.intents, `${k.kind} cue for "${e.text}"`).toContain(cued);
      }
    }
    // Every kind asked in words is reached by its training sentences.
    for (const k of QUESTION_KINDS) if (k.asked) expect(seen, k.kind).toContain(k.kind);
  });
});
