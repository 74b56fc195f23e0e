// The marketer benchmark's ground truth: figures computed straight from the database with SQL of
// its own (not through the code under test), so each answer is checked against the data.
import type { PrismaClient } from '../prisma/index.js';

const DAY = 86_400_000;

/** A period as the benchmark defines it (UTC days, end exclusive). */
export interface TruthPeriod {
  from: Date;
  to: Date;
}

/** The periods the cases use, relative to `now`. */
export function periods(
  now: Date,
): Record<
  'last30' | 'last7' | 'thisMonth' | 'lastMonth' | 'lastQuarter' | 'last90' | 'last182',
  TruthPeriod
> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const tomorrow = new Date(today + DAY);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  return {
    last30: { from: new Date(tomorrow.getTime() - 30 * DAY), to: tomorrow },
    last7: { from: new Date(tomorrow.getTime() - 7 * DAY), to: tomorrow },
    last90: { from: new Date(tomorrow.getTime() - 90 * DAY), to: tomorrow },
    last182: { from: new Date(tomorrow.getTime() - 182 * DAY), to: tomorrow },
    thisMonth: { from: new Date(Date.UTC(y, m, 1)), to: tomorrow },
    lastMonth: { from: new Date(Date.UTC(y, m - 1, 1)), to: new Date(Date.UTC(y, m, 1)) },
    // The calendar quarter before this one.
    lastQuarter: {
      from: new Date(Date.UTC(y, m - (m % 3) - 3, 1)),
      to: new Date(Date.UTC(y, m - (m % 3), 1)),
    },
  };
}

/** Ground-truth queries. */
export class Truth {
  constructor(private readonly prisma: PrismaClient) {}

  async segmentSize(name: string): Promise<number> {
    const rows = await this.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "SegmentMember" m JOIN "Segment" s ON s.id = m."segmentId" WHERE lower(s.name) = lower(${name})`;
    return Number(rows[0]?.n ?? 0);
  }

  async segmentNames(): Promise<string[]> {
    return (await this.prisma.$queryRaw<{ name: string }[]>`SELECT name FROM "Segment" ORDER BY name`).map(
      (r) => r.name,
    );
  }

  private async values(itemId: string, p: TruthPeriod, segment?: string): Promise<number[]> {
    const rows = segment
      ? await this.prisma.$queryRaw<{ value: number }[]>`
          SELECT a.value FROM "Answer" a JOIN "SurveySession" s ON s.id = a."sessionId"
          JOIN "SegmentMember" m ON m."customerId" = s."customerId" JOIN "Segment" g ON g.id = m."segmentId"
          WHERE a."itemId" = ${itemId} AND a.value IS NOT NULL AND NOT a.skipped
            AND a."createdAt" >= ${p.from} AND a."createdAt" < ${p.to} AND lower(g.name) = lower(${segment})`
      : await this.prisma.$queryRaw<{ value: number }[]>`
          SELECT a.value FROM "Answer" a
          WHERE a."itemId" = ${itemId} AND a.value IS NOT NULL AND NOT a.skipped
            AND a."createdAt" >= ${p.from} AND a."createdAt" < ${p.to}`;
    return rows.map((r) => Number(r.value));
  }

  /** NPS rounded, with the number of answers. */
  async nps(p: TruthPeriod, segment?: string): Promise<{ nps: number; n: number }> {
    const v = await this.values('recommend', p, segment);
    const promoters = v.filter((x) => x >= 9).length;
    const detractors = v.filter((x) => x <= 6).length;
    return { nps: v.length ? Math.round((100 * (promoters - detractors)) / v.length) : NaN, n: v.length };
  }

  /** CSAT share satisfied (4–5) with one decimal. */
  async csat(p: TruthPeriod, segment?: string): Promise<{ share: string; n: number }> {
    const v = await this.values('satisfaction', p, segment);
    return {
      share: v.length ? ((100 * v.filter((x) => x >= 4).length) / v.length).toFixed(1) : 'NaN',
      n: v.length,
    };
  }

  async sessions(instrumentId: string): Promise<{ started: number; completed: number }> {
    const rows = await this.prisma.$queryRaw<{ status: string; n: bigint }[]>`
      SELECT status::text AS status, count(*) AS n FROM "SurveySession" WHERE "instrumentId" = ${instrumentId} GROUP BY status`;
    const started = rows.reduce((a, r) => a + Number(r.n), 0);
    return { started, completed: Number(rows.find((r) => r.status === 'completed')?.n ?? 0) };
  }

  /** Customer conversations (marketer conversations, "mkt:...", left out). */
  async conversations(p: TruthPeriod): Promise<number> {
    const rows = await this.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "Conversation" WHERE "createdAt" >= ${p.from} AND "createdAt" < ${p.to} AND "externalId" NOT LIKE 'mkt:%'`;
    return Number(rows[0]?.n ?? 0);
  }

  /** Fallback share of customer messages (no intent or confidence below 0.5), one decimal. */
  async fallbackRate(p: TruthPeriod): Promise<string> {
    const rows = await this.prisma.$queryRaw<{ total: bigint; fallbacks: bigint }[]>`
      SELECT count(*) AS total, count(*) FILTER (WHERE m.intent IS NULL OR m.confidence < 0.5) AS fallbacks
      FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId"
      WHERE m.direction = 'user' AND m."createdAt" >= ${p.from} AND m."createdAt" < ${p.to} AND c."externalId" NOT LIKE 'mkt:%'`;
    const r = rows[0]!;
    return ((100 * Number(r.fallbacks)) / Number(r.total)).toFixed(1);
  }

  async handoffRate(p: TruthPeriod): Promise<string> {
    const conversations = await this.conversations(p);
    const rows = await this.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "Handoff" h JOIN "Conversation" c ON c.id = h."conversationId"
      WHERE h."createdAt" >= ${p.from} AND h."createdAt" < ${p.to} AND c."externalId" NOT LIKE 'mkt:%'`;
    return ((100 * Number(rows[0]?.n ?? 0)) / conversations).toFixed(1);
  }

  /** Name of the product with the most units ordered in the period (optionally one category). */
  async topProduct(p: TruthPeriod, category?: string): Promise<string> {
    const rows = category
      ? await this.prisma.$queryRaw<{ name: string; units: bigint }[]>`
          SELECT pr.name, sum(i.quantity) AS units FROM "OrderItem" i JOIN "Order" o ON o.id = i."orderId" JOIN "Product" pr ON pr.id = i."productId"
          WHERE o."placedAt" >= ${p.from} AND o."placedAt" < ${p.to} AND pr.category = ${category}
          GROUP BY pr.name ORDER BY units DESC, pr.name LIMIT 3`
      : await this.prisma.$queryRaw<{ name: string; units: bigint }[]>`
          SELECT pr.name, sum(i.quantity) AS units FROM "OrderItem" i JOIN "Order" o ON o.id = i."orderId" JOIN "Product" pr ON pr.id = i."productId"
          WHERE o."placedAt" >= ${p.from} AND o."placedAt" < ${p.to}
          GROUP BY pr.name ORDER BY units DESC, pr.name LIMIT 3`;
    return rows[0]?.name ?? '';
  }

  /** Units of the top product (ties in the name order may differ; the units may not). */
  async topUnits(p: TruthPeriod, category?: string): Promise<number> {
    const rows = category
      ? await this.prisma.$queryRaw<{ units: bigint }[]>`
          SELECT sum(i.quantity) AS units FROM "OrderItem" i JOIN "Order" o ON o.id = i."orderId" JOIN "Product" pr ON pr.id = i."productId"
          WHERE o."placedAt" >= ${p.from} AND o."placedAt" < ${p.to} AND pr.category = ${category}
          GROUP BY pr.id ORDER BY units DESC LIMIT 1`
      : await this.prisma.$queryRaw<{ units: bigint }[]>`
          SELECT sum(i.quantity) AS units FROM "OrderItem" i JOIN "Order" o ON o.id = i."orderId"
          WHERE o."placedAt" >= ${p.from} AND o."placedAt" < ${p.to}
          GROUP BY i."productId" ORDER BY units DESC LIMIT 1`;
    return Number(rows[0]?.units ?? 0);
  }

  /** Members of a segment who agreed to marketing (what an export may contain). */
  async consentedMembers(segment: string): Promise<number> {
    const rows = await this.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "SegmentMember" m JOIN "Segment" s ON s.id = m."segmentId" JOIN "Customer" c ON c.id = m."customerId"
      WHERE lower(s.name) = lower(${segment}) AND c."marketingOptIn"`;
    return Number(rows[0]?.n ?? 0);
  }

  /** Free-text survey answers of a segment's consenting members (the export's comments column). */
  async consentedComments(segment: string): Promise<number> {
    const rows = await this.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "Answer" a JOIN "SurveySession" ss ON ss.id = a."sessionId"
      JOIN "SegmentMember" m ON m."customerId" = ss."customerId" JOIN "Segment" s ON s.id = m."segmentId"
      JOIN "Customer" c ON c.id = m."customerId"
      WHERE lower(s.name) = lower(${segment}) AND c."marketingOptIn" AND a.text IS NOT NULL AND NOT a.skipped
        AND a."itemId" IN ('why', 'improve', 'comment')`;
    return Number(rows[0]?.n ?? 0);
  }

  /** Customers two segments share. */
  async sharedMembers(a: string, b: string): Promise<number> {
    const rows = await this.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "SegmentMember" x JOIN "Segment" sx ON sx.id = x."segmentId"
      JOIN "SegmentMember" y ON y."customerId" = x."customerId" JOIN "Segment" sy ON sy.id = y."segmentId"
      WHERE lower(sx.name) = lower(${a}) AND lower(sy.name) = lower(${b})`;
    return Number(rows[0]?.n ?? 0);
  }

  /** A segment's sizes recorded on or after `from`, oldest first. */
  async recordedSizes(segment: string, from: Date): Promise<number[]> {
    const rows = await this.prisma.$queryRaw<{ size: number }[]>`
      SELECT z.size FROM "SegmentSize" z JOIN "Segment" s ON s.id = z."segmentId"
      WHERE lower(s.name) = lower(${segment}) AND z.day >= ${from}::date ORDER BY z.day`;
    return rows.map((r) => Number(r.size));
  }

  /** Customers whose stored profile has the trait above the threshold. */
  async traitAbove(trait: string, threshold: number): Promise<number> {
    const rows = await this.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "Profile" WHERE ("traits"->>${trait})::float > ${threshold}`;
    return Number(rows[0]?.n ?? 0);
  }

  async promotersWhoBought(category: string): Promise<number> {
    const rows = await this.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(DISTINCT p."customerId") AS n FROM "Profile" p JOIN "Order" o ON o."customerId" = p."customerId"
      JOIN "OrderItem" i ON i."orderId" = o.id JOIN "Product" pr ON pr.id = i."productId"
      WHERE p."npsClass" = 'promoter' AND lower(pr.category) = lower(${category})`;
    return Number(rows[0]?.n ?? 0);
  }

  async role(teamId: string, userId: string): Promise<string | null> {
    const rows = await this.prisma.$queryRaw<{ role: string }[]>`
      SELECT role::text AS role FROM "SlackMember" WHERE "teamId" = ${teamId} AND "userId" = ${userId}`;
    return rows[0]?.role ?? null;
  }

  async storedMarketerMessages(): Promise<number> {
    const rows = await this.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId"
      WHERE c."externalId" LIKE 'mkt:%' AND m.direction = 'user'`;
    return Number(rows[0]?.n ?? 0);
  }
}
