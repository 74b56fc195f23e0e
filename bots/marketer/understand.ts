// Reads a marketer's plain-English question into a MarketerQuestion: the marketer intent model
// (bots/nlu-data/marketer.yml) names the kind of question, and words that leave no doubt (an
// e-mail address, "bought with", "drop-off", a segment definition) override a weak guess; the
// entities come from the data's vocabulary. Asks for more only when a required thing is missing.
import type { NluResult } from '../ports.js';
import type { MarketerQuestion, MarketerVocabulary, SurveyMetric } from './questions.js';
import { parseSegmentDefinition, toRuleSegment, describeRules } from './segment-language.js';
import {
  findCategory,
  findInstrument,
  findSegment,
  findTraits,
  normalise,
  readPeriod,
} from './vocabulary-match.js';

/** Marketer intents of the shipped training data, each the name of a question kind or a synonym. */
export const MARKETER_INTENTS = [
  'help',
  'greet',
  'segments_list',
  'segment_size',
  'segment_describe',
  'segment_create',
  'segment_export',
  'nps',
  'csat',
  'metric_trend',
  'trait_by_group',
  'survey_results',
  'survey_completion',
  'chart',
  'bought_together',
  'top_products',
  'conversation_volume',
  'fallback_rate',
  'handoff_rate',
  'comment_themes',
  'customer_lookup',
  'recommend_customer',
  'handoffs',
] as const;

const EMAIL = /[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/i;

/** Cue words that decide the kind of question whatever the classifier says (checked in order). */
function cueIntent(t: string, vocab: MarketerVocabulary): string | null {
  if (/\b(create|make|build|save|define|set up)\b.*\bsegment\b/.test(t)) return 'segment_create';
  if (/\b(spreadsheet|csv|export|download)\b/.test(t)) return 'segment_export';
  if (/\brecommend(ations|ed)? (for|to)\b/.test(t)) return 'recommend_customer';
  if (EMAIL.test(t) || /\b(look ?up|who is|find|profile of|details (of|for|on)) (the )?customer\b/.test(t))
    return 'customer_lookup';
  if (
    /\b(bought|buy|purchased|sold|sell|go|goes|pair|pairs|paired) (together )?(with|alongside)\b|\btogether with\b|\bfrequently bought\b|\bcross[- ]?sell/.test(
      t,
    )
  )
    return 'bought_together';
  if (
    /\b(top|best[- ]?sell\w*|most (popular|sold|bought|purchased)|sells? (the )?(best|most)|biggest sellers)\b/.test(
      t,
    ) &&
    !/\bsegments?\b/.test(t)
  )
    return 'top_products';
  if (
    /\b(dislike|complain\w*|themes?|pain points?|unhappy|hate|annoy\w*|frustrat\w*|what do (customers|people) (say|think|like|want)|comments?|feedback say)\b/.test(
      t,
    )
  )
    return 'comment_themes';
  if (/\b(fallback|did ?n?t understand|not understood|out of scope|unanswered|could ?n?t answer)\b/.test(t))
    return 'fallback_rate';
  if (
    /\b(handoff|hand-off|escalat\w*|human|agent|person)\b/.test(t) &&
    /\b(rate|share|percent|percentage|how often|how many|%|ratio)\b/.test(t)
  )
    return 'handoff_rate';
  if (
    /\b(waiting|open|pending|queue|unclaimed)\b.*\b(handoffs?|hand-offs?|person|human|agent)\b|^ handoffs? $/.test(
      t,
    )
  )
    return 'handoffs';
  if (/\b(conversations?|chats?|chat volume|messages)\b/.test(t) && !/\bsegment\b/.test(t))
    return 'conversation_volume';
  if (
    /\b(completion|complete rate|completed|drop[- ]?offs?|dropout|drop out|abandon\w*|finish\w*|response rate|where do people (stop|quit))\b/.test(
      t,
    )
  )
    return 'survey_completion';
  const traits = findTraits(t, vocab);
  if (traits.length > 0 && /\b(by|per|across|for each|by each) (age|age band|age group|segment)s?\b/.test(t))
    return 'trait_by_group';
  const metric = /\b(nps|net promoter|promoter score|csat|satisfaction)\b/.test(t);
  if (
    metric &&
    /\b(trend\w*|over time|chart|graph|plot|by month|monthly|weekly|by week|evolution|history|changed?|developed?)\b/.test(
      t,
    )
  )
    return 'metric_trend';
  if (/\b(nps|net promoter|promoter score)\b/.test(t)) return 'nps';
  if (/\b(csat|satisfaction|satisfied)\b/.test(t)) return 'csat';
  if (/\b(results?|scale means|reliability|alpha|scores)\b/.test(t) && findInstrument(t, vocab))
    return 'survey_results';
  if (/\b(list|show|all|which|what|our)\b.*\bsegments\b|^ segments $/.test(t)) return 'segments_list';
  if (/\bsegment\b/.test(t) && /\b(how (big|many|large)|size|count|number of|members)\b/.test(t))
    return 'segment_size';
  if (findSegment(t, vocab)) {
    if (/\b(how (big|many|large)|size|count|number of|members)\b/.test(t)) return 'segment_size';
    if (/\b(describe|who are|tell me about|what is|what are|explain|profile)\b/.test(t))
      return 'segment_describe';
  }
  return null;
}

/** Reads one question. `nlu` is the marketer model's analysis (null when unavailable). */
export function understandQuestion(
  text: string,
  nlu: NluResult | null,
  vocab: MarketerVocabulary,
  now: Date,
  minConfidence = 0.5,
): MarketerQuestion {
  const t = normalise(text);
  const cue = cueIntent(t, vocab);
  const modelIntent = nlu && !nlu.outOfScope && nlu.confidence >= minConfidence ? nlu.intent : null;
  const intent = cue ?? modelIntent;
  const segment = findSegment(t, vocab);
  const instrument = findInstrument(t, vocab);
  const segmentChoices = vocab.segments.slice(0, 5);
  switch (intent) {
    case 'help':
      return { kind: 'help' };
    case 'greet':
      return { kind: 'greet' };
    case 'segments_list':
      return { kind: 'segments' };
    case 'segment_size':
    case 'segment_describe':
      return segment
        ? { kind: 'segment', name: segment, focus: intent === 'segment_size' ? 'size' : 'describe' }
        : missing(
            'which segment',
            'how big is bargain hunters?',
            segmentChoices.map((s) => [s, `how big is ${s}?`]),
          );
    case 'segment_create': {
      const parsed = parseSegmentDefinition(text, vocab);
      const rule = toRuleSegment(parsed, '');
      if (!parsed.name)
        return missing(
          'a name for the segment',
          'create a segment called bargain lovers with everyone whose price consciousness is above 3.5',
          [],
        );
      if (!rule || parsed.unread.length > 0)
        return missing(
          parsed.unread.length > 0
            ? `a condition I can read (not "${parsed.unread.join('", "')}")`
            : 'who belongs in it',
          `create a segment called ${parsed.name} with everyone whose price consciousness is above 3.5`,
          [
            ['promoters', `create a segment called ${parsed.name} with customers who are promoters`],
            [
              'price > 3.5',
              `create a segment called ${parsed.name} with everyone whose price consciousness is above 3.5`,
            ],
          ],
        );
      return {
        kind: 'segment_create',
        rule: { ...rule, description: describeRules(rule.rules, vocab.traits) },
        unread: [],
      };
    }
    case 'segment_export':
      return segment
        ? { kind: 'segment_export', name: segment }
        : missing(
            'which segment to export',
            'send me the promoters as a spreadsheet',
            segmentChoices.map((s) => [s, `export ${s} as csv`]),
          );
    case 'nps':
    case 'csat':
      return {
        kind: 'metric',
        metric: intent,
        period: readPeriod(text, now),
        ...(segment ? { segment } : {}),
      };
    case 'metric_trend':
    case 'chart': {
      const traits = findTraits(t, vocab);
      if (traits.length > 0 && /\bage\b/.test(t))
        return { kind: 'trait_by', trait: traits[0]!.id, by: 'ageBand' };
      if (traits.length > 0 && /\bsegments?\b/.test(t))
        return { kind: 'trait_by', trait: traits[0]!.id, by: 'segment' };
      const metric: SurveyMetric = /\b(csat|satisfaction|satisfied)\b/.test(t) ? 'csat' : 'nps';
      return { kind: 'trend', metric, period: readPeriod(text, now, 182), ...(segment ? { segment } : {}) };
    }
    case 'trait_by_group': {
      const trait = findTraits(t, vocab)[0];
      if (!trait)
        return missing(
          'which trait',
          'chart of openness by age band',
          Object.entries(vocab.traits)
            .slice(0, 5)
            .map(([, l]) => [l, `chart of ${l.toLowerCase()} by age band`]),
        );
      return { kind: 'trait_by', trait: trait.id, by: /\bsegments?\b/.test(t) ? 'segment' : 'ageBand' };
    }
    case 'survey_results':
      return instrument
        ? { kind: 'survey_results', instrumentId: instrument }
        : missing(
            'which survey',
            'results of big-five',
            vocab.instruments.map((i) => [i.id, `results of ${i.id}`]),
          );
    case 'survey_completion':
      return instrument
        ? { kind: 'survey_funnel', instrumentId: instrument }
        : missing(
            'which survey',
            'completion rate of the purchase-motivation survey',
            vocab.instruments.map((i) => [i.id, `completion and drop-off of ${i.id}`]),
          );
    case 'bought_together': {
      const product = productWords(text);
      return product
        ? { kind: 'bought_together', product }
        : missing('which product', 'top products bought with coffee', [
            ['coffee', 'what is bought with coffee'],
          ]);
    }
    case 'top_products': {
      const category = findCategory(t, vocab);
      return { kind: 'top_products', period: readPeriod(text, now, 90), ...(category ? { category } : {}) };
    }
    case 'conversation_volume':
      return { kind: 'conversations', period: readPeriod(text, now) };
    case 'fallback_rate':
    case 'handoff_rate': {
      const both = /\bfallback\b/.test(t) && /\bhand-?off/.test(t);
      return {
        kind: 'rates',
        period: readPeriod(text, now),
        focus: both ? 'both' : intent === 'fallback_rate' ? 'fallback' : 'handoff',
      };
    }
    case 'comment_themes':
      return { kind: 'themes', period: readPeriod(text, now, 182) };
    case 'customer_lookup': {
      const reference = customerReference(text);
      return reference
        ? { kind: 'customer', reference }
        : missing('the customer (name or e-mail)', 'look up customer ada.abbott.1@example.com', []);
    }
    case 'recommend_customer': {
      const reference = customerReference(text);
      return reference
        ? { kind: 'recommend_customer', customer: reference }
        : missing(
            'the customer (name, e-mail or reference)',
            'recommendations for ada.abbott.1@example.com',
            [],
          );
    }
    case 'handoffs':
      return { kind: 'handoffs' };
    default:
      return { kind: 'unknown' };
  }
}

function missing(what: string, example: string, choices: [string, string][]): MarketerQuestion {
  return {
    kind: 'missing',
    what,
    example,
    choices: choices.map(([label, question]) => ({ label, question })),
  };
}

/** The product words after "with" / "alongside" ("top products bought with coffee" → "coffee"). */
function productWords(text: string): string | null {
  const m = /\b(?:with|alongside|to)\s+(?:the |a |an |our )?(.+?)[?.!]*$/i.exec(text.trim());
  const words = m?.[1]?.replace(/\b(please|most often|often|usually|frequently)\b/gi, '').trim();
  return words ? words : null;
}

/** An e-mail, a "demo-respondent-012" reference, or a name after "customer", "for" or "is". */
function customerReference(text: string): string | null {
  const email = EMAIL.exec(text);
  if (email) return email[0];
  const ref = /\b(demo-[a-z]+-\d+|[0-9a-f]{8}-[0-9a-f-]{27})\b/i.exec(text);
  if (ref) return ref[1]!;
  const named = /\b(?:customer|for|is|about)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)+)/.exec(text);
  return named ? named[1]! : null;
}
