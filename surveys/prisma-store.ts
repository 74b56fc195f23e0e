import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../prisma/generated/client.js';
import { SurveyError } from './errors.js';
import type { AnswerRecord } from './flow.js';
import { ZInstrument, type Instrument } from './instrument.js';
import type { NewSession, SessionMeta, SessionPatch, SessionRecord, SurveyStore } from './store.js';

/** Encrypts free text at rest (Answer.text is personal data); the server wires the AES-GCM one. */
export interface TextCipher {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
}

const identity: TextCipher = { encrypt: (s) => s, decrypt: (s) => s };

type SessionRow = {
  id: string;
  instrumentId: string;
  customerId: string;
  status: SessionRecord['status'];
  channel: SessionRecord['channel'];
  itemOrder: string[];
  cursor: string | null;
  meta: unknown;
  startedAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
};

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
    const row = await this.prisma.surveySession.findUnique({
      where: { customerId_instrumentId: { customerId: respondentId, instrumentId } },
      include: { answers: { orderBy: { createdAt: 'asc' } } },
    });
    return row ? { session: toRecord(row), answers: row.answers.map((r) => this.toAnswer(r)) } : null;
  }

  async findSession(respondentId: string, instrumentId: string): Promise<SessionRecord | null> {
    const row = await this.prisma.surveySession.findUnique({
      where: { customerId_instrumentId: { customerId: respondentId, instrumentId } },
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
    await this.prisma.surveySession.update({ where: { id: sessionId }, data: toData(patch) });
  }

  async saveAnswer(sessionId: string, a: AnswerRecord, patch: SessionPatch): Promise<void> {
    const data = {
      value: a.value,
      choices: a.choices,
      text: a.text === null ? null : this.cipher.encrypt(a.text),
      skipped: a.skipped,
      sentiment: a.sentiment,
    };
    const keys = Object.keys(patch);
    if (keys.every((k) => k === 'cursor' || k === 'status' || k === 'completedAt')) {
      // The runner's hot path: answer upsert and cursor move in ONE statement (atomic without a
      // BEGIN/COMMIT round trip), which halves the per-answer latency against a transaction.
      const params: unknown[] = [
        randomUUID(),
        sessionId,
        a.itemId,
        data.value,
        data.choices,
        data.text,
        data.skipped,
        data.sentiment,
      ];
      const sets = ['"updatedAt" = now()'];
      if ('cursor' in patch) sets.push(`"cursor" = $${params.push(patch.cursor ?? null)}`);
      if (patch.status) sets.push(`"status" = $${params.push(patch.status)}::"SessionStatus"`);
      if ('completedAt' in patch)
        sets.push(`"completedAt" = $${params.push(patch.completedAt ?? null)}::timestamp(3)`);
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
      return;
    }
    await this.prisma.$transaction([
      this.prisma.answer.upsert({
        where: { sessionId_itemId: { sessionId, itemId: a.itemId } },
        create: { sessionId, itemId: a.itemId, ...data },
        update: data,
      }),
      this.prisma.surveySession.update({ where: { id: sessionId }, data: toData(patch) }),
    ]);
  }

  async listAnswers(sessionId: string): Promise<AnswerRecord[]> {
    const rows = await this.prisma.answer.findMany({ where: { sessionId }, orderBy: { createdAt: 'asc' } });
    return rows.map((r) => this.toAnswer(r));
  }

  private toAnswer(r: {
    itemId: string;
    value: number | null;
    choices: string[];
    text: string | null;
    skipped: boolean;
    sentiment: number | null;
    createdAt: Date;
  }): AnswerRecord {
    return {
      itemId: r.itemId,
      value: r.value,
      choices: r.choices,
      text: r.text === null ? null : this.cipher.decrypt(r.text),
      skipped: r.skipped,
      sentiment: r.sentiment,
      createdAt: r.createdAt,
    };
  }

  async deleteAnswers(sessionId: string, patch: SessionPatch): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.answer.deleteMany({ where: { sessionId } }),
      this.prisma.surveySession.update({ where: { id: sessionId }, data: toData(patch) }),
    ]);
  }

  async recordConsent(
    respondentId: string,
    purpose: string,
    granted: boolean,
    source: string,
  ): Promise<void> {
    await this.prisma.consent.create({ data: { customerId: respondentId, purpose, granted, source } });
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
    for (const s of idle) {
      const meta = toMeta(s.meta);
      // the status guard keeps a session that just received an answer active
      await this.prisma.surveySession.updateMany({
        where: { id: s.id, status: 'active', updatedAt: { lt: idleSince } },
        data: { status: 'abandoned', meta: { ...meta, abandonments: meta.abandonments + 1 } as object },
      });
    }
    return idle.length;
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
    startedAt: row.startedAt,
    updatedAt: row.updatedAt,
    completedAt: row.completedAt,
  };
}

function toData(patch: SessionPatch) {
  const { meta, ...rest } = patch;
  // JSON columns cannot hold `undefined`; drop absent keys explicitly
  return meta === undefined ? rest : { ...rest, meta: JSON.parse(JSON.stringify(meta)) as object };
}
