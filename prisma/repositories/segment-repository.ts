// Segments in the database: the surveys capability's SegmentRepository port (records to evaluate
// rules over, members to replace) and the saved-segment operations the admin API, the CLI and Slack
// share (create with its members, rename/redefine, delete, list with sizes).
import {
  evaluateRuleSegment,
  recomputeSegments,
  type RuleSegment,
  type SegmentOverlap,
  type SegmentRecord,
  type SegmentRepository,
  type SegmentSizeHistory,
  type SegmentSize,
  type StoredSegment,
} from '../../surveys/index.js';
import type { PrismaClient } from '../generated/client.js';
import { overlapsOf, recordSize, sizeHistory } from './segment-history.js';

/** A saved segment with its size, as lists and the API show it. */
export interface SavedSegment {
  id: string;
  name: string;
  description: string;
  kind: string;
  definition: unknown;
  size: number;
  demo: boolean;
  updatedAt: Date;
}

const NPS_CLASSES = new Set(['promoter', 'passive', 'detractor']);

/** Segment records and memberships over Prisma. */
export class PrismaSegmentRepository implements SegmentRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async segments(ids?: readonly string[]): Promise<StoredSegment[]> {
    return this.prisma.segment.findMany({
      where: ids && ids.length > 0 ? { id: { in: [...ids] } } : {},
      select: { id: true, name: true, kind: true, definition: true },
      orderBy: { name: 'asc' },
    });
  }

  async records(): Promise<{ id: string; record: SegmentRecord }[]> {
    const customers = await this.prisma.customer.findMany({
      select: {
        id: true,
        ageBand: true,
        marketingOptIn: true,
        profile: {
          select: { traits: true, percentiles: true, npsClass: true, sentiment: true, preferences: true },
        },
        orders: { select: { items: { select: { product: { select: { category: true } } } } } },
      },
      orderBy: { id: 'asc' },
    });
    return customers.map((c) => ({ id: c.id, record: toRecord(c) }));
  }

  /** Replaces the members and records today's size with them (the history trends are read from). */
  async replaceMembers(segmentId: string, customerIds: readonly string[]): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.segmentMember.deleteMany({ where: { segmentId } }),
      this.prisma.segmentMember.createMany({
        data: customerIds.map((customerId) => ({ segmentId, customerId })),
      }),
      recordSize(this.prisma, segmentId, new Set(customerIds).size),
    ]);
  }

  /**
   * Pairwise overlaps of the named segments (any case; one: its overlaps with the others; none:
   * every pair), most similar first; names that match no segment are returned in `missing`.
   */
  async overlaps(names: readonly string[] = []): Promise<{ overlaps: SegmentOverlap[]; missing: string[] }> {
    const all = await this.list();
    const found = names.map((n) => all.find((s) => s.name.toLowerCase() === n.trim().toLowerCase()));
    const missing = names.filter((_, i) => !found[i]);
    if (missing.length > 0) return { overlaps: [], missing };
    const exact = [...new Set(found.map((s) => s!.name))];
    const pairs = await overlapsOf(this.prisma, exact.length >= 2 ? exact : undefined);
    return {
      overlaps: exact.length === 1 ? pairs.filter((o) => o.a === exact[0] || o.b === exact[0]) : pairs,
      missing: [],
    };
  }

  /** A segment's recorded daily sizes in [from, to) and its size now; null when there is no such segment. */
  async sizes(name: string, from: Date, to: Date): Promise<SegmentSizeHistory | null> {
    const found = await this.findByName(name);
    if (!found) return null;
    return { name: found.name, current: found.size, ...(await sizeHistory(this.prisma, found.id, from, to)) };
  }

  /** How many customers a rule segment would hold now (for the confirmation before saving). */
  async preview(rule: RuleSegment): Promise<number> {
    return evaluateRuleSegment(rule, await this.records()).length;
  }

  /** Saves a new rule segment (or redefines the one of that name) with its members. */
  async saveRule(rule: RuleSegment, opts: { demo?: boolean } = {}): Promise<SavedSegment> {
    const definition = JSON.parse(JSON.stringify(rule)) as object;
    const row = await this.prisma.segment.upsert({
      where: { name: rule.name },
      create: {
        name: rule.name,
        description: rule.description,
        kind: 'rules',
        definition,
        demo: !!opts.demo,
      },
      update: { description: rule.description, kind: 'rules', definition },
    });
    await recomputeSegments(this, [row.id]);
    return (await this.get(row.id))!;
  }

  async get(id: string): Promise<SavedSegment | null> {
    const row = await this.prisma.segment.findUnique({
      where: { id },
      include: { _count: { select: { members: true } } },
    });
    return row ? toSaved(row) : null;
  }

  /** A segment by name, case-insensitive, exact first, then the one whose name contains the words. */
  async findByName(name: string): Promise<SavedSegment | null> {
    const needle = name.trim().toLowerCase();
    const all = await this.list();
    return (
      all.find((s) => s.name.toLowerCase() === needle) ??
      all.find((s) => s.name.toLowerCase().includes(needle) || needle.includes(s.name.toLowerCase())) ??
      null
    );
  }

  async list(): Promise<SavedSegment[]> {
    const rows = await this.prisma.segment.findMany({
      orderBy: { name: 'asc' },
      include: { _count: { select: { members: true } } },
    });
    return rows.map(toSaved);
  }

  /** Renames or re-describes a segment; returns null when it does not exist. */
  async update(id: string, patch: { name?: string; description?: string }): Promise<SavedSegment | null> {
    const found = await this.prisma.segment.findUnique({ where: { id } });
    if (!found) return null;
    const definition =
      found.kind === 'rules' && patch.name
        ? {
            ...(found.definition as object),
            name: patch.name,
            ...(patch.description !== undefined ? { description: patch.description } : {}),
          }
        : (found.definition as object);
    await this.prisma.segment.update({ where: { id }, data: { ...patch, definition } });
    return this.get(id);
  }

  async remove(id: string): Promise<boolean> {
    return (await this.prisma.segment.deleteMany({ where: { id } })).count > 0;
  }

  /** Recomputes every rule segment (the nightly job) or the listed ones. */
  recompute(ids?: readonly string[]): Promise<SegmentSize[]> {
    return recomputeSegments(this, ids);
  }
}

type CustomerRow = {
  ageBand: string | null;
  marketingOptIn: boolean;
  profile: {
    traits: unknown;
    percentiles: unknown;
    npsClass: string | null;
    sentiment: number | null;
    preferences: unknown;
  } | null;
  orders: { items: { product: { category: string } }[] }[];
};

function toRecord(c: CustomerRow): SegmentRecord {
  const p = c.profile;
  return {
    traits: numbers(p?.traits),
    percentiles: numbers(p?.percentiles),
    npsClass: p?.npsClass && NPS_CLASSES.has(p.npsClass) ? (p.npsClass as SegmentRecord['npsClass']) : null,
    sentiment: p?.sentiment ?? null,
    preferences: (p?.preferences ?? {}) as Record<string, unknown>,
    ageBand: c.ageBand,
    bought: [
      ...new Set(c.orders.flatMap((o) => o.items.map((i) => i.product.category.toLowerCase()))),
    ].sort(),
    marketingOptIn: c.marketingOptIn,
  };
}

function numbers(v: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (typeof x === 'number') out[k] = x;
  return out;
}

function toSaved(r: {
  id: string;
  name: string;
  description: string;
  kind: string;
  definition: unknown;
  demo: boolean;
  updatedAt: Date;
  _count: { members: number };
}): SavedSegment {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    kind: r.kind,
    definition: r.definition,
    size: r._count.members,
    demo: r.demo,
    updatedAt: r.updatedAt,
  };
}
