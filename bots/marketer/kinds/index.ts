// The marketer question registry: every kind of question a marketer can ask is one module in this
// folder, listed once below. A module declares its intents (bots/nlu-data/marketer.yml), its cue
// words, how the words are read into the question, who may ask it and its answer; the intent list,
// the question type and the dispatch are derived from this list (test/bots/nlu-data.test.ts fails
// when marketer.yml and the registry's intents differ).
import type { MarketerVocabulary } from '../questions.js';
import { boughtTogether } from './bought-together.js';
import { conversations } from './conversations.js';
import { customer } from './customer.js';
import { greet } from './greet.js';
import { handoffs } from './handoffs.js';
import { help } from './help.js';
import type { QuestionModule } from './kind.js';
import { metric } from './metric.js';
import { missingKind } from './missing.js';
import { rates } from './rates.js';
import { recommendCustomer } from './recommend-customer.js';
import { roles } from './roles.js';
import { segmentCreate } from './segment-create.js';
import { segmentExport } from './segment-export.js';
import { segmentGrowth } from './segment-growth.js';
import { segmentOverlap } from './segment-overlap.js';
import { segment } from './segment.js';
import { segments } from './segments.js';
import { surveyFunnel } from './survey-funnel.js';
import { surveyResults } from './survey-results.js';
import { themes } from './themes.js';
import { topProducts } from './top-products.js';
import { traitBy } from './trait-by.js';
import { trend } from './trend.js';
import { unknown } from './unknown.js';

/**
 * Every kind, in the order their cue words are tried: the more specific cue first ("create a
 * segment" before "segment", a trend of NPS before NPS, the segment list before one segment).
 */
export const QUESTION_KINDS = [
  segmentCreate,
  segmentExport,
  segmentOverlap,
  segmentGrowth,
  recommendCustomer,
  customer,
  boughtTogether,
  topProducts,
  themes,
  rates,
  handoffs,
  conversations,
  surveyFunnel,
  traitBy,
  trend,
  metric,
  surveyResults,
  segments,
  segment,
  help,
  greet,
  roles,
  missingKind,
  unknown,
] as const;

type QuestionOf<M> = M extends QuestionModule<infer Q, infer _Also> ? Q : never;

/** What a marketer asked for: the union of every registered kind's question. */
export type MarketerQuestion = QuestionOf<(typeof QUESTION_KINDS)[number]>;

/** A registered kind, seen through the question union (the registry pairs each kind with its module). */
export type AnyQuestionModule = QuestionModule<MarketerQuestion, MarketerQuestion>;

const ALL = QUESTION_KINDS as readonly QuestionModule<
  { kind: string },
  { kind: string }
>[] as readonly AnyQuestionModule[];

/** Marketer intents of the shipped training data, each asking exactly one kind. */
export const MARKETER_INTENTS: readonly string[] = ALL.flatMap((k) => k.asked?.intents ?? []);

const BY_KIND = new Map(ALL.map((k) => [k.kind, k]));
const BY_INTENT = new Map(ALL.flatMap((k) => (k.asked?.intents ?? []).map((i) => [i, k] as const)));

/** The module of a question kind. */
export function questionModule(kind: MarketerQuestion['kind']): AnyQuestionModule {
  return BY_KIND.get(kind)!;
}

/** The module an intent asks, or undefined for an intent no kind declares. */
export function moduleOfIntent(intent: string): AnyQuestionModule | undefined {
  return BY_INTENT.get(intent);
}

/** The intent that cue words decide whatever the classifier says (kinds tried in registry order). */
export function cueIntent(t: string, vocab: MarketerVocabulary): string | null {
  for (const k of ALL) {
    const intent = k.asked?.cue?.(t, vocab);
    if (intent) return intent;
  }
  return null;
}
