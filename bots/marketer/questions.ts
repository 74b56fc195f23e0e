// The vocabulary marketer questions are read against (segment names, survey traits, instruments,
// product categories), which comes from the data. The questions themselves are the kinds of
// bots/marketer/kinds/.

/** Names the data knows, for reading questions and offering buttons. */
export interface MarketerVocabulary {
  segments: string[];
  /** Trait id → label ("novelty" → "Novelty seeking"). */
  traits: Record<string, string>;
  instruments: { id: string; title: string }[];
  /** Product categories of the catalog. */
  categories: string[];
  ageBands: string[];
}

/** A metric over survey answers. */
export type SurveyMetric = 'nps' | 'csat';
