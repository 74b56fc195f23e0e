import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../generated/client.js';
import { SurveyError } from '../../surveys/errors.js';
import type { AnswerRecord } from '../../surveys/flow.js';
import { ZInstrument, type Instrument } from '../../surveys/instrument.js';
import type {
  NewSession,
  SessionMeta,
  SessionPatch,
  SessionRecord,
  SurveyStore,
} from '../../surveys/store.js';

/** Encrypts free text at rest (Answer.text is personal data); the server wires the AES-GCM one. */
export interface TextCipher {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
}

const identity: TextCipher = { encrypt: (s) => s, decrypt: (s) => s };

/** An Answer row as stored: the text possibly encrypted, the time always set. */
export type StoredAnswer = Omit<AnswerRecord, 'createdAt'> & { createdAt: Date };

/** A stored answer as the cores see it (text decrypted); used by every Prisma adapter of surveys. */
export function decryptAnswer(r: StoredAnswer, cipher: TextCipher): AnswerRecord {
  return {
    itemId: r.itemId,
    value: r.value,
    choices: r.choices,
    text: r.text === null ? null : cipher.decrypt(r.text),
    skipped: r.skipped,
    sentiment: r.sentiment,
    createdAt: r.createdAt,
  };
}

type SessionRow = {
  id: string;
  instrumentId: string;
  customerId: string;
  status: SessionRecord['status'];
  channel: SessionRecord['channel'];
  itemOrder: string[];
  cursor: string | null;
  meta: unknown;
  round: number;
  startedAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  replyKey: string | null;
};

/** The raw row of `loadSession`: timestamps as epoch milliseconds, answers as JSON. */
type LoadedRow = Omit<SessionRow, 'startedAt' | 'updatedAt' | 'completedAt'> & {
  startedAt: number;
  updatedAt: number;
  completedAt: number | null;
  answers: LoadedAnswer[] | string;
};

// The same record as the flow's, with the time as epoch milliseconds from the JSON aggregate.
type LoadedAnswer = Omit<AnswerRecord, 'createdAt'> & { createdAt: number };

/** The survey store over Prisma (PGlite or PostgreSQL): Instrument, SurveySession, Answer, Consent. */
export class PrismaSurveyStore implements SurveyStore {
  // Instruments change rarely (an import); re-reading and re-validating one on every answer
  // would double the per-answer latency, so parsed instruments are kept for a short time.
  private readonly instruments = new Map<string, { at: number; instrument: Instrument | null }>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly cipher: TextCipher = identity,
    private readonly instrumentTtlMs = 30_000,
  ) {}

  async getInstrument(id: string): Promise<Instrument | null> {
    const cached = this.instruments.get(id);
    if (cached && Date.now() - cached.at < this.instrumentTtlMs) return cached.instrument;
    const row = await this.prisma.instrument.findUnique({ where: { id } });
    let instrument: Instrument | null = null;
    if (row && row.active) {
      const parsed = ZInstrument.safeParse(row.definition);
      if (!parsed.success)
        throw new SurveyError(
          'SURVEY_INSTRUMENT_INVALID',
          `stored instrument "${id}" no longer validates; re-import it with "mkt survey import" first`,
          { cause: parsed.error },
        );
      instrument = parsed.data;
    }
    this.instruments.set(id, { at: Date.now(), instrument });
    return instrument;
  }

  async loadSession(
    respondentId: string,
    instrumentId: string,
  ): Promise<{ session: SessionRecord; answers: AnswerRecord[] } | null> {
    // The runner's hot read: session and answers in ONE round trip (answers aggregated to JSON).
    // Prisma's findUnique + include issues two queries and costs ~3× the Node CPU of this one.
    // Timestamps travel as epoch milliseconds so no time-zone parsing is involved.
    const rows = await this.prisma.$queryRawUnsafe<LoadedRow[]>(
      `SELECT s."id", s."instrumentId", s."customerId", s."status"::text AS "status", s."channel"::text AS "channel",
         s."itemOrder", s."cursor", s."meta", s."round", s."replyKey",
         (extract(epoch FROM s."startedAt") * 1000)::float8 AS "startedAt",
         (extract(epoch FROM s."updatedAt") * 1000)::float8 AS "updatedAt",
         (extract(epoch FROM s."completedAt") * 1000)::float8 AS "completedAt",
         COALESCE((SELECT json_agg(json_build_object('itemId', a."itemId", 'value', a."value", 'choices', a."choices",
             'text', a."text", 'skipped', a."skipped", 'sentiment', a."sentiment",
             'createdAt', (extract(epoch FROM a."createdAt") * 1000)::float8) ORDER BY a."createdAt", a."itemId")
           FROM "Answer" a WHERE a."sessionId" = s."id"), '[]'::json) AS "answers"
       FROM "SurveySession" s WHERE s."customerId" = $1 AND s."instrumentId" = $2
       ORDER BY s."round" DESC LIMIT 1`,
      respondentId,
      instrumentId,
    );
    const row = rows[0];
    if (!row) return null;
    const session = toRecord({
      ...row,
      startedAt: new Date(row.startedAt),
      updatedAt: new Date(row.updatedAt),
      completedAt: row.completedAt === null ? null : new Date(row.completedAt),
    });
    const raw = (typeof row.answers === 'string' ? JSON.parse(row.answers) : row.answers) as LoadedAnswer[];
    return { session, answers: raw.map((a) => this.toAnswer({ ...a, createdAt: new Date(a.createdAt) })) };
  }

  async findSession(respondentId: string, instrumentId: string): Promise<SessionRecord | null> {
    const row = await this.prisma.surveySession.findFirst({
      where: { customerId: respondentId, instrumentId },
      orderBy: { round: 'desc' },
    });
    return row ? toRecord(row) : null;
  }

  async createSession(s: NewSession): Promise<SessionRecord> {
    try {
      const row = await this.prisma.surveySession.create({
        data: {
          instrumentId: s.instrumentId,
          customerId: s.respondentId,
          channel: s.channel,
          itemOrder: s.itemOrder,
          cursor: s.cursor,
          meta: s.meta as object,
          round: s.round ?? 1,
        },
      });
      return toRecord(row);
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002')
        throw new SurveyError(
          'SURVEY_STORE_CONFLICT',
          `a session of "${s.instrumentId}" already exists for this respondent`,
          { cause: error },
        );
      throw error;
    }
  }

  async updateSession(sessionId: string, patch: SessionPatch): Promise<void> {
    // Raw like saveAnswer: re-asks patch the session on every unreadable answer, and Prisma's
    // update() costs about twice the Node CPU of one parameterised statement.
    const params: unknown[] = [sessionId];
    const updated = await this.prisma.$executeRawUnsafe(
      `UPDATE "SurveySession" SET ${sessionSets(patch, params).join(', ')} WHERE "id" = $1`,
      ...params,
    );
    if (updated !== 1) throw new SurveyError('SURVEY_SESSION_NOT_FOUND', `no survey session ${sessionId}`);
  }

  async saveAnswer(sessionId: string, a: AnswerRecord, patch: SessionPatch): Promise<void> {
    // The runner's hot write: answer upsert and session patch in ONE statement (atomic without a
    // BEGIN/COMMIT round trip); the answer is durable before the runner replies.
    const params: unknown[] = [
      randomUUID(),
      sessionId,
      a.itemId,
      a.value,
      a.choices,
      a.text === null ? null : this.cipher.encrypt(a.text),
      a.skipped,
      a.sentiment,
    ];
    const sets = sessionSets(patch, params);
    const updated = await this.prisma.$executeRawUnsafe(
      `WITH saved AS (
         INSERT INTO "Answer" ("id", "sessionId", "itemId", "value", "choices", "text", "skipped", "sentiment")
         VALUES ($1, $2, $3, $4::double precision, $5::text[], $6, $7, $8::double precision)
         ON CONFLICT ("sessionId", "itemId") DO UPDATE SET "value" = EXCLUDED."value", "choices" = EXCLUDED."choices",
           "text" = EXCLUDED."text", "skipped" = EXCLUDED."skipped", "sentiment" = EXCLUDED."sentiment"
         RETURNING 1
       )
       UPDATE "SurveySession" SET ${sets.join(', ')} WHERE "id" = $2 AND EXISTS (SELECT 1 FROM saved)`,
      ...params,
    );
    if (updated !== 1) throw new SurveyError('SURVEY_SESSION_NOT_FOUND', `no survey session ${sessionId}`);
  }

  async listAnswers(sessionId: string): Promise<AnswerRecord[]> {
    const rows = await this.prisma.answer.findMany({ where: { sessionId }, orderBy: { createdAt: 'asc' } });
    return rows.map((r) => this.toAnswer(r));
  }

  private toAnswer(r: StoredAnswer): AnswerRecord {
    return decryptAnswer(r, this.cipher);
  }

  async deleteAnswers(sessionId: string, patch: SessionPatch): Promise<void> {
    const params: unknown[] = [sessionId];
    const sets = sessionSets(patch, params);
    // one statement, so the answers are never gone while the session still says otherwise
    const updated = await this.prisma.$executeRawUnsafe(
      `WITH gone AS (DELETE FROM "Answer" WHERE "sessionId" = $1)
       UPDATE "SurveySession" SET ${sets.join(', ')} WHERE "id" = $1`,
      ...params,
    );
    if (updated !== 1) throw new SurveyError('SURVEY_SESSION_NOT_FOUND', `no survey session ${sessionId}`);
  }

  async recordConsent(
    respondentId: string,
    purpose: string,
    granted: boolean,
    source: string,
    replyKey?: string,
  ): Promise<void> {
    // ON CONFLICT DO NOTHING on (customer, purpose, turnKey): a resent turn records it once.
    await this.prisma.consent.createMany({
      data: [{ customerId: respondentId, purpose, granted, source, turnKey: replyKey ?? null }],
      skipDuplicates: true,
    });
  }

  async revokeConsent(respondentId: string, purpose: string): Promise<void> {
    await this.prisma.consent.updateMany({
      where: { customerId: respondentId, purpose, revokedAt: null },
      data: { revokedAt: new Date() },
    });
  }

  async markAbandoned(idleSince: Date): Promise<number> {
    const idle = await this.prisma.surveySession.findMany({
      where: { status: 'active', updatedAt: { lt: idleSince } },
      select: { id: true, meta: true },
    });
    let marked = 0;
    for (const s of idle) {
      const meta = toMeta(s.meta);
      // the status guard keeps a session that just received an answer active (and uncounted)
      const { count } = await this.prisma.surveySession.updateMany({
        where: { id: s.id, status: 'active', updatedAt: { lt: idleSince } },
        data: { status: 'abandoned', meta: { ...meta, abandonments: meta.abandonments + 1 } as object },
      });
      marked += count;
    }
    return marked;
  }
}

function toMeta(raw: unknown): SessionMeta {
  const m = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<SessionMeta>;
  return { reasks: 0, channelSwitches: 0, abandonments: 0, ...m };
}

function toRecord(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    instrumentId: row.instrumentId,
    respondentId: row.customerId,
    status: row.status,
    channel: row.channel,
    itemOrder: row.itemOrder,
    cursor: row.cursor,
    meta: toMeta(row.meta),
    round: row.round,
    startedAt: row.startedAt,
    updatedAt: row.updatedAt,
    completedAt: row.completedAt,
    replyKey: row.replyKey,
  };
}

/** SET clauses of a session patch, appending their values to `params` ($n placeholders). */
function sessionSets(patch: SessionPatch, params: unknown[]): string[] {
  const sets = ['"updatedAt" = now()'];
  const add = (column: string, value: unknown, cast = '') =>
    sets.push(`"${column}" = $${params.push(value)}${cast}`);
  if ('cursor' in patch) add('cursor', patch.cursor ?? null);
  if (patch.status) add('status', patch.status, '::"SessionStatus"');
  if (patch.channel) add('channel', patch.channel, '::"Channel"');
  if ('completedAt' in patch) add('completedAt', patch.completedAt ?? null, '::timestamp(3)');
  // JSON columns cannot hold `undefined`: stringify drops absent keys
  if (patch.meta !== undefined) add('meta', JSON.stringify(patch.meta), '::jsonb');
  if ('replyKey' in patch) add('replyKey', patch.replyKey ?? null);
  return sets;
}
