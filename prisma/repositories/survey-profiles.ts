import { recordSize } from './segment-history.js';
import type { PrismaClient } from '../generated/client.js';
import type { SentenceEncoder } from '../../nlu/index.js';
import { SurveyError } from '../../surveys/errors.js';
import { ZInstrument, type Instrument } from '../../surveys/instrument.js';
import { decryptAnswer, type TextCipher } from './survey-store.js';
import type { ReportData } from '../../surveys/report.js';
import { buildProfile, profileVector, type Profile, type RespondentData } from '../../surveys/profiles.js';
import { evaluateRuleSegment, type KMeansSegmentation, type RuleSegment } from '../../surveys/segments.js';

// Prisma adapters for profiles, segments and reports: reading sessions and answers, writing
// Profile, Segment and SegmentMember rows. The logic they call is pure (profiles.ts, segments.ts).

const plain: TextCipher = { encrypt: (s) => s, decrypt: (s) => s };

function parseInstrument(id: string, definition: unknown): Instrument {
  const parsed = ZInstrument.safeParse(definition);
  if (!parsed.success)
    throw new SurveyError('SURVEY_INSTRUMENT_INVALID', `stored instrument "${id}" no longer validates`, {
      cause: parsed.error,
    });
  return parsed.data;
}

/** Every session (with answers) of one customer, for building the profile. */
export async function loadRespondentData(
  prisma: PrismaClient,
  customerId: string,
  cipher: TextCipher = plain,
): Promise<RespondentData> {
  const sessions = await prisma.surveySession.findMany({
    where: { customerId },
    include: { answers: true, instrument: true },
  });
  return {
    customerId,
    sessions: sessions.map((s) => ({
      instrument: parseInstrument(s.instrumentId, s.instrument.definition),
      answers: s.answers.map((a) => decryptAnswer(a, cipher)),
      status: s.status,
      completedAt: s.completedAt,
    })),
  };
}

/** Rebuilds and stores a customer's profile (and its vector when an encoder is given). */
export async function refreshProfile(
  prisma: PrismaClient,
  customerId: string,
  deps: { encoder?: SentenceEncoder; cipher?: TextCipher } = {},
): Promise<Profile> {
  const profile = buildProfile(await loadRespondentData(prisma, customerId, deps.cipher));
  const vector = deps.encoder ? await profileVector(profile, deps.encoder) : null;
  const data = {
    traits: profile.traits,
    npsClass: profile.npsClass,
    sentiment: profile.sentiment,
    preferences: profile.preferences,
    vector: vector ? [...vector] : [],
  };
  await prisma.profile.upsert({ where: { customerId }, create: { customerId, ...data }, update: data });
  return profile;
}

/** All stored profiles (sentiment history is not stored; it is rebuilt from answers on refresh). */
export async function loadProfiles(prisma: PrismaClient): Promise<Profile[]> {
  const rows = await prisma.profile.findMany({ orderBy: { customerId: 'asc' } });
  return rows.map((r) => ({
    customerId: r.customerId,
    traits: (r.traits ?? {}) as Record<string, number>,
    nps: null,
    npsClass: (r.npsClass as Profile['npsClass']) ?? null,
    sentiment: r.sentiment,
    sentimentHistory: [],
    preferences: (r.preferences ?? {}) as Profile['preferences'],
  }));
}

/** Saves a rule-based segment and its current members; returns the member ids. */
export async function saveRuleSegment(prisma: PrismaClient, segment: RuleSegment): Promise<string[]> {
  const profiles = await loadProfiles(prisma);
  const members = evaluateRuleSegment(
    segment,
    profiles.map((p) => ({ id: p.customerId, record: p })),
  );
  await replaceSegment(prisma, segment.name, segment.description, 'rules', segment, members);
  return members;
}

/**
 * Saves each k-means segment as "<prefix> <n>" (or under the n-th of the given names) with its
 * members (ids in the order of the rows clustered).
 */
export async function saveKMeansSegments(
  prisma: PrismaClient,
  prefix: string | readonly string[],
  seg: KMeansSegmentation,
  customerIds: readonly string[],
): Promise<void> {
  for (const g of seg.segments) {
    const name = typeof prefix === 'string' ? `${prefix} ${g.segment + 1}` : prefix[g.segment]!;
    const members = customerIds.filter((_, i) => seg.labels[i] === g.segment);
    const description = `k-means (k=${seg.k}, silhouette ${seg.silhouette.toFixed(2)}); over-indexes on ${g.topFeatures.map((t) => t.feature).join(', ') || 'nothing'}`;
    const definition = {
      k: seg.k,
      segment: g.segment,
      centre: g.centre,
      features: seg.features,
      topFeatures: g.topFeatures,
    };
    await replaceSegment(prisma, name, description, 'kmeans', definition, members);
  }
}

async function replaceSegment(
  prisma: PrismaClient,
  name: string,
  description: string,
  kind: string,
  definition: object,
  members: string[],
): Promise<void> {
  const def = JSON.parse(JSON.stringify(definition)) as object;
  const row = await prisma.segment.upsert({
    where: { name },
    create: { name, description, kind, definition: def },
    update: { description, kind, definition: def },
  });
  await prisma.$transaction([
    prisma.segmentMember.deleteMany({ where: { segmentId: row.id } }),
    prisma.segmentMember.createMany({
      data: members.map((customerId) => ({ segmentId: row.id, customerId })),
    }),
    recordSize(prisma, row.id, new Set(members).size),
  ]);
}

/** Everything a report on one instrument needs: its definition and every session with answers. */
export interface InstrumentResponses extends ReportData {
  /** Segment names per customer (for "scale means by segment"). */
  segments: Map<string, string[]>;
}

/** Loads an instrument's sessions, answers and the segment memberships of its respondents. */
export async function loadInstrumentResponses(
  prisma: PrismaClient,
  instrumentId: string,
  cipher: TextCipher = plain,
): Promise<InstrumentResponses> {
  const inst = await prisma.instrument.findUnique({ where: { id: instrumentId } });
  if (!inst) {
    const ids = (await prisma.instrument.findMany({ select: { id: true } })).map((i) => i.id);
    throw new SurveyError(
      'SURVEY_INSTRUMENT_NOT_FOUND',
      `no instrument "${instrumentId}" in the database (available: ${ids.join(', ') || 'none; run the seed'})`,
    );
  }
  const sessions = await prisma.surveySession.findMany({
    where: { instrumentId },
    include: { answers: true },
    orderBy: { startedAt: 'asc' },
  });
  const memberships = await prisma.segmentMember.findMany({
    where: { customerId: { in: sessions.map((s) => s.customerId) } },
    include: { segment: true },
  });
  const segments = new Map<string, string[]>();
  for (const m of memberships)
    segments.set(m.customerId, [...(segments.get(m.customerId) ?? []), m.segment.name]);
  return {
    instrument: parseInstrument(inst.id, inst.definition),
    sessions: sessions.map((s) => ({
      sessionId: s.id,
      customerId: s.customerId,
      status: s.status,
      channel: s.channel,
      startedAt: s.startedAt,
      completedAt: s.completedAt,
      answers: s.answers.map((a) => decryptAnswer(a, cipher)),
    })),
    segments,
  };
}
