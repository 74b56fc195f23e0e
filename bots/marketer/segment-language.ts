// Plain-language segment definitions: "create a segment called bargain lovers with everyone whose
// price consciousness is above 3.5", "... who are promoters and bought footwear". Read into a rule
// segment (surveys' ZRuleSegment) plus the parts that could not be read. Pure.
import { ZRuleSegment, type RuleSegment, type SegmentRule } from '../../surveys/index.js';
import type { MarketerVocabulary } from './questions.js';
import { findCategory, findTraits, normalise } from './vocabulary-match.js';

/** The segment's name and its rule, or what is missing. */
export interface ParsedSegment {
  name: string | null;
  rules: SegmentRule[];
  /** Conditions that were not understood (shown back to the marketer). */
  unread: string[];
}

const COMPARATORS: [RegExp, SegmentRule['op']][] = [
  [/\b(at least|no less than|>=|or more)\b/, 'gte'],
  [/\b(at most|no more than|<=|or less)\b/, 'lte'],
  [/\b(above|over|more than|greater than|higher than|exceeds?|>)\b/, 'gt'],
  [/\b(below|under|less than|lower than|<)\b/, 'lt'],
];

/** Reads "create a segment called NAME with|of|who|whose CONDITIONS". */
export function parseSegmentDefinition(text: string, vocab: MarketerVocabulary): ParsedSegment {
  const t = normalise(text).trim();
  const named =
    /\b(?:called|named|name it|titled)\s+(.+?)(?:\s+(?:with|of|for|who|whose|where|that|containing|having)\b|$)/.exec(
      t,
    );
  const name = named ? named[1]!.replace(/^(the)\s+/, '').trim() : null;
  const start = named ? named.index + named[0].length : t.search(/\b(with|who|whose|where)\b/);
  return { name, ...parseSegmentConditions(start >= 0 ? t.slice(start) : '', vocab) };
}

/**
 * Reads the conditions alone ("price consciousness above 3.5 and bought footwear"), as the admin API
 * and the CLI take them (`--where`), into rules plus the parts that could not be read.
 */
export function parseSegmentConditions(
  text: string,
  vocab: MarketerVocabulary,
): { rules: SegmentRule[]; unread: string[] } {
  const conditions = normalise(text)
    .trim()
    .replace(/^\s*(with|of|for|who|whose|where|that|containing|having)\b/, '')
    .replace(/\b(everyone|everybody|all customers|all people|customers|people|anyone)\b/g, ' ')
    .replace(/\b(who|whose|where|that)\b/g, ' ')
    .trim();
  const rules: SegmentRule[] = [];
  const unread: string[] = [];
  for (const part of conditions
    .split(/\s+and\s+|\s*,\s*/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const rule = readCondition(part, vocab);
    if (rule) rules.push(...rule);
    else unread.push(part);
  }
  return { rules, unread };
}

/** The rule segment when name and rules were read, for saving after confirmation. */
export function toRuleSegment(parsed: ParsedSegment, description: string): RuleSegment | null {
  if (!parsed.name || parsed.rules.length === 0) return null;
  const checked = ZRuleSegment.safeParse({
    name: parsed.name,
    description,
    match: 'all',
    rules: parsed.rules,
  });
  return checked.success ? checked.data : null;
}

function readCondition(part: string, vocab: MarketerVocabulary): SegmentRule[] | null {
  const p = ` ${part} `;
  const nps = /\b(promoters?|passives?|detractors?)\b/.exec(p);
  if (nps) return [{ field: 'npsClass', op: 'eq', value: nps[1]!.replace(/s$/, '') }];
  if (/\b(bought|buy|buys|purchased|ordered)\b/.test(p)) {
    const category = findCategory(p, vocab);
    return category ? [{ field: 'bought', op: 'contains', value: category.toLowerCase() }] : null;
  }
  if (/\b(opted in|opt in|subscribed|consent|marketing)\b/.test(p))
    return [{ field: 'marketingOptIn', op: 'eq', value: !/\b(not|no|without)\b/.test(p) }];
  const ages = readAges(p, vocab.ageBands);
  if (ages) return [{ field: 'ageBand', op: 'in', value: ages }];
  const trait = findTraits(p, vocab)[0];
  if (trait) {
    const number = /(-?\d+(?:\.\d+)?)/.exec(p.replace(/\b\d{2}-\d{2}\b/g, ''));
    const op = COMPARATORS.find(([re]) => re.test(p))?.[1];
    if (number && op) return [{ field: `traits.${trait.id}`, op, value: Number(number[1]) }];
    if (/\b(high|highly|very|strong)\b/.test(p))
      return [{ field: `percentiles.${trait.id}`, op: 'gte', value: 70 }];
    if (/\b(low|weak)\b/.test(p)) return [{ field: `percentiles.${trait.id}`, op: 'lte', value: 30 }];
    return null;
  }
  const interest = /\binterested in ([a-z ]+)/.exec(p);
  if (interest) return [{ field: 'preferences.categories', op: 'contains', value: interest[1]!.trim() }];
  return null;
}

/** Age bands a condition names: "aged 25-34", "under 35", "over 55", "18-24 or 25-34". */
function readAges(p: string, bands: readonly string[]): string[] | null {
  const named = bands.filter((b) => p.includes(` ${b} `) || p.includes(` ${b.replace('+', '')} `));
  if (named.length > 0 && /\b(age|aged|band|years|old|\d{2}-\d{2})\b/.test(p)) return named;
  const m = /\b(under|below|younger than|over|above|older than)\s+(\d{2})\b/.exec(p);
  if (!m || !/\b(age|aged|years|old|under|over|younger|older)\b/.test(p)) return null;
  const limit = Number(m[2]);
  const lower = (b: string) => Number(/^(\d+)/.exec(b)?.[1] ?? 0);
  const upper = (b: string) => (b.endsWith('+') ? Infinity : Number(/-(\d+)$/.exec(b)?.[1] ?? 0));
  const young = /under|below|younger/.test(m[1]!);
  const out = bands.filter((b) => (young ? upper(b) < limit : lower(b) >= limit));
  return out.length > 0 ? out : null;
}

/** A rule in words, for the confirmation ("price consciousness > 3.5 and NPS class is promoter"). */
export function describeRules(rules: readonly SegmentRule[], traits: Record<string, string>): string {
  const ops: Record<string, string> = {
    gt: '>',
    gte: '≥',
    lt: '<',
    lte: '≤',
    eq: 'is',
    neq: 'is not',
    in: 'is one of',
    contains: 'includes',
    exists: 'is known',
  };
  return rules
    .map((r) => {
      const [head, key] = r.field.split('.');
      const field =
        head === 'traits'
          ? (traits[key!] ?? key!).toLowerCase()
          : head === 'percentiles'
            ? `${(traits[key!] ?? key!).toLowerCase()} percentile`
            : head === 'npsClass'
              ? 'NPS class'
              : head === 'bought'
                ? 'bought categories'
                : head === 'ageBand'
                  ? 'age band'
                  : head === 'marketingOptIn'
                    ? 'marketing opt-in'
                    : r.field;
      const value = Array.isArray(r.value) ? r.value.join(', ') : String(r.value ?? '');
      return `${field} ${ops[r.op]} ${value}`.trim();
    })
    .join(' and ');
}
