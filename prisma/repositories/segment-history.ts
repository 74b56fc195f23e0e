// Segment sizes over time and overlaps between segments. Every time a segment's members are
// replaced (the nightly segments.recompute, a profile recomputation, saving or clustering) the
// day's size is recorded: one row per segment and UTC day, the day's last recomputation winning,
// so history grows by segments × days however often profiles change. Overlaps are read from the
// current memberships.
import { segmentOverlaps, utcDay, type SegmentOverlap, type SegmentSizePoint } from '../../surveys/index.js';
import type { PrismaClient } from '../generated/client.js';

/** The statement recording `size` as the segment's size today (for a transaction with the members). */
export function recordSize(prisma: PrismaClient, segmentId: string, size: number, at = new Date()) {
  const day = utcDay(at);
  return prisma.segmentSize.upsert({
    where: { segmentId_day: { segmentId, day } },
    create: { segmentId, day, size },
    update: { size },
  });
}

/** A segment's recorded daily sizes in [from, to), oldest first, and the first day ever recorded. */
export async function sizeHistory(
  prisma: PrismaClient,
  segmentId: string,
  from: Date,
  to: Date,
): Promise<{ points: SegmentSizePoint[]; recordedSince: Date | null }> {
  const [rows, first] = await Promise.all([
    prisma.segmentSize.findMany({
      where: { segmentId, day: { gte: utcDay(from), lt: to } },
      select: { day: true, size: true },
      orderBy: { day: 'asc' },
    }),
    prisma.segmentSize.findFirst({ where: { segmentId }, select: { day: true }, orderBy: { day: 'asc' } }),
  ]);
  return { points: rows, recordedSince: first?.day ?? null };
}

/**
 * Pairwise overlaps of the named segments (exact names; all saved segments when none are given),
 * most similar first (Jaccard, then shared members).
 */
export async function overlapsOf(prisma: PrismaClient, names?: readonly string[]): Promise<SegmentOverlap[]> {
  const segments = await prisma.segment.findMany({
    where: names && names.length > 0 ? { name: { in: [...names] } } : {},
    select: { name: true, members: { select: { customerId: true } } },
    orderBy: { name: 'asc' },
  });
  const members = Object.fromEntries(segments.map((s) => [s.name, s.members.map((m) => m.customerId)]));
  return segmentOverlaps(members).sort((x, y) => y.jaccard - x.jaccard || y.shared - x.shared);
}
