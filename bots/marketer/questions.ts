// What a marketer can ask, as one pure data type, and the vocabulary questions are read against
// (segment names, survey traits, instruments, product categories), which comes from the data.
import type { RuleSegment } from '../../surveys/index.js';
import type { Period } from '../ports.js';

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

/** What a marketer asked for. */
export type MarketerQuestion =
  | { kind: 'help' }
  | { kind: 'greet' }
  | { kind: 'segments' }
  | { kind: 'segment'; name: string; focus: 'size' | 'describe' }
  | { kind: 'metric'; metric: SurveyMetric; period: Period; segment?: string }
  | { kind: 'trend'; metric: SurveyMetric; period: Period; segment?: string }
  | { kind: 'trait_by'; trait: string; by: 'ageBand' | 'segment' }
  | { kind: 'survey_results'; instrumentId: string }
  | { kind: 'survey_funnel'; instrumentId: string }
  | { kind: 'bought_together'; product: string }
  | { kind: 'top_products'; period: Period; category?: string }
  | { kind: 'conversations'; period: Period }
  | { kind: 'rates'; period: Period; focus: 'fallback' | 'handoff' | 'both' }
  | { kind: 'themes'; period: Period }
  | { kind: 'customer'; reference: string }
  | { kind: 'recommend_customer'; customer: string }
  | { kind: 'segment_create'; rule: RuleSegment; unread: string[] }
  | { kind: 'segment_export'; name: string }
  | { kind: 'roles'; action: 'list' }
  | { kind: 'roles'; action: 'add'; user: string; role: 'admin' | 'marketer' | 'viewer' }
  | { kind: 'roles'; action: 'remove'; user: string }
  | { kind: 'handoffs' }
  /** A required thing is missing: say what, with buttons for the likely choices. */
  | { kind: 'missing'; what: string; example: string; choices: { label: string; question: string }[] }
  | { kind: 'unknown' };

/** The kind of a question. */
export type QuestionKind = MarketerQuestion['kind'];

/** What each question needs from the caller's role: aggregate figures, customer-level data, admin. */
export const QUESTION_ACCESS: Record<QuestionKind, 'any' | 'customers' | 'admin'> = {
  help: 'any',
  greet: 'any',
  segments: 'any',
  segment: 'any',
  metric: 'any',
  trend: 'any',
  trait_by: 'any',
  survey_results: 'any',
  survey_funnel: 'any',
  bought_together: 'any',
  top_products: 'any',
  conversations: 'any',
  rates: 'any',
  themes: 'customers',
  customer: 'admin',
  recommend_customer: 'customers',
  segment_create: 'customers',
  segment_export: 'customers',
  roles: 'admin',
  handoffs: 'any',
  missing: 'any',
  unknown: 'any',
};
