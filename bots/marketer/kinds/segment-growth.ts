// "how has bargain hunters grown since June?": a segment's size over a period, from the size
// recorded each day segments are recomputed, with a chart when there are two days or more.
import { sizeChange } from '../../../surveys/index.js';
import type { Period } from '../../ports.js';
import { findSegment, MONTHS, normalise, readPeriod } from '../vocabulary-match.js';
import { signed } from './figures.js';
import { defineKind, missing } from './kind.js';

/** One segment's size over a period. */
export interface SegmentGrowthQuestion {
  kind: 'segment_growth';
  name: string;
  period: Period;
}

const DAY_MS = 86_400_000;
const DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const day = (d: Date) => DATE.format(d);
const METRIC = /\b(nps|net promoter|promoter score|csat|satisfaction)\b/;
const GROWTH =
  /\b(grow\w*|grew|shr[iu]nk\w*|shrank|size (over time|history|trend)|(size|members?|customers?) (changed?|developed?)|changed? in size|over time|trend\w*|history)\b/;

/** "since June" reads as the 1st of June (this year, or last year's when June is still to come) to today. */
export function readSince(text: string, now: Date, defaultDays = 182): Period {
  const t = normalise(text);
  const month = MONTHS.findIndex((name) => t.includes(` since ${name} `));
  if (month < 0) return readPeriod(text, now, defaultDays);
  const y = now.getUTCFullYear();
  const from = new Date(Date.UTC(month <= now.getUTCMonth() ? y : y - 1, month, 1));
  const tomorrow = new Date(Date.UTC(y, now.getUTCMonth(), now.getUTCDate()) + DAY_MS);
  return { from, to: tomorrow, label: `since ${day(from)}` };
}

export const segmentGrowth = defineKind<SegmentGrowthQuestion>({
  kind: 'segment_growth',
  access: 'any',
  asked: {
    intents: ['segment_growth'],
    cue: (t, vocab) => (findSegment(t, vocab) && GROWTH.test(t) && !METRIC.test(t) ? 'segment_growth' : null),
    read({ text, t, vocab, now }) {
      const name = findSegment(t, vocab);
      return name
        ? { kind: 'segment_growth', name, period: readSince(text, now) }
        : missing(
            'which segment',
            'how has bargain hunters grown since June?',
            vocab.segments.slice(0, 5).map((s) => [s, `how has ${s} grown over the last 6 months?`]),
          );
    },
  },
  async answer(q, { deps }) {
    const h = await deps.insights.segmentSizes(q.name, q.period);
    if (!h) return { text: `I don't know a segment called "${q.name}". Say "list segments".` };
    const recorded = h.recordedSince
      ? `sizes are recorded once a day when segments are recomputed, since ${day(h.recordedSince)}`
      : 'sizes are recorded once a day when segments are recomputed, and none is recorded yet';
    const c = sizeChange(h.points);
    if (!c)
      return {
        text: `No data for ${q.period.label}: no size of *${h.name}* recorded then (${recorded}). It has ${h.current} customers now.`,
      };
    if (c.points === 1)
      return {
        text: `*${h.name}* had ${c.last.size} customers on ${day(c.last.day)}, the only size recorded ${q.period.label} (${recorded}), so there is no change to show yet. It has ${h.current} customers now.`,
      };
    const rel = c.percent === null ? '' : `, ${signed(c.percent)}%`;
    const verb = c.change > 0 ? 'grew' : c.change < 0 ? 'shrank' : 'stayed the same';
    const title = `Size of ${h.name}, ${q.period.label} (${c.points} daily sizes)`;
    return {
      text: `*${h.name}* ${verb}: ${c.first.size} customers on ${day(c.first.day)}, ${c.last.size} on ${day(c.last.day)} (${signed(c.change)}${rel}), ${q.period.label}, from ${c.points} daily sizes (${recorded}).`,
      chart: {
        title,
        png: await deps.renderChart({
          title,
          mark: 'line',
          xTitle: 'Day',
          yTitle: 'Customers',
          rows: h.points.map((p) => ({ x: day(p.day), y: p.size })),
          counts: true,
        }),
      },
    };
  },
});
