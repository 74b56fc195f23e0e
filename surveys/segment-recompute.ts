// Recomputing saved segments' memberships: rule segments are re-evaluated over every customer's
// segment record (profile plus age band, purchases, consent); k-means segments keep the members
// they were clustered with (re-run the clustering to refresh them). Storage is a port.
import { evaluateRuleSegment, ZRuleSegment, type RuleSegment } from './segments.js';

/** What a rule is evaluated against, per customer: the profile fields plus customer facts. */
export interface SegmentRecord {
  traits: Record<string, number>;
  percentiles: Record<string, number>;
  npsClass: 'promoter' | 'passive' | 'detractor' | null;
  sentiment: number | null;
  preferences: Record<string, unknown>;
  ageBand: string | null;
  /** Product categories the customer bought (lower case). */
  bought: string[];
  marketingOptIn: boolean;
}

/** A stored segment as the recomputation sees it. */
export interface StoredSegment {
  id: string;
  name: string;
  kind: string;
  definition: unknown;
}

/** What recomputing segments reads and writes. */
export interface SegmentRepository {
  segments(ids?: readonly string[]): Promise<StoredSegment[]>;
  records(): Promise<{ id: string; record: SegmentRecord }[]>;
  replaceMembers(segmentId: string, customerIds: readonly string[]): Promise<void>;
}

/** One segment's recomputed size. */
export interface SegmentSize {
  id: string;
  name: string;
  size: number;
}

/** The rule definition of a stored segment, or null for other kinds (k-means) and invalid ones. */
export function ruleDefinition(segment: StoredSegment): RuleSegment | null {
  if (segment.kind !== 'rules') return null;
  const parsed = ZRuleSegment.safeParse(segment.definition);
  return parsed.success ? parsed.data : null;
}

/** Re-evaluates the rule segments (all, or the listed ones) and stores their members. */
export async function recomputeSegments(
  repo: SegmentRepository,
  segmentIds?: readonly string[],
): Promise<SegmentSize[]> {
  const segments = (await repo.segments(segmentIds)).flatMap((s) => {
    const rule = ruleDefinition(s);
    return rule ? [{ stored: s, rule }] : [];
  });
  if (segments.length === 0) return [];
  const records = await repo.records();
  const out: SegmentSize[] = [];
  for (const { stored, rule } of segments) {
    const members = evaluateRuleSegment(rule, records);
    await repo.replaceMembers(stored.id, members);
    out.push({ id: stored.id, name: stored.name, size: members.length });
  }
  return out;
}
