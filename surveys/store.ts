import { SurveyError } from './errors.js';
import type { AnswerRecord } from './flow.js';
import type { Instrument } from './instrument.js';

/** Channels a session can run on (the Channel enum of the schema). */
export type SurveyChannel = 'webchat' | 'slack' | 'api';

/** Session life cycle (the SessionStatus enum of the schema). */
export type SessionStatus = 'active' | 'completed' | 'abandoned' | 'withdrawn';

/** Bookkeeping kept with a session: consent, re-asks, channel switches, abandonment. */
export interface SessionMeta {
  /** "declined" at the consent step (may start again); "withdrawn" later (answers deleted, closed). */
  consent?: 'granted' | 'declined' | 'withdrawn';
  reasks: number;
  channelSwitches: number;
  /** Times the session went idle or the respondent stopped, then came back or not. */
  abandonments: number;
  stoppedByRespondent?: boolean;
}

/** One respondent's run through one instrument. */
export interface SessionRecord {
  id: string;
  instrumentId: string;
  respondentId: string;
  status: SessionStatus;
  channel: SurveyChannel;
  itemOrder: string[];
  /** Next item to ask ("__consent" before consent), null when complete. */
  cursor: string | null;
  meta: SessionMeta;
  /** 1 for the first run; repeatable instruments (NPS, CSAT) start round 2, 3, … after a period. */
  round: number;
  startedAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  /**
   * Key of the reply (the chat message's id) that last changed the session, written with that
   * change: a resent message with the same key is not taken as the answer to the next item.
   */
  replyKey?: string | null;
}

/** Fields of a session that change as it runs. */
export type SessionPatch = Partial<
  Pick<SessionRecord, 'status' | 'channel' | 'cursor' | 'meta' | 'completedAt' | 'replyKey'>
>;

/** What a new session needs. */
export type NewSession = Pick<
  SessionRecord,
  'instrumentId' | 'respondentId' | 'channel' | 'itemOrder' | 'cursor' | 'meta'
> & { round?: number };

/**
 * Persistence port of the survey runner. Implementations: `InMemorySurveyStore` (tests, demos) and
 * `PrismaSurveyStore` in prisma/repositories (PGlite or PostgreSQL); both pass test/surveys/store-contract.ts.
 */
export interface SurveyStore {
  getInstrument(id: string): Promise<Instrument | null>;
  /** The respondent's latest session (highest round) of the instrument. */
  findSession(respondentId: string, instrumentId: string): Promise<SessionRecord | null>;
  /** The latest session and its answers in one read (the runner's hot path). */
  loadSession(
    respondentId: string,
    instrumentId: string,
  ): Promise<{ session: SessionRecord; answers: AnswerRecord[] } | null>;
  /** Creates the session of (respondent, instrument, round); throws SURVEY_STORE_CONFLICT if it exists. */
  createSession(session: NewSession): Promise<SessionRecord>;
  updateSession(sessionId: string, patch: SessionPatch): Promise<void>;
  /** Upserts the answer to one item and patches the session in one transaction. */
  saveAnswer(sessionId: string, answer: AnswerRecord, patch: SessionPatch): Promise<void>;
  listAnswers(sessionId: string): Promise<AnswerRecord[]>;
  /** Deletes every answer and patches the session in one transaction (consent withdrawn). */
  deleteAnswers(sessionId: string, patch: SessionPatch): Promise<void>;
  /**
   * Records a consent decision ("survey:<instrumentId>" purposes). `replyKey` (the chat turn's key):
   * the same decision under the same key is recorded once (a resent message finishing its turn).
   */
  recordConsent(
    respondentId: string,
    purpose: string,
    granted: boolean,
    source: string,
    replyKey?: string,
  ): Promise<void>;
  /** Marks consent for a purpose revoked now. */
  revokeConsent(respondentId: string, purpose: string): Promise<void>;
  /** Marks active sessions not updated since `idleSince` as abandoned; returns how many. */
  markAbandoned(idleSince: Date): Promise<number>;
}

/** Store port held in memory: the reference implementation of the contract. */
export class InMemorySurveyStore implements SurveyStore {
  private readonly instruments = new Map<string, Instrument>();
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly answers = new Map<string, Map<string, AnswerRecord>>();
  readonly consents: {
    respondentId: string;
    purpose: string;
    granted: boolean;
    source: string;
    revokedAt: Date | null;
    replyKey?: string;
  }[] = [];
  private seq = 0;

  constructor(
    instruments: Instrument[] = [],
    private readonly now: () => Date = () => new Date(),
  ) {
    for (const i of instruments) this.instruments.set(i.id, i);
  }

  async getInstrument(id: string): Promise<Instrument | null> {
    return this.instruments.get(id) ?? null;
  }

  async findSession(respondentId: string, instrumentId: string): Promise<SessionRecord | null> {
    let latest: SessionRecord | null = null;
    for (const s of this.sessions.values())
      if (
        s.respondentId === respondentId &&
        s.instrumentId === instrumentId &&
        s.round > (latest?.round ?? 0)
      )
        latest = s;
    return latest ? structuredClone(latest) : null;
  }

  async loadSession(
    respondentId: string,
    instrumentId: string,
  ): Promise<{ session: SessionRecord; answers: AnswerRecord[] } | null> {
    const session = await this.findSession(respondentId, instrumentId);
    return session ? { session, answers: await this.listAnswers(session.id) } : null;
  }

  async createSession(session: NewSession): Promise<SessionRecord> {
    // checked and inserted without an await in between, like a unique index
    const round = session.round ?? 1;
    if (
      [...this.sessions.values()].some(
        (s) =>
          s.respondentId === session.respondentId &&
          s.instrumentId === session.instrumentId &&
          s.round === round,
      )
    )
      throw new SurveyError(
        'SURVEY_STORE_CONFLICT',
        `a session of "${session.instrumentId}" already exists for this respondent`,
      );
    const now = this.now();
    const rec: SessionRecord = {
      ...structuredClone(session),
      round,
      id: `s${++this.seq}`,
      status: 'active',
      startedAt: now,
      updatedAt: now,
      completedAt: null,
      replyKey: null,
    };
    this.sessions.set(rec.id, rec);
    this.answers.set(rec.id, new Map());
    return structuredClone(rec);
  }

  async updateSession(sessionId: string, patch: SessionPatch): Promise<void> {
    const s = this.sessions.get(sessionId);
    if (!s) throw new SurveyError('SURVEY_SESSION_NOT_FOUND', `no survey session ${sessionId}`);
    Object.assign(s, structuredClone(patch), { updatedAt: this.now() });
  }

  async saveAnswer(sessionId: string, answer: AnswerRecord, patch: SessionPatch): Promise<void> {
    await this.updateSession(sessionId, patch);
    this.answers
      .get(sessionId)!
      .set(answer.itemId, { ...structuredClone(answer), createdAt: answer.createdAt ?? this.now() });
  }

  async listAnswers(sessionId: string): Promise<AnswerRecord[]> {
    return [...(this.answers.get(sessionId)?.values() ?? [])].map((a) => structuredClone(a));
  }

  async deleteAnswers(sessionId: string, patch: SessionPatch): Promise<void> {
    await this.updateSession(sessionId, patch);
    this.answers.get(sessionId)!.clear();
  }

  async recordConsent(
    respondentId: string,
    purpose: string,
    granted: boolean,
    source: string,
    replyKey?: string,
  ): Promise<void> {
    const recorded = (c: (typeof this.consents)[number]) =>
      c.respondentId === respondentId && c.purpose === purpose && c.replyKey === replyKey;
    if (replyKey !== undefined && this.consents.some(recorded)) return;
    this.consents.push({ respondentId, purpose, granted, source, revokedAt: null, replyKey });
  }

  async revokeConsent(respondentId: string, purpose: string): Promise<void> {
    for (const c of this.consents)
      if (c.respondentId === respondentId && c.purpose === purpose && !c.revokedAt) c.revokedAt = this.now();
  }

  async markAbandoned(idleSince: Date): Promise<number> {
    let n = 0;
    for (const s of this.sessions.values()) {
      if (s.status !== 'active' || s.updatedAt >= idleSince) continue;
      s.status = 'abandoned';
      s.meta = { ...s.meta, abandonments: s.meta.abandonments + 1 };
      n++;
    }
    return n;
  }
}
