// What every intent-model version is trained from before reviewed examples are added.
import { loadTrainingData, type NluDomain } from '../bots/index.js';
import type { IntentExample } from '../nlu/index.js';

/** The shipped training examples of a domain (bots/nlu-data): the seed of every model version. */
export async function seedIntentExamples(domain: NluDomain): Promise<IntentExample[]> {
  return (await loadTrainingData(domain)).map((e) => ({ text: e.text, intent: e.intent }));
}
