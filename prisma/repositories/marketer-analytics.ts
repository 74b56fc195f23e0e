// MarketerAnalytics over the database, scored with the surveys capability (NPS, CSAT, trait scores,
// Cronbach's alpha) and charted with vega-lite. The Slack side sees only the port.
import type { PrismaClient } from '../generated/client.js';
import {
  csatShare,
  instrumentReliability,
  npsScore,
  scoreTraits,
  ZInstrument,
  type AnswerRecord,
  type Instrument,
} from '../../surveys/index.js';
import type { ChartRequest, MarketerAnalytics, Period, SegmentSummary } from '../../bots/ports.js';
import { renderChartPng } from '../../bots/analytics/chart.js';

/** Options of the analytics adapter. */
export interface PrismaAnalyticsOptions {
  prisma: PrismaClient;
  /** Instrument ids holding the NPS and CSAT items. */
  npsInstrument?: string;
  csatInstrument?: string;
  now?: () => Date;
}

const DAY = 24 * 3600 * 1000;

/** Marketer analytics backed by Prisma and surveys/. */
export class PrismaMarketerAnalytics implements MarketerAnalytics {
  private readonly prisma: PrismaClient;
  private readonly now: () => Date;

  constructor(private readonly opts: PrismaAnalyticsOptions) {
    this.prisma = opts.prisma;
    this.now = opts.now ?? (() => new Date());
  }

  async listSegments(): Promise<SegmentSummary[]> {
    const rows = await this.prisma.segment.findMany({
      orderBy: { name: 'asc' },
      include: { _count: { select: { members: true } } },
    });
    return rows.map((r) => toSummary(r, r._count.members));
  }

  async segment(name: string): Promise<SegmentSummary | null> {
    const needle = name.trim().toLowerCase();
    const all = await this.listSegments();
    return (
      all.find((s) => s.name.toLowerCase() === needle) ??
      all.find((s) => s.name.toLowerCase().includes(needle) || needle.includes(s.name.toLowerCase())) ??
      null
    );
  }

  async nps(period: Period) {
    return npsScore(await this.itemValues(this.opts.npsInstrument ?? 'nps', 'nps', period));
  }

  async csat(period: Period) {
    const values = await this.itemValues(this.opts.csatInstrument ?? 'csat', 'csat', period);
    const share = csatShare(values);
    return {
      satisfiedShare: share.csat,
      mean: values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0,
      n: share.n,
    };
  }

  async surveyResults(instrumentId: string) {
    const instrument = await this.instrument(instrumentId);
    if (!instrument) return null;
    const sessions = await this.prisma.surveySession.findMany({
      where: { instrumentId: instrument.id },
      include: { answers: true },
    });
    const completed = sessions.filter((s) => s.status === 'completed');
    const respondents = completed.map((s) => s.answers.map(toAnswerRecord));
    const traitScores = respondents.map((answers) => scoreTraits(instrument, answers));
    const reliability = respondents.length >= 3 ? instrumentReliability(instrument, respondents) : {};
    const traits = [...new Set(traitScores.flatMap((t) => Object.keys(t)))];
    const scales = traits.map((name) => {
      const values = traitScores.flatMap((t) => (t[name] ? [t[name].score] : []));
      const alpha = reliability[name]?.alpha;
      return {
        name,
        mean: values.reduce((a, b) => a + b, 0) / Math.max(1, values.length),
        n: values.length,
        ...(alpha !== undefined && Number.isFinite(alpha) ? { alpha } : {}),
      };
    });
    return {
      instrumentId: instrument.id,
      title: instrument.title,
      started: sessions.length,
      completed: completed.length,
      scales,
    };
  }

  async chart(request: ChartRequest): Promise<{ title: string; png: Uint8Array }> {
    if (request.kind === 'nps-over-time') {
      const rows = await this.npsByWeek(request.period);
      const title = `NPS by week, ${request.period.label}`;
      return {
        title,
        png: await renderChartPng({
          title,
          mark: 'line',
          xTitle: 'Week starting',
          yTitle: 'NPS',
          rows,
          yDomain: [-100, 100],
        }),
      };
    }
    const instrument = await this.instrument(request.instrumentId);
    if (!instrument) throw new Error(`no instrument "${request.instrumentId}"`);
    if (request.kind === 'scale-means-by-segment') {
      const title = `${instrument.title}: scale means by segment`;
      return {
        title,
        png: await renderChartPng({
          title,
          mark: 'bar',
          xTitle: 'Scale',
          yTitle: 'Mean',
          rows: await this.meansBySegment(instrument),
        }),
      };
    }
    const item =
      instrument.items.find((i) => i.id === request.itemId) ??
      instrument.items.find((i) => ['likert', 'nps', 'csat'].includes(i.type));
    const answers = item
      ? await this.prisma.answer.findMany({
          where: { itemId: item.id, session: { instrumentId: instrument.id }, skipped: false },
          select: { value: true },
        })
      : [];
    const counts = new Map<number, number>();
    for (const a of answers) if (a.value !== null) counts.set(a.value, (counts.get(a.value) ?? 0) + 1);
    const rows = [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([x, y]) => ({ x: String(x), y }));
    const title = `${instrument.title}: answers to "${item?.text ?? '?'}"`;
    return {
      title,
      png: await renderChartPng({
        title,
        mark: 'bar',
        xTitle: 'Answer',
        yTitle: 'Respondents',
        rows,
        counts: true,
      }),
    };
  }

  async keyFigures(): Promise<Array<{ label: string; value: string }>> {
    const to = this.now();
    const period = { from: new Date(to.getTime() - 30 * DAY), to, label: 'last 30 days' };
    const [customers, conversations, handoffs, completed, nps] = await Promise.all([
      this.prisma.customer.count(),
      this.prisma.conversation.count({ where: { updatedAt: { gte: period.from } } }),
      this.prisma.handoff.count({ where: { status: 'open' } }),
      this.prisma.surveySession.count({ where: { status: 'completed', completedAt: { gte: period.from } } }),
      this.nps(period),
    ]);
    return [
      { label: 'NPS (30 days)', value: nps.n > 0 ? `${Math.round(nps.nps)} (n=${nps.n})` : 'no answers' },
      { label: 'Customers', value: customers.toLocaleString('en-US') },
      { label: 'Conversations (30 days)', value: conversations.toLocaleString('en-US') },
      { label: 'Surveys completed (30 days)', value: completed.toLocaleString('en-US') },
      { label: 'Open handoffs', value: String(handoffs) },
    ];
  }

  async findCustomer(reference: string): Promise<string | null> {
    const ref = reference.replace(/^customer\s+/i, '').trim();
    const row = await this.prisma.customer.findFirst({
      where: { OR: [{ externalRef: ref }, ...(isUuid(ref) ? [{ id: ref }] : [])] },
      select: { id: true },
    });
    return row?.id ?? null;
  }

  private async instrument(id: string): Promise<Instrument | null> {
    const row = await this.prisma.instrument.findUnique({ where: { id } });
    const parsed = row ? ZInstrument.safeParse(row.definition) : null;
    return parsed?.success ? parsed.data : null;
  }

  private async itemValues(instrumentId: string, type: 'nps' | 'csat', period: Period): Promise<number[]> {
    return latestPerCustomer(await this.itemAnswers(instrumentId, type, period)).map((r) => r.value);
  }

  /** Answered (not skipped) values of the instrument's NPS or CSAT item within the period. */
  private async itemAnswers(
    instrumentId: string,
    type: 'nps' | 'csat',
    period: Period,
  ): Promise<ItemAnswer[]> {
    const item = (await this.instrument(instrumentId))?.items.find((i) => i.type === type);
    if (!item) return [];
    const rows = await this.prisma.answer.findMany({
      where: {
        itemId: item.id,
        skipped: false,
        session: { instrumentId },
        createdAt: { gte: period.from, lt: period.to },
      },
      select: { value: true, createdAt: true, session: { select: { customerId: true } } },
    });
    return rows.flatMap((r) =>
      r.value === null ? [] : [{ value: r.value, createdAt: r.createdAt, customerId: r.session.customerId }],
    );
  }

  private async npsByWeek(period: Period): Promise<Array<{ x: string; y: number }>> {
    const rows = await this.itemAnswers(this.opts.npsInstrument ?? 'nps', 'nps', period);
    const weeks = new Map<string, ItemAnswer[]>();
    for (const r of rows) {
      const d = new Date(
        Date.UTC(r.createdAt.getUTCFullYear(), r.createdAt.getUTCMonth(), r.createdAt.getUTCDate()),
      );
      const monday = new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY).toISOString().slice(0, 10);
      weeks.set(monday, [...(weeks.get(monday) ?? []), r]);
    }
    return [...weeks.entries()]
      .sort()
      .map(([x, week]) => ({ x, y: Math.round(npsScore(latestPerCustomer(week).map((r) => r.value)).nps) }));
  }

  private async meansBySegment(
    instrument: Instrument,
  ): Promise<Array<{ x: string; y: number; series: string }>> {
    const sessions = await this.prisma.surveySession.findMany({
      where: { instrumentId: instrument.id, status: 'completed' },
      include: {
        answers: true,
        customer: { select: { memberships: { select: { segment: { select: { name: true } } } } } },
      },
    });
    const sums = new Map<string, { sum: number; n: number }>();
    for (const s of sessions) {
      const scores = scoreTraits(instrument, s.answers.map(toAnswerRecord));
      const segments = s.customer.memberships.map((m) => m.segment.name);
      for (const seg of segments.length > 0 ? segments : ['(no segment)']) {
        for (const [trait, score] of Object.entries(scores)) {
          const key = `${seg}\u0000${trait}`;
          const acc = sums.get(key) ?? { sum: 0, n: 0 };
          acc.sum += score.score;
          acc.n++;
          sums.set(key, acc);
        }
      }
    }
    return [...sums.entries()].map(([key, { sum, n }]) => {
      const [series, x] = key.split('\u0000') as [string, string];
      return { x, y: sum / n, series };
    });
  }
}

function toAnswerRecord(a: {
  itemId: string;
  value: number | null;
  choices: string[];
  skipped: boolean;
  sentiment: number | null;
}): AnswerRecord {
  return {
    itemId: a.itemId,
    value: a.value,
    choices: a.choices,
    text: null,
    skipped: a.skipped,
    sentiment: a.sentiment,
  };
}

function toSummary(
  r: { id: string; name: string; description: string; kind: string; definition: unknown },
  size: number,
): SegmentSummary {
  const def = (r.definition ?? {}) as { overIndexed?: unknown };
  const over = Array.isArray(def.overIndexed)
    ? def.overIndexed.flatMap((o: { feature?: unknown; ratio?: unknown; index?: unknown }) =>
        typeof o.feature === 'string' ? [{ feature: o.feature, ratio: Number(o.ratio ?? o.index ?? 0) }] : [],
      )
    : undefined;
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    size,
    kind: r.kind,
    ...(over ? { overIndexed: over } : {}),
  };
}

function isUuid(s: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}

type ItemAnswer = { value: number; createdAt: Date; customerId: string };

/**
 * One answer per customer and period, the latest: NPS and CSAT are asked again every
 * SURVEY_REPEAT_DAYS, and a customer who answered twice in one period counts once.
 */
function latestPerCustomer(rows: readonly ItemAnswer[]): ItemAnswer[] {
  const latest = new Map<string, ItemAnswer>();
  for (const r of rows) {
    const seen = latest.get(r.customerId);
    if (!seen || r.createdAt > seen.createdAt) latest.set(r.customerId, r);
  }
  return [...latest.values()];
}
