// Marketer requests, from the `/mkt` grammar or from NLU marketer intents, as one pure data type.
// Parsing (command words, periods) is pure and unit-tested; marketer.ts answers the requests.
import { extractDates } from '../../../nlu/index.js';
import type { ChartRequest, NluEntity, NluResult, Period } from '../../ports.js';

/** Marketer intents the shipped training data defines (bots/nlu-data/marketer.yml). */
export const MARKETER_INTENTS = [
  'help',
  'greet',
  'segments_list',
  'segment_size',
  'segment_describe',
  'nps',
  'csat',
  'survey_results',
  'chart',
  'bought_together',
  'recommend_customer',
  'handoffs',
] as const;

/** What a marketer asked for. */
export type MarketerRequest =
  | { kind: 'help' }
  | { kind: 'greet' }
  | { kind: 'segments' }
  | { kind: 'segment'; name: string; focus: 'size' | 'describe' }
  | { kind: 'nps'; period: Period }
  | { kind: 'csat'; period: Period }
  | { kind: 'survey_results'; instrumentId: string }
  | { kind: 'chart'; chart: ChartRequest }
  | { kind: 'bought_together'; product: string }
  | { kind: 'recommend_customer'; customer: string }
  | { kind: 'handoffs' }
  | { kind: 'missing'; usage: string }
  | { kind: 'unknown' };

/** The `/mkt` usage lines, shown by help. */
export const MKT_USAGE = [
  '`/mkt segments` list segments',
  '`/mkt segment NAME` describe a segment · `/mkt size NAME` its size',
  '`/mkt nps [period]` · `/mkt csat [period]` (e.g. "last month", "q3", "last 7 days")',
  '`/mkt results INSTRUMENT` survey results (e.g. big-five)',
  '`/mkt chart nps [period]` · `/mkt chart means INSTRUMENT` · `/mkt chart answers INSTRUMENT [ITEM]`',
  '`/mkt together SKU-or-name` frequently bought together',
  '`/mkt recommend CUSTOMER` recommendations for a customer (id, e-mail or reference)',
  '`/mkt handoffs` conversations waiting for a person',
  'Or just ask in plain English, e.g. `/mkt what was our NPS last month?`',
];

/** Parses `/mkt` text; null when it is not the command grammar (then NLU takes over). Pure. */
export function parseMktCommand(text: string, now: Date): MarketerRequest | null {
  const trimmed = text.trim();
  const [head = '', ...rest] = trimmed.split(/\s+/);
  const arg = rest.join(' ').trim();
  switch (head.toLowerCase()) {
    case '':
    case 'help':
      return { kind: 'help' };
    case 'segments':
      return { kind: 'segments' };
    case 'segment':
      return arg
        ? { kind: 'segment', name: arg, focus: 'describe' }
        : { kind: 'missing', usage: '/mkt segment NAME' };
    case 'size':
      return arg
        ? { kind: 'segment', name: arg, focus: 'size' }
        : { kind: 'missing', usage: '/mkt size NAME' };
    case 'nps':
      return { kind: 'nps', period: parsePeriod(arg, now) };
    case 'csat':
      return { kind: 'csat', period: parsePeriod(arg, now) };
    case 'results':
    case 'survey':
      return arg
        ? { kind: 'survey_results', instrumentId: arg }
        : { kind: 'missing', usage: '/mkt results INSTRUMENT' };
    case 'chart':
      return parseChart(rest, now);
    case 'together':
      return arg
        ? { kind: 'bought_together', product: arg }
        : { kind: 'missing', usage: '/mkt together SKU' };
    case 'recommend':
      return arg
        ? { kind: 'recommend_customer', customer: arg }
        : { kind: 'missing', usage: '/mkt recommend CUSTOMER' };
    case 'handoffs':
      return { kind: 'handoffs' };
    default:
      return null;
  }
}

function parseChart(words: string[], now: Date): MarketerRequest {
  const [what = 'nps', a, b] = words;
  if (what === 'nps')
    return {
      kind: 'chart',
      chart: { kind: 'nps-over-time', period: parsePeriod(words.slice(1).join(' '), now, 90) },
    };
  if (what === 'means' && a)
    return { kind: 'chart', chart: { kind: 'scale-means-by-segment', instrumentId: a } };
  if (what === 'answers' && a)
    return { kind: 'chart', chart: { kind: 'answer-distribution', instrumentId: a, itemId: b } };
  return {
    kind: 'missing',
    usage: '/mkt chart nps [period] | chart means INSTRUMENT | chart answers INSTRUMENT [ITEM]',
  };
}

/** Turns a classified marketer message into a request. Pure. */
export function requestFromNlu(
  nlu: NluResult,
  text: string,
  now: Date,
  minConfidence = 0.5,
): MarketerRequest {
  if (nlu.outOfScope || nlu.confidence < minConfidence) return { kind: 'unknown' };
  const entity = (type: string) => entityValue(nlu.entities, type);
  const period = parsePeriod(entity('period') ?? text, now);
  switch (nlu.intent) {
    case 'help':
      return { kind: 'help' };
    case 'greet':
      return { kind: 'greet' };
    case 'segments_list':
      return { kind: 'segments' };
    case 'segment_size':
    case 'segment_describe': {
      const name = entity('segment');
      if (!name) return { kind: 'missing', usage: 'name the segment, e.g. "how big is bargain hunters?"' };
      return { kind: 'segment', name, focus: nlu.intent === 'segment_size' ? 'size' : 'describe' };
    }
    case 'nps':
      return { kind: 'nps', period };
    case 'csat':
      return { kind: 'csat', period };
    case 'survey_results': {
      const instrumentId = entity('instrument');
      return instrumentId
        ? { kind: 'survey_results', instrumentId }
        : { kind: 'missing', usage: 'name the survey, e.g. "results of big-five"' };
    }
    case 'chart': {
      const instrumentId = entity('instrument');
      if (instrumentId) return { kind: 'chart', chart: { kind: 'scale-means-by-segment', instrumentId } };
      return {
        kind: 'chart',
        chart: { kind: 'nps-over-time', period: parsePeriod(entity('period') ?? text, now, 90) },
      };
    }
    case 'bought_together': {
      const product = entity('product');
      return product
        ? { kind: 'bought_together', product }
        : { kind: 'missing', usage: 'name the product or SKU' };
    }
    case 'recommend_customer': {
      const customer = entity('customer');
      return customer
        ? { kind: 'recommend_customer', customer }
        : { kind: 'missing', usage: 'name the customer (id, e-mail or reference)' };
    }
    case 'handoffs':
      return { kind: 'handoffs' };
    default:
      return { kind: 'unknown' };
  }
}

function entityValue(entities: readonly NluEntity[], type: string): string | undefined {
  const e = entities.find((x) => x.type === type);
  if (!e) return undefined;
  return String(e.value ?? e.text);
}

const DAY = 24 * 3600 * 1000;

// Month names from Intl rather than a list of our own (nlu/ has the other copy).
const MONTH_NAMES = Array.from({ length: 12 }, (_, m) =>
  new Intl.DateTimeFormat('en', { month: 'long', timeZone: 'UTC' })
    .format(Date.UTC(2000, m, 1))
    .toLowerCase(),
);

function utcDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

/**
 * Reads a period from words ("last month", "q3", "last 7 days", "since March", "2024-05", "march");
 * default the last N days. Relative periods come from the NLU's date parser; the label is the words
 * used ("Q3 2026" for a bare quarter), so answers name the period as it was asked. Pure.
 */
export function parsePeriod(text: string, now: Date, defaultDays = 30): Period {
  const found = extractDates(text, now)[0];
  if (found) {
    const from = new Date(found.from);
    const quarter = /^q([1-4])(\s+\d{4})?$/i.exec(found.text.trim());
    const label = quarter ? `Q${quarter[1]} ${from.getUTCFullYear()}` : found.text.trim().toLowerCase();
    return { from, to: new Date(found.to), label };
  }
  // Short forms the date parser leaves alone: "2024-05", a bare month name, a bare year.
  const t = text.toLowerCase();
  const y = now.getUTCFullYear();
  let match: RegExpMatchArray | null;
  if ((match = /\b(\d{4})-(\d{2})\b/.exec(t))) {
    const [yy, mm] = [Number(match[1]), Number(match[2]) - 1];
    return { from: new Date(Date.UTC(yy, mm, 1)), to: new Date(Date.UTC(yy, mm + 1, 1)), label: match[0] };
  }
  const month = MONTH_NAMES.findIndex((name) => new RegExp(`\\b${name}\\b`).test(t));
  if (month >= 0) {
    // A month name means its most recent occurrence (last March if we are in February).
    const yy = month <= now.getUTCMonth() ? y : y - 1;
    return {
      from: new Date(Date.UTC(yy, month, 1)),
      to: new Date(Date.UTC(yy, month + 1, 1)),
      label: `${MONTH_NAMES[month]} ${yy}`,
    };
  }
  if ((match = /\b(20\d{2})\b/.exec(t))) {
    const yy = Number(match[1]);
    return { from: new Date(Date.UTC(yy, 0, 1)), to: new Date(Date.UTC(yy + 1, 0, 1)), label: String(yy) };
  }
  const tomorrow = new Date(utcDay(now).getTime() + DAY);
  return {
    from: new Date(tomorrow.getTime() - defaultDays * DAY),
    to: tomorrow,
    label: `last ${defaultDays} days`,
  };
}
