// Date expressions → half-open UTC ranges [start, end). Reporting periods ("this month", "last
// week", "since March", "last 30 days", "Q1", "year to date") are resolved here, because a date
// parser returns a point where a marketer means a period; explicit dates ("March 5",
// "2024-03-01", "from March 1 to March 15") go to chrono-node.
import * as chrono from 'chrono-node';
import { NUMBER_WORD_ALTERNATION, parseNumberWords } from './numbers.js';
import type { DateRangeEntity } from './types.js';

type Unit = 'day' | 'week' | 'month' | 'quarter' | 'year';

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const MONTH_RE =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const UNIT_RE = '(day|week|month|quarter|year)s?';

const DAY = 86_400_000;
const utc = (y: number, m: number, d = 1) => new Date(Date.UTC(y, m, d));

/** Start of the unit containing `t` (weeks start on Monday, ISO 8601). */
function startOf(unit: Unit, t: Date): Date {
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth();
  switch (unit) {
    case 'day':
      return utc(y, m, t.getUTCDate());
    case 'week':
      return new Date(utc(y, m, t.getUTCDate()).getTime() - ((t.getUTCDay() + 6) % 7) * DAY);
    case 'month':
      return utc(y, m);
    case 'quarter':
      return utc(y, m - (m % 3));
    case 'year':
      return utc(y, 0);
  }
}

/** `t` moved by `n` units (calendar-aware for months, quarters and years). */
function add(unit: Unit, t: Date, n: number): Date {
  if (unit === 'day') return new Date(t.getTime() + n * DAY);
  if (unit === 'week') return new Date(t.getTime() + 7 * n * DAY);
  const months = unit === 'month' ? n : unit === 'quarter' ? 3 * n : 12 * n;
  return utc(t.getUTCFullYear(), t.getUTCMonth() + months, t.getUTCDate());
}

function monthIndex(name: string): number {
  return MONTHS.findIndex((m) => m.startsWith(name.toLowerCase().slice(0, 3)));
}

/** The most recent occurrence of a month that has begun (no year given: "since March" in January → last March). */
function recentMonth(month: number, now: Date, year?: string): Date {
  if (year) return utc(Number(year), month);
  const y = now.getUTCFullYear();
  return month > now.getUTCMonth() ? utc(y - 1, month) : utc(y, month);
}

type Rule = {
  pattern: RegExp;
  resolve: (m: RegExpMatchArray, now: Date) => [Date, Date, DateRangeEntity['grain']];
};

// Rules are tried in order; a later rule never matches inside an earlier match.
const RULES: Rule[] = [
  {
    pattern: /\b(?:today|tonight)\b/gi,
    resolve: (_m, now) => [startOf('day', now), add('day', startOf('day', now), 1), 'day'],
  },
  {
    pattern: /\byesterday\b/gi,
    resolve: (_m, now) => [add('day', startOf('day', now), -1), startOf('day', now), 'day'],
  },
  {
    pattern: /\btomorrow\b/gi,
    resolve: (_m, now) => [add('day', startOf('day', now), 1), add('day', startOf('day', now), 2), 'day'],
  },
  {
    pattern: new RegExp(
      `\\b(?:last|past|previous)\\s+(\\d+|a|${NUMBER_WORD_ALTERNATION})\\s+${UNIT_RE}\\b`,
      'gi',
    ),
    resolve: (m, now) => {
      const n = /^\d+$/.test(m[1]!) ? Number(m[1]) : parseNumberWords(m[1]!)!;
      const unit = m[2]!.toLowerCase() as Unit;
      const end = add('day', startOf('day', now), 1); // rolling window up to the end of today
      return [add(unit, end, -n), end, 'custom'];
    },
  },
  {
    pattern: new RegExp(`\\b(?:(year|month|quarter|week)\\s+to\\s+date|(ytd|qtd|mtd|wtd))\\b`, 'gi'),
    resolve: (m, now) => {
      const key = (m[1] ?? m[2]!).toLowerCase();
      const unit =
        ({ ytd: 'year', qtd: 'quarter', mtd: 'month', wtd: 'week' } as Record<string, Unit>)[key] ??
        (key as Unit);
      return [startOf(unit, now), now, 'custom'];
    },
  },
  {
    pattern: new RegExp(
      `\\bsince\\s+(?:(last|this)\\s+${UNIT_RE}|${MONTH_RE}(?:\\s+(\\d{4}))?|(\\d{4}))\\b`,
      'gi',
    ),
    resolve: (m, now) => {
      if (m[1]) {
        const unit = m[2]!.toLowerCase() as Unit;
        const start = startOf(unit, now);
        return [m[1].toLowerCase() === 'last' ? add(unit, start, -1) : start, now, 'custom'];
      }
      if (m[3]) return [recentMonth(monthIndex(m[3]), now, m[4]), now, 'custom'];
      return [utc(Number(m[5]), 0), now, 'custom'];
    },
  },
  {
    pattern: new RegExp(`\\b(this|current|last|previous|past|next)\\s+${UNIT_RE}\\b`, 'gi'),
    resolve: (m, now) => {
      const unit = m[2]!.toLowerCase() as Unit;
      const which = m[1]!.toLowerCase();
      // "past week" is a rolling window; "last week" the previous calendar week.
      if (which === 'past')
        return [
          add(unit, add('day', startOf('day', now), 1), -1),
          add('day', startOf('day', now), 1),
          'custom',
        ];
      const offset = which === 'next' ? 1 : which === 'last' || which === 'previous' ? -1 : 0;
      const start = add(unit, startOf(unit, now), offset);
      return [start, add(unit, start, 1), unit];
    },
  },
  {
    pattern: /\b[Qq]([1-4])(?:\s*(?:of\s+)?(\d{4}))?\b/g,
    resolve: (m, now) => {
      const q = Number(m[1]) - 1;
      let year = m[2] ? Number(m[2]) : now.getUTCFullYear();
      if (!m[2] && q * 3 > now.getUTCMonth()) year -= 1; // "Q4" in March means last year's
      const start = utc(year, q * 3);
      return [start, add('quarter', start, 1), 'quarter'];
    },
  },
  {
    // A month name as a period: after in/during/for/of/throughout, or followed by a year.
    pattern: new RegExp(
      `\\b(?:(?:in|during|for|of|throughout)\\s+${MONTH_RE}(?:\\s+(\\d{4}))?|${MONTH_RE}\\s+(\\d{4}))\\b(?!\\s*\\d)`,
      'gi',
    ),
    resolve: (m, now) => {
      const start = recentMonth(monthIndex(m[1] ?? m[3]!), now, m[2] ?? m[4]);
      return [start, add('month', start, 1), 'month'];
    },
  },
  {
    pattern: /\b(?:in|during|for|throughout)\s+((?:19|20)\d{2})\b/gi,
    resolve: (m) => [utc(Number(m[1]), 0), utc(Number(m[1]) + 1, 0), 'year'],
  },
];

/** Finds date ranges in text, relative to `now` (a Date, injected so results are reproducible). */
export function extractDates(text: string, now: Date = new Date()): DateRangeEntity[] {
  const found: DateRangeEntity[] = [];
  const taken = (start: number, end: number) => found.some((r) => start < r.end && end > r.start);
  for (const { pattern, resolve } of RULES) {
    for (const m of text.matchAll(pattern)) {
      const end = m.index + m[0].length;
      if (taken(m.index, end)) continue;
      const range = resolve(m, now);
      if (!range || Number.isNaN(range[0].getTime()) || Number.isNaN(range[1].getTime())) continue;
      found.push({
        text: m[0],
        start: m.index,
        end,
        from: range[0].toISOString(),
        to: range[1].toISOString(),
        grain: range[2],
      });
    }
  }
  return found.concat(explicitDates(text, now, found)).sort((a, b) => a.start - b.start);
}

/**
 * Words without which chrono's English parsers find nothing: a digit, a month or weekday name, a
 * time unit, or a relative day word. Most chat messages have none, and chrono runs dozens of
 * regular expressions per message (~2.6 % of a chat server's CPU under load), so it is skipped for
 * them. test/nlu/dates-precheck.test.ts checks on ~15k real sentences and a list of date phrases
 * that skipping never loses a date chrono would find.
 */
const MIGHT_HOLD_A_DATE = new RegExp(
  '\\d|\\b(?:today|tonight|tomorrow|tmrw?|yesterday|now|noon|midnight|morning|afternoon|evening|night' +
    '|ago|later|sec(?:ond)?s?|min(?:ute)?s?|h(?:ou)?rs?|days?|weeks?|weekends?|fortnights?|months?|quarters?' +
    '|years?|decades?|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?' +
    `|sat(?:urday)?|sun(?:day)?|${MONTH_RE.slice(1, -1)})s?\\b`,
  'i',
);

/** Whether chrono could find a date in `text` (a cheap test run before it; see MIGHT_HOLD_A_DATE). */
export function mightHoldDate(text: string): boolean {
  return MIGHT_HOLD_A_DATE.test(text);
}

function explicitDates(text: string, now: Date, taken: readonly DateRangeEntity[]): DateRangeEntity[] {
  const out: DateRangeEntity[] = [];
  if (!mightHoldDate(text)) return out;
  let parsed: chrono.ParsedResult[];
  try {
    parsed = chrono.parse(text, { instant: now, timezone: 0 });
  } catch {
    return out; // a parser failure on odd text must not break the message
  }
  for (const r of parsed) {
    const end = r.index + r.text.length;
    if (taken.some((t) => r.index < t.end && end > t.start)) continue;
    // A bare month word ("march on", "may") is too ambiguous; the rules above take "in March".
    if (!/\d/.test(r.text) && new RegExp(`^${MONTH_RE}$`, 'i').test(r.text.trim())) continue;
    const day = (c: chrono.ParsedComponents) => utc(c.get('year')!, c.get('month')! - 1, c.get('day')!);
    // A weekday ("next Friday") names one day, though chrono marks only the weekday as certain.
    const grain: DateRangeEntity['grain'] =
      r.start.isCertain('day') || r.start.isCertain('weekday')
        ? 'day'
        : r.start.isCertain('month')
          ? 'month'
          : 'year';
    const start = day(r.start);
    const stop = r.end ? add('day', day(r.end), 1) : add(grain === 'day' ? 'day' : grain, start, 1);
    out.push({
      text: r.text,
      start: r.index,
      end,
      from: start.toISOString(),
      to: stop.toISOString(),
      grain: r.end ? 'custom' : grain,
    });
  }
  return out;
}
