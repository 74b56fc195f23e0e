// How a segment's size moved: each recomputation records the day's size (one point per segment and
// UTC day, the day's last recomputation), and a question over a period compares its first and last
// points. Pure: storage is the SegmentRepository's.

/** A segment's size on one UTC day (after that day's last recomputation). */
export interface SegmentSizePoint {
  /** Midnight UTC of the day. */
  day: Date;
  size: number;
}

/** The size at the start and end of the recorded points, and the change between them. */
export interface SegmentSizeChange {
  first: SegmentSizePoint;
  last: SegmentSizePoint;
  change: number;
  /** Change relative to the first size, in percent (null when the first size was 0). */
  percent: number | null;
  points: number;
}

/** The UTC day of `at`. */
export function utcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

/** First-to-last change of size over points in any order; null without points. */
export function sizeChange(points: readonly SegmentSizePoint[]): SegmentSizeChange | null {
  if (points.length === 0) return null;
  const sorted = [...points].sort((a, b) => a.day.getTime() - b.day.getTime());
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  const change = last.size - first.size;
  return {
    first,
    last,
    change,
    percent: first.size === 0 ? null : (100 * change) / first.size,
    points: sorted.length,
  };
}

/** A segment's recorded sizes over a period, its size now and the first day ever recorded. */
export interface SegmentSizeHistory {
  name: string;
  current: number;
  points: SegmentSizePoint[];
  recordedSince: Date | null;
}
