// The marketer's figures over the database (the bots' MarketerInsights port): NPS/CSAT for a period
// and segment, trends by month, traits by age band or segment, survey funnels, top products,
// conversation volumes and rates, negative comments, customers, segments and consented exports.
import type { MarketerInsights, MetricFigure } from '../../bots/marketer/ports.js';
import type { MarketerVocabulary, SurveyMetric } from '../../bots/marketer/questions.js';
import type { Period } from '../../bots/ports.js';
import type { SentenceEncoder } from '../../nlu/index.js';
import {
  AGE_BANDS,
  csatShare,
  extractThemes,
  npsScore,
  traitLabelsOf,
  ZInstrument,
  type Instrument,
  type RuleSegment,
} from '../../surveys/index.js';
import type { PrismaClient } from '../generated/client.js';
import { exportSegment } from './segment-export.js';
import { PrismaSegmentRepository } from './segment-repository.js';

/** Field decryption and the e-mail lookup hash (server/security), and PII masking of free text. */
export interface InsightSealing {
  decrypt(sealed: string, context: string): string;
  emailHash(email: string): string;
  /** Masks e-mails, phone, card and IBAN numbers in free text that leaves in an export. */
  maskPII(text: string): string;
}

// Marketers' own Slack conversations are stored too ("mkt:..." external ids); figures about the
// chat are about customers' conversations only.
const CUSTOMER_CHATS = { NOT: { externalId: { startsWith: 'mkt:' } } };

const MONTH = new Intl.DateTimeFormat('en', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** Marketer insights over Prisma. */
export class PrismaMarketerInsights implements MarketerInsights {
  private readonly segments: PrismaSegmentRepository;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly sealing: InsightSealing,
    private readonly encoder?: SentenceEncoder,
  ) {
    this.segments = new PrismaSegmentRepository(prisma);
  }

  async vocabulary(): Promise<MarketerVocabulary> {
    const [segments, instruments, categories] = await Promise.all([
      this.prisma.segment.findMany({ select: { name: true }, orderBy: { name: 'asc' } }),
      this.instruments(),
      this.prisma.product.findMany({
        select: { category: true },
        distinct: ['category'],
        orderBy: { category: 'asc' },
      }),
    ]);
    return {
      segments: segments.map((s) => s.name),
      traits: traitLabelsOf(instruments),
      instruments: instruments.map((i) => ({ id: i.id, title: i.title })),
      categories: categories.map((c) => c.category),
      ageBands: [...AGE_BANDS],
    };
  }

  async metric(metric: SurveyMetric, period: Period, segment?: string): Promise<MetricFigure> {
    const values = (await this.values(metric, period, segment)).map((v) => v.value);
    if (metric === 'nps') {
      const r = npsScore(values);
      return {
        value: r.nps,
        n: r.n,
        parts: [
          { label: 'Promoters', value: String(r.promoters) },
          { label: 'Passives', value: String(r.passives) },
          { label: 'Detractors', value: String(r.detractors) },
        ],
      };
    }
    const share = csatShare(values);
    const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
    return {
      value: share.csat,
      n: share.n,
      parts: [
        { label: 'Satisfied (4–5)', value: String(share.satisfied) },
        { label: 'Mean (1–5)', value: Number.isNaN(mean) ? '–' : mean.toFixed(2) },
      ],
    };
  }

  async trend(metric: SurveyMetric, period: Period, segment?: string) {
    const values = await this.values(metric, period, segment);
    const byMonth = new Map<string, { at: number; values: number[] }>();
    for (const v of values) {
      const start = Date.UTC(v.at.getUTCFullYear(), v.at.getUTCMonth(), 1);
      const key = MONTH.format(start);
      const b = byMonth.get(key) ?? { at: start, values: [] };
      b.values.push(v.value);
      byMonth.set(key, b);
    }
    return [...byMonth.entries()]
      .sort((a, b) => a[1].at - b[1].at)
      .map(([x, b]) => ({
        x,
        y: Math.round(metric === 'nps' ? npsScore(b.values).nps : csatShare(b.values).csat),
        n: b.values.length,
      }));
  }

  async traitBy(trait: string, by: 'ageBand' | 'segment') {
    const profiles = await this.prisma.profile.findMany({
      select: {
        traits: true,
        customer: {
          select: { ageBand: true, memberships: { select: { segment: { select: { name: true } } } } },
        },
      },
    });
    const groups = new Map<string, number[]>();
    for (const p of profiles) {
      const score = (p.traits as Record<string, unknown>)[trait];
      if (typeof score !== 'number') continue;
      const keys =
        by === 'ageBand'
          ? [p.customer.ageBand ?? 'unknown']
          : p.customer.memberships.map((m) => m.segment.name);
      for (const k of keys) groups.set(k, [...(groups.get(k) ?? []), score]);
    }
    const order = by === 'ageBand' ? [...AGE_BANDS, 'unknown'] : [...groups.keys()].sort();
    return order
      .filter((k) => groups.has(k))
      .map((k) => {
        const v = groups.get(k)!;
        return { x: k, y: Math.round((v.reduce((a, b) => a + b, 0) / v.length) * 100) / 100, n: v.length };
      });
  }

  async surveyFunnel(instrumentId: string) {
    const inst = (await this.instruments()).find((i) => i.id === instrumentId);
    if (!inst) return null;
    const [statuses, answered] = await Promise.all([
      this.prisma.surveySession.groupBy({ by: ['status'], where: { instrumentId }, _count: { _all: true } }),
      this.prisma.answer.groupBy({
        by: ['itemId'],
        where: { session: { instrumentId }, skipped: false },
        _count: { _all: true },
      }),
    ]);
    const count = (s: string) => statuses.find((r) => r.status === s)?._count._all ?? 0;
    const perItem = new Map(answered.map((a) => [a.itemId, a._count._all]));
    return {
      instrumentId,
      title: inst.title,
      started: statuses.reduce((a, r) => a + r._count._all, 0),
      completed: count('completed'),
      abandoned: count('abandoned'),
      active: count('active'),
      items: inst.items.map((i) => ({ id: i.id, text: i.text, answered: perItem.get(i.id) ?? 0 })),
    };
  }

  async topProducts(period: Period, category?: string) {
    const rows = await this.prisma.orderItem.groupBy({
      by: ['productId'],
      where: {
        order: { placedAt: { gte: period.from, lt: period.to } },
        ...(category ? { product: { category } } : {}),
      },
      _sum: { quantity: true },
      orderBy: { _sum: { quantity: 'desc' } },
      take: 5,
    });
    const products = await this.prisma.product.findMany({
      where: { id: { in: rows.map((r) => r.productId) } },
      select: { id: true, name: true, sku: true },
    });
    const byId = new Map(products.map((p) => [p.id, p]));
    return rows.map((r) => ({
      name: byId.get(r.productId)?.name ?? r.productId,
      sku: byId.get(r.productId)?.sku ?? '',
      units: r._sum.quantity ?? 0,
    }));
  }

  async conversations(period: Period) {
    const where = { createdAt: { gte: period.from, lt: period.to }, ...CUSTOMER_CHATS };
    const [conversations, userMessages, customers] = await Promise.all([
      this.prisma.conversation.count({ where }),
      this.prisma.message.count({
        where: { createdAt: where.createdAt, direction: 'user', conversation: CUSTOMER_CHATS },
      }),
      this.prisma.conversation.findMany({
        where: { ...where, customerId: { not: null } },
        distinct: ['customerId'],
        select: { customerId: true },
      }),
    ]);
    return { conversations, userMessages, customers: customers.length };
  }

  async rates(period: Period) {
    const where = { createdAt: { gte: period.from, lt: period.to } };
    const [userMessages, fallbacks, conversations, handoffs] = await Promise.all([
      this.prisma.message.count({ where: { ...where, direction: 'user', conversation: CUSTOMER_CHATS } }),
      // A fallback: the message was out of scope (no intent) or below the dialog's 0.5 confidence.
      this.prisma.message.count({
        where: {
          ...where,
          direction: 'user',
          conversation: CUSTOMER_CHATS,
          OR: [{ intent: null }, { confidence: { lt: 0.5 } }],
        },
      }),
      this.prisma.conversation.count({ where: { ...where, ...CUSTOMER_CHATS } }),
      this.prisma.handoff.count({ where: { ...where, conversation: CUSTOMER_CHATS } }),
    ]);
    return { userMessages, fallbacks, conversations, handoffs };
  }

  async negativeComments(period: Period) {
    const where = { createdAt: { gte: period.from, lt: period.to } };
    const [answers, messages] = await Promise.all([
      this.prisma.answer.findMany({
        where: { ...where, text: { not: null }, OR: [{ sentiment: { lt: 0 } }, { sentiment: null }] },
        select: {
          text: true,
          itemId: true,
          session: { select: { instrument: { select: { definition: true } } } },
        },
      }),
      this.prisma.message.findMany({
        where: { ...where, direction: 'user', sentiment: { lt: -0.3 }, conversation: CUSTOMER_CHATS },
        select: { text: true },
      }),
    ]);
    const open = (s: string, context: string) => {
      try {
        return this.sealing.decrypt(s, context);
      } catch {
        return '';
      }
    };
    // Only answers to free-text items (a scale item's typed answer is not a comment).
    const freeText = answers.filter((a) => {
      const parsed = ZInstrument.safeParse(a.session.instrument.definition);
      return parsed.success && parsed.data.items.find((i) => i.id === a.itemId)?.type === 'text';
    });
    const texts = [
      ...freeText.map((a) => open(a.text!, 'Answer.text')),
      ...messages.map((m) => open(m.text, 'Message.text')),
    ].filter(Boolean);
    return { texts, answers: freeText.length, messages: messages.length };
  }

  async themes(texts: readonly string[]) {
    if (!this.encoder || texts.length === 0) return [];
    const themes = await extractThemes(texts, this.encoder, { maxThemes: 5, quotes: 2, seed: 1 });
    return themes.map((t) => ({ label: t.label, size: t.size, quotes: t.quotes }));
  }

  async customer(reference: string) {
    const ref = reference.trim();
    let c = await this.prisma.customer.findFirst({
      where: ref.includes('@')
        ? { emailHash: this.sealing.emailHash(ref) }
        : { OR: [{ externalRef: ref }, ...(isUuid(ref) ? [{ id: ref }] : [])] },
      select: { id: true },
    });
    // By name: names are encrypted, so the (few thousand) named customers are decrypted and compared.
    if (!c && !ref.includes('@')) {
      const named = await this.prisma.customer.findMany({
        where: { name: { not: null } },
        select: { id: true, name: true },
      });
      const needle = ref.toLowerCase();
      c = named.find((n) => this.open(n.name!, 'Customer.name').toLowerCase() === needle) ?? null;
    }
    if (!c) return null;
    const full = await this.prisma.customer.findUniqueOrThrow({
      where: { id: c.id },
      select: {
        id: true,
        name: true,
        email: true,
        ageBand: true,
        marketingOptIn: true,
        demo: true,
        profile: { select: { traits: true, percentiles: true, npsClass: true } },
        memberships: { select: { segment: { select: { name: true } } } },
        _count: { select: { orders: true } },
        sessions: { select: { instrumentId: true, status: true } },
      },
    });
    const labels = traitLabelsOf(await this.instruments());
    const traits = (full.profile?.traits ?? {}) as Record<string, number>;
    const pct = (full.profile?.percentiles ?? {}) as Record<string, number>;
    return {
      id: full.id,
      name: full.name ? this.open(full.name, 'Customer.name') : null,
      email: full.email ? this.open(full.email, 'Customer.email') : null,
      ageBand: full.ageBand,
      marketingOptIn: full.marketingOptIn,
      demo: full.demo,
      npsClass: full.profile?.npsClass ?? null,
      traits: Object.entries(traits).map(([t, score]) => ({
        label: labels[t] ?? t,
        score,
        percentile: pct[t] ?? null,
      })),
      segments: full.memberships.map((m) => m.segment.name),
      orders: full._count.orders,
      surveys: full.sessions,
    };
  }

  segmentPreview(rule: RuleSegment) {
    return this.segments.preview(rule);
  }

  async surveyComments(instrumentId: string, limit: number) {
    const inst = (await this.instruments()).find((i) => i.id === instrumentId);
    const items = inst?.items.filter((i) => i.type === 'text').map((i) => i.id) ?? [];
    if (items.length === 0) return { total: 0, latest: [] };
    const where = {
      itemId: { in: items },
      text: { not: null },
      skipped: false,
      session: { instrumentId },
    };
    const [total, rows] = await Promise.all([
      this.prisma.answer.count({ where }),
      this.prisma.answer.findMany({
        where,
        select: { text: true },
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        take: limit,
      }),
    ]);
    return { total, latest: rows.map((r) => this.open(r.text!, 'Answer.text')) };
  }

  async saveSegment(rule: RuleSegment) {
    const s = await this.segments.saveRule(rule);
    return { id: s.id, name: s.name, size: s.size };
  }

  segmentOverlaps(names?: readonly string[]) {
    return this.segments.overlaps(names).then((r) => r.overlaps);
  }

  segmentSizes(name: string, period: Period) {
    return this.segments.sizes(name, period.from, period.to);
  }

  async segmentExport(name: string) {
    const segment = await this.segments.findByName(name);
    if (!segment) return null;
    return exportSegment(this.prisma, segment, {
      field: (sealed, context) => this.open(sealed, context),
      comment: (stored) => this.sealing.maskPII(this.open(stored, 'Answer.text')),
    });
  }

  private open(sealed: string, context: string): string {
    try {
      return this.sealing.decrypt(sealed, context);
    } catch {
      return '[unreadable]';
    }
  }

  private async instruments(): Promise<Instrument[]> {
    const rows = await this.prisma.instrument.findMany({
      select: { definition: true },
      orderBy: { id: 'asc' },
    });
    return rows.flatMap((r) => {
      const p = ZInstrument.safeParse(r.definition);
      return p.success ? [p.data] : [];
    });
  }

  /** Values of the metric's item in the period, with their dates (a segment's members only). */
  private async values(metric: SurveyMetric, period: Period, segment?: string) {
    let customerIds: string[] | undefined;
    if (segment) {
      const s = await this.segments.findByName(segment);
      customerIds = s
        ? (
            await this.prisma.segmentMember.findMany({
              where: { segmentId: s.id },
              select: { customerId: true },
            })
          ).map((m) => m.customerId)
        : [];
    }
    const itemIds = (await this.instruments()).flatMap((i) =>
      i.items.filter((it) => it.type === metric).map((it) => it.id),
    );
    const rows = await this.prisma.answer.findMany({
      where: {
        itemId: { in: itemIds },
        skipped: false,
        value: { not: null },
        createdAt: { gte: period.from, lt: period.to },
        ...(customerIds ? { session: { customerId: { in: customerIds } } } : {}),
      },
      select: { value: true, createdAt: true },
    });
    return rows.map((r) => ({ value: r.value!, at: r.createdAt }));
  }
}

function isUuid(s: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}
