// The vocabulary the marketer-question tests read against (segments, traits, surveys, categories).
import type { MarketerVocabulary } from '../../bots/marketer/questions.js';

/** A shop's names, as MarketerInsights.vocabulary() would return them. */
export const testVocabulary: MarketerVocabulary = {
  segments: ['bargain hunters', 'promoters', 'young explorers'],
  traits: { price: 'Price consciousness', novelty: 'Novelty seeking', intellect: 'Intellect/Imagination' },
  instruments: [
    { id: 'mini-ipip-20', title: 'Big-Five personality, short form' },
    { id: 'purchase-motivation', title: 'What drives your purchases?' },
    { id: 'nps', title: 'NPS' },
  ],
  categories: ['Coffee & Kitchen', 'Footwear'],
  ageBands: ['18-24', '25-34', '35-44', '45-54', '55-64', '65+'],
};
