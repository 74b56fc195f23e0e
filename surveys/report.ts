import { stringify } from 'csv-stringify/sync';
import type { TopLevelSpec } from 'vega-lite';
import type { AnswerRecord } from './flow.js';
import type { Instrument } from './instrument.js';
import { itemType } from './items/index.js';
import { csatShare, instrumentReliability, npsScore, scoreTraits } from './scoring.js';

/** One session as reports see it. */
export interface ReportSession {
  sessionId: string;
  customerId: string;
  status: string;
  channel: string;
  startedAt: Date;
  completedAt: Date | null;
  answers: AnswerRecord[];
}

/** Input of every report: the instrument, its sessions, and segment names per customer. */
export interface ReportData {
  instrument: Instrument;
  sessions: ReportSession[];
  segments?: Map<string, string[]>;
}

/** CSV export: one row per session with every item (value, choices joined by "|", or text) and trait scores. */
export function responsesCsv(data: ReportData): string {
  const { instrument } = data;
  const traits = Object.keys(instrument.traits);
  const header = [
    'session_id',
    'customer_id',
    'status',
    'channel',
    'started_at',
    'completed_at',
    ...instrument.items.map((i) => i.id),
    ...traits.map((t) => `score_${t}`),
  ];
  const rows = data.sessions.map((s) => {
    const byItem = new Map(s.answers.map((a) => [a.itemId, a]));
    const scores = scoreTraits(instrument, s.answers);
    return [
      s.sessionId,
      s.customerId,
      s.status,
      s.channel,
      s.startedAt.toISOString(),
      s.completedAt?.toISOString() ?? '',
      ...instrument.items.map((i) => {
        const a = byItem.get(i.id);
        if (!a) return '';
        if (a.skipped) return 'skipped';
        if (a.value !== null) return a.value;
        if (a.choices.length) return a.choices.join('|');
        return a.text ?? '';
      }),
      ...traits.map((t) => (scores[t] ? Number(scores[t].score.toFixed(4)) : '')),
    ];
  });
  return stringify([header, ...rows]);
}

/** Headline figures: completion, trait means and reliability, NPS, CSAT. */
export function reportSummary(data: ReportData) {
  const { instrument, sessions } = data;
  const count = (status: string) => sessions.filter((s) => s.status === status).length;
  const values = (type: string) =>
    sessions.flatMap((s) =>
      s.answers
        .filter(
          (a) =>
            !a.skipped && a.value !== null && instrument.items.find((i) => i.id === a.itemId)?.type === type,
        )
        .map((a) => a.value!),
    );
  const reliability = instrumentReliability(
    instrument,
    sessions.map((s) => s.answers),
  );
  const traits: Record<string, { label: string; n: number; mean: number; alpha: number | null }> = {};
  for (const [t, def] of Object.entries(instrument.traits)) {
    const scores = sessions
      .map((s) => scoreTraits(instrument, s.answers)[t]?.score)
      .filter((x): x is number => x !== undefined);
    traits[t] = {
      label: def.label,
      n: scores.length,
      mean: scores.reduce((a, b) => a + b, 0) / (scores.length || 1),
      alpha: reliability[t]?.alpha ?? null,
    };
  }
  const nps = values('nps');
  const csat = values('csat');
  return {
    instrument: instrument.id,
    sessions: sessions.length,
    completed: count('completed'),
    abandoned: count('abandoned'),
    withdrawn: count('withdrawn'),
    active: count('active'),
    completionRate: sessions.length ? count('completed') / sessions.length : 0,
    traits,
    nps: nps.length ? npsScore(nps) : null,
    csat: csat.length ? csatShare(csat) : null,
  };
}

const base = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', width: 480, height: 260 } as const;

/** Bar chart of trait means, grouped by segment (or "all respondents" without segments). */
export function scaleMeansBySegmentSpec(data: ReportData): TopLevelSpec | null {
  const rows: { trait: string; segment: string; mean: number; n: number }[] = [];
  const groups = new Map<string, number[][]>();
  const traitIds = Object.keys(data.instrument.traits);
  if (traitIds.length === 0) return null;
  for (const s of data.sessions) {
    const scores = scoreTraits(data.instrument, s.answers);
    for (const seg of data.segments?.get(s.customerId) ?? ['all respondents']) {
      const g = groups.get(seg) ?? traitIds.map(() => []);
      traitIds.forEach((t, j) => scores[t] && g[j]!.push(scores[t].score));
      groups.set(seg, g);
    }
  }
  for (const [segment, g] of groups)
    traitIds.forEach(
      (t, j) =>
        g[j]!.length &&
        rows.push({
          trait: data.instrument.traits[t]!.label,
          segment,
          mean: g[j]!.reduce((a, b) => a + b, 0) / g[j]!.length,
          n: g[j]!.length,
        }),
    );
  if (rows.length === 0) return null;
  return {
    ...base,
    title: `${data.instrument.title}: scale means by segment`,
    data: { values: rows },
    mark: 'bar',
    encoding: {
      x: { field: 'trait', type: 'nominal', title: null, axis: { labelAngle: -20 } },
      xOffset: { field: 'segment' },
      y: { field: 'mean', type: 'quantitative', title: 'mean score' },
      color: { field: 'segment', type: 'nominal', title: 'segment' },
      tooltip: [{ field: 'segment' }, { field: 'trait' }, { field: 'mean', format: '.2f' }, { field: 'n' }],
    },
  } as TopLevelSpec;
}

/** Line chart of NPS by month of the answer. */
export function npsOverTimeSpec(data: ReportData): TopLevelSpec | null {
  const npsItems = new Set(data.instrument.items.filter((i) => i.type === 'nps').map((i) => i.id));
  const byMonth = new Map<string, number[]>();
  for (const s of data.sessions)
    for (const a of s.answers)
      if (npsItems.has(a.itemId) && a.value !== null && !a.skipped) {
        const month = (a.createdAt ?? s.startedAt).toISOString().slice(0, 7);
        byMonth.set(month, [...(byMonth.get(month) ?? []), a.value]);
      }
  if (byMonth.size === 0) return null;
  const values = [...byMonth.entries()]
    .sort()
    .map(([month, v]) => ({ month, nps: npsScore(v).nps, n: v.length }));
  return {
    ...base,
    title: `${data.instrument.title}: NPS over time`,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'month', type: 'temporal', timeUnit: 'yearmonth', title: 'month' },
      y: { field: 'nps', type: 'quantitative', title: 'NPS', scale: { domain: [-100, 100] } },
      tooltip: [{ field: 'month' }, { field: 'nps', format: '.0f' }, { field: 'n' }],
    },
  } as TopLevelSpec;
}

/** Stacked bars: how answers to each rated item are distributed over the scale points. */
export function answerDistributionSpec(data: ReportData, maxItems = 20): TopLevelSpec | null {
  const rated = data.instrument.items
    // rating items: the types with an answer scale (surveys/items/)
    .filter((i) => itemType(i).scale !== undefined)
    .slice(0, maxItems);
  const counts = new Map<string, number>();
  for (const s of data.sessions)
    for (const a of s.answers)
      if (a.value !== null && !a.skipped && rated.some((i) => i.id === a.itemId))
        counts.set(`${a.itemId}\u0000${a.value}`, (counts.get(`${a.itemId}\u0000${a.value}`) ?? 0) + 1);
  if (counts.size === 0) return null;
  // Items are labelled with their text (people read "I am the life of the party", not "mini1").
  const label = new Map(rated.map((i) => [i.id, i.text]));
  const values = [...counts.entries()].map(([k, n]) => {
    const [item, value] = k.split('\u0000');
    return { item: label.get(item!) ?? item, answer: Number(value), n };
  });
  return {
    ...base,
    height: Math.max(160, 18 * rated.length),
    title: `${data.instrument.title}: answer distributions`,
    data: { values },
    mark: 'bar',
    encoding: {
      y: {
        field: 'item',
        type: 'nominal',
        sort: rated.map((i) => i.text),
        title: null,
        axis: { labelLimit: 420 },
      },
      x: {
        aggregate: 'sum',
        field: 'n',
        type: 'quantitative',
        stack: 'normalize',
        title: 'share of answers',
        axis: { format: '%' },
      },
      color: { field: 'answer', type: 'ordinal', scale: { scheme: 'redyellowgreen' }, title: 'answer' },
      tooltip: [{ field: 'item' }, { field: 'answer' }, { field: 'n' }],
    },
  } as TopLevelSpec;
}

/** The charts that apply to an instrument, stacked vertically into one spec. */
export function instrumentReportSpec(data: ReportData): TopLevelSpec | null {
  const parts = [scaleMeansBySegmentSpec(data), npsOverTimeSpec(data), answerDistributionSpec(data)].filter(
    (s): s is TopLevelSpec => s !== null,
  );
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0]!;
  return {
    $schema: base.$schema,
    title: `${data.instrument.title} (${data.sessions.length} sessions)`,
    vconcat: parts.map(({ $schema: _s, ...rest }) => rest),
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec;
}
