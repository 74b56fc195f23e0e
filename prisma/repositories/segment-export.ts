// A segment's members as CSV, the one export Slack, the admin API and the CLI share: only members
// who agreed to marketing leave the system; their free-text survey answers ride along in a
// "comments" column, read the way the marketer and admin roles may read them (decrypted, PII
// masked). Roles that may not read comments never reach an export (the callers refuse them).
import { stringify } from 'csv-stringify/sync';
import { ZInstrument } from '../../surveys/index.js';
import type { PrismaClient } from '../generated/client.js';

/** The export's columns, in order. */
export const SEGMENT_EXPORT_COLUMNS = ['customer_id', 'name', 'email', 'age_band', 'nps_class', 'comments'];

/** Several comments of one customer in one cell, oldest first. */
export const COMMENT_SEPARATOR = ' | ';

/** How sealed fields are opened for the export. */
export interface ExportReading {
  /** A sealed name or e-mail opened under its column's context. */
  field(sealed: string, context: 'Customer.name' | 'Customer.email'): string;
  /** A stored free-text answer as comment readers see it: decrypted, PII masked. */
  comment(stored: string): string;
}

/** A segment's consented members as CSV, and how many members were left out for lack of consent. */
export interface SegmentExport {
  name: string;
  csv: string;
  columns: string[];
  rows: number;
  withoutConsent: number;
  /** Free-text answers in the comments column. */
  comments: number;
}

/** Free-text item ids per instrument ("text" items only: a typed "seven" on a scale is no comment). */
export async function textItemsByInstrument(prisma: PrismaClient): Promise<Map<string, Set<string>>> {
  const rows = await prisma.instrument.findMany({ select: { definition: true } });
  const out = new Map<string, Set<string>>();
  for (const r of rows) {
    const parsed = ZInstrument.safeParse(r.definition);
    if (!parsed.success) continue;
    const ids = parsed.data.items.filter((i) => i.type === 'text').map((i) => i.id);
    if (ids.length > 0) out.set(parsed.data.id, new Set(ids));
  }
  return out;
}

/** Builds the export of the segment `segment` (id and name). */
export async function exportSegment(
  prisma: PrismaClient,
  segment: { id: string; name: string },
  read: ExportReading,
): Promise<SegmentExport> {
  const members = await prisma.segmentMember.findMany({
    where: { segmentId: segment.id },
    select: {
      customer: {
        select: {
          id: true,
          name: true,
          email: true,
          ageBand: true,
          marketingOptIn: true,
          profile: { select: { npsClass: true } },
        },
      },
    },
    orderBy: { customerId: 'asc' },
  });
  // Only customers who agreed to marketing leave the system in an export.
  const consented = members.map((m) => m.customer).filter((c) => c.marketingOptIn);
  const comments = await commentsOf(
    prisma,
    consented.map((c) => c.id),
    read,
  );
  const rows = consented.map((c) => [
    c.id,
    c.name ? read.field(c.name, 'Customer.name') : '',
    c.email ? read.field(c.email, 'Customer.email') : '',
    c.ageBand ?? '',
    c.profile?.npsClass ?? '',
    (comments.get(c.id) ?? []).join(COMMENT_SEPARATOR),
  ]);
  return {
    name: segment.name,
    csv: stringify([SEGMENT_EXPORT_COLUMNS, ...rows]),
    columns: [...SEGMENT_EXPORT_COLUMNS],
    rows: rows.length,
    withoutConsent: members.length - consented.length,
    comments: [...comments.values()].reduce((n, list) => n + list.length, 0),
  };
}

/** Each customer's readable free-text answers, oldest first. */
async function commentsOf(
  prisma: PrismaClient,
  customerIds: string[],
  read: ExportReading,
): Promise<Map<string, string[]>> {
  const textItems = await textItemsByInstrument(prisma);
  if (customerIds.length === 0 || textItems.size === 0) return new Map();
  const answers = await prisma.answer.findMany({
    where: {
      text: { not: null },
      skipped: false,
      itemId: { in: [...new Set([...textItems.values()].flatMap((s) => [...s]))] },
      session: { customerId: { in: customerIds } },
    },
    select: { itemId: true, text: true, session: { select: { customerId: true, instrumentId: true } } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  const out = new Map<string, string[]>();
  for (const a of answers) {
    if (!textItems.get(a.session.instrumentId)?.has(a.itemId)) continue;
    const text = read.comment(a.text!).trim();
    if (!text) continue;
    out.set(a.session.customerId, [...(out.get(a.session.customerId) ?? []), text]);
  }
  return out;
}
