// Demo respondents with their survey profiles computed and the demo segments filled, the ground the
// marketer tests (Slack, admin API, CLI) stand on; and the independent counts they check against.
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import { maskPII } from '../../nlu/index.js';
import type { PrismaClient } from '../../prisma/index.js';
import {
  PrismaProfileRepository,
  PrismaSegmentRepository,
  seedDemoCatalog,
  seedDemoRespondents,
  seedDemoSurveys,
  type DemoSealing,
} from '../../prisma/repositories/index.js';
import { recomputeProfiles } from '../../surveys/index.js';

/** Sealing that stores personal fields as written (for tests that never read them sealed). */
export const PLAIN_SEALING: DemoSealing = { encrypt: (s) => s, emailHash: (e) => `hash:${e}` };

/** How the demo ground is sealed: personal fields, and Answer.text for the profile recomputation. */
export interface DemoProfileOptions {
  count: number;
  sealing?: DemoSealing;
  /** Opens Answer.text (identity when the sealing stores plain text). */
  answers?: { encrypt(plain: string): string; decrypt(stored: string): string };
  /** Also seeds the demo catalog (products, orders). */
  catalog?: boolean;
}

/** Seeds the demo surveys and `count` respondents, recomputes their profiles and the rule segments. */
export async function seedDemoProfiles(prisma: PrismaClient, opts: DemoProfileOptions): Promise<void> {
  if (opts.catalog) await seedDemoCatalog(prisma);
  await seedDemoSurveys(prisma);
  await seedDemoRespondents(prisma, opts.sealing ?? PLAIN_SEALING, { count: opts.count });
  await recomputeProfiles(new PrismaProfileRepository(prisma, opts.answers), undefined);
  await new PrismaSegmentRepository(prisma).recompute();
}

/** Customers whose stored profile scores `trait` above `limit`, sorted (counted without the code under test). */
export async function customersWithTraitAbove(
  prisma: PrismaClient,
  trait: string,
  limit: number,
): Promise<string[]> {
  const profiles = await prisma.profile.findMany({ select: { customerId: true, traits: true } });
  return profiles
    .filter((p) => ((p.traits as Record<string, number>)[trait] ?? -Infinity) > limit)
    .map((p) => p.customerId)
    .sort();
}

/** The free-text items of the demo surveys (nps: why, improve; csat: comment). */
export const DEMO_COMMENT_ITEMS = ['why', 'improve', 'comment'];

/** Each customer's stored free-text answers (sealed as stored), oldest first, read straight from the rows. */
export async function storedComments(
  prisma: PrismaClient,
  customerIds: readonly string[],
): Promise<Map<string, string[]>> {
  const rows = await prisma.answer.findMany({
    where: {
      itemId: { in: DEMO_COMMENT_ITEMS },
      text: { not: null },
      skipped: false,
      session: { customerId: { in: [...customerIds] } },
    },
    select: { text: true, session: { select: { customerId: true } } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.session.customerId, [...(out.get(r.session.customerId) ?? []), r.text!]);
  return out;
}

/**
 * Rewrites the newest comment of a consenting member of `segment` to `sealed` (a comment with personal
 * details, sealed as the test stores Answer.text); returns that member's id.
 */
export async function plantComment(prisma: PrismaClient, segment: string, sealed: string): Promise<string> {
  const answer = await prisma.answer.findFirstOrThrow({
    where: {
      itemId: { in: DEMO_COMMENT_ITEMS },
      text: { not: null },
      skipped: false,
      session: {
        customer: { marketingOptIn: true, memberships: { some: { segment: { name: segment } } } },
      },
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    select: { id: true, session: { select: { customerId: true } } },
  });
  await prisma.answer.update({ where: { id: answer.id }, data: { text: sealed } });
  return answer.session.customerId;
}

/** The columns of a segment's CSV export (prisma/repositories/segment-export.ts). */
const SEGMENT_CSV_COLUMNS = ['customer_id', 'name', 'email', 'age_band', 'nps_class', 'comments'];

/**
 * Parses a segment's CSV export (Slack upload, admin API or CLI) and checks what all three owe: the
 * columns, exactly the consenting members, and each comments cell being the member's stored answers
 * (`stored`, opened with `open`) masked, oldest first. Returns the rows for the caller's own checks.
 */
export function expectSegmentCsv(
  csv: string,
  consented: readonly string[],
  stored: Map<string, string[]>,
  open: (stored: string) => string = (t) => t,
): Record<string, string>[] {
  const rows = parse(csv, { columns: true }) as Record<string, string>[];
  expect(Object.keys(rows[0]!)).toEqual(SEGMENT_CSV_COLUMNS);
  expect(rows.map((r) => r.customer_id).sort()).toEqual([...consented].sort());
  for (const r of rows)
    expect(r.comments).toBe((stored.get(r.customer_id!) ?? []).map((t) => maskPII(open(t))).join(' | '));
  return rows;
}
