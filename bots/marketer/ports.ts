// What the marketer answers read from the data layer, beyond the MarketerAnalytics port: figures
// for a period and a segment, funnels, conversations, comment themes, customers and segments.
import type { RuleSegment, SegmentOverlap, SegmentSizeHistory } from '../../surveys/index.js';
import type { Period } from '../ports.js';
import type { MarketerVocabulary, SurveyMetric } from './questions.js';

/** NPS or CSAT over a period (optionally one segment's members). */
export interface MetricFigure {
  /** NPS (-100..100) or CSAT share satisfied (0..100). */
  value: number;
  n: number;
  /** Promoters/passives/detractors, or satisfied/mean. */
  parts: { label: string; value: string }[];
}

/** One bar or point. */
export interface ChartRow {
  x: string;
  y: number;
  n?: number;
}

/** Completion and drop-off of one instrument. */
export interface SurveyFunnel {
  instrumentId: string;
  title: string;
  started: number;
  completed: number;
  abandoned: number;
  active: number;
  /** Respondents who answered each item, in the instrument's order, with its text. */
  items: { id: string; text: string; answered: number }[];
}

/** A customer, for admins. */
export interface CustomerCard {
  id: string;
  name: string | null;
  email: string | null;
  ageBand: string | null;
  marketingOptIn: boolean;
  demo: boolean;
  npsClass: string | null;
  traits: { label: string; score: number; percentile: number | null }[];
  segments: string[];
  orders: number;
  surveys: { instrumentId: string; status: string }[];
}

/** A comment theme with quotes (already PII-masked by the caller). */
export interface CommentTheme {
  label: string;
  size: number;
  quotes: string[];
}

/** The data behind the marketer's plain-English questions. */
export interface MarketerInsights {
  vocabulary(): Promise<MarketerVocabulary>;
  /**
   * Free-text answers to an instrument's text items, newest first, decrypted (masked by the
   * answer, which shows them to the marketer and admin roles only).
   */
  surveyComments?(instrumentId: string, limit: number): Promise<{ total: number; latest: string[] }>;
  metric(metric: SurveyMetric, period: Period, segment?: string): Promise<MetricFigure>;
  /** By month over the period. */
  trend(metric: SurveyMetric, period: Period, segment?: string): Promise<ChartRow[]>;
  /** Mean trait score per age band or segment (n = respondents). */
  traitBy(trait: string, by: 'ageBand' | 'segment'): Promise<ChartRow[]>;
  surveyFunnel(instrumentId: string): Promise<SurveyFunnel | null>;
  topProducts(period: Period, category?: string): Promise<{ name: string; sku: string; units: number }[]>;
  conversations(period: Period): Promise<{ conversations: number; userMessages: number; customers: number }>;
  rates(
    period: Period,
  ): Promise<{ userMessages: number; fallbacks: number; conversations: number; handoffs: number }>;
  /** Free-text survey answers and negative chat messages of the period (decrypted). */
  negativeComments(period: Period): Promise<{ texts: string[]; answers: number; messages: number }>;
  themes(texts: readonly string[]): Promise<CommentTheme[]>;
  customer(reference: string): Promise<CustomerCard | null>;
  segmentPreview(rule: RuleSegment): Promise<number>;
  /**
   * Overlaps of the named segments (exact names; none: every pair), from current memberships,
   * most similar first; pairs with an unknown name are left out.
   */
  segmentOverlaps(names?: readonly string[]): Promise<SegmentOverlap[]>;
  /** A segment's daily sizes recorded in the period, and its size now; null when no such segment. */
  segmentSizes(name: string, period: Period): Promise<SegmentSizeHistory | null>;
  saveSegment(rule: RuleSegment): Promise<{ id: string; name: string; size: number }>;
  /**
   * CSV of the segment's members who consented to marketing, with their free-text survey answers
   * (decrypted, PII masked) in a comments column; null when no such segment. Only roles that may
   * read comments are given it.
   */
  segmentExport(name: string): Promise<{
    name: string;
    csv: string;
    columns: string[];
    rows: number;
    withoutConsent: number;
    comments: number;
  } | null>;
}
