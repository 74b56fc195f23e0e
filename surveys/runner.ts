import { shuffleInPlace } from '../random/index.js';
import { AlreadyCompletedError, SurveyError, WithdrawnError } from './errors.js';
import { locate, optionsText, quickRepliesFor, type AnswerRecord, type QuickReply } from './flow.js';
import type { Instrument, Item } from './instrument.js';
import { readItemAnswer } from './item-answer.js';
import { SCALE_PRESETS, normaliseWords, parseScaleAnswer } from './answer-parser.js';
import type { SessionMeta, SessionRecord, SurveyChannel, SurveyStore } from './store.js';

/** Cursor value while the consent question is pending. */
export const CONSENT_STEP = '__consent';

/** What to ask next, ready for any channel. */
export interface Prompt {
  itemId: string;
  kind: Item['type'] | 'consent';
  text: string;
  required: boolean;
  /** Buttons for channels that have them (Slack, web chat suggested actions). */
  quickReplies: QuickReply[];
  /** The same options as text, for channels without buttons and for re-asks. */
  optionsText: string;
  progress: { current: number; total: number; text: string } | null;
}

/** The runner's reply to one step: messages to send, then the prompt (none when finished). */
export interface Turn {
  sessionId: string;
  instrumentId: string;
  status: SessionRecord['status'];
  messages: string[];
  prompt: Prompt | null;
  /** True when the last answer was not accepted and the same item is asked again. */
  reasked: boolean;
}

/** Dependencies of the runner; `sentiment` (e.g. from nlu/) scores free-text answers in -1..1. */
export interface SurveyRunnerDeps {
  store: SurveyStore;
  sentiment?: (text: string) => number | Promise<number>;
  /** Random source for randomised item order (inject a seeded one in tests). */
  random?: () => number;
  /**
   * Told after a session is completed or withdrawn (answers deleted), e.g. to queue the
   * respondent's profile recomputation. Awaited, so a failure reaches the caller's error handling.
   */
  onFinished?: (event: SessionFinished) => void | Promise<void>;
  /**
   * Days after which a finished NPS or CSAT survey may be answered again (a new round); absent:
   * never. Trait questionnaires are answered once: personality does not change by the quarter.
   */
  repeatAfterDays?: number;
  now?: () => Date;
}

/** A session that changed what the respondent's profile is built from. */
export interface SessionFinished {
  respondentId: string;
  instrumentId: string;
  status: 'completed' | 'withdrawn';
}

const CONSENT_YES = new Set([
  'ok',
  'okay',
  'fine',
  'sure',
  'alright',
  'go ahead',
  'lets go',
  'i consent',
  'consent',
  'accept',
  'i accept',
  'start',
  'lets start',
  'yes please',
]);
const STOP_WORDS = new Set(['stop', 'quit', 'cancel', 'later', 'pause', 'not now', 'stop survey', 'exit']);
const WITHDRAW_WORDS = new Set([
  'withdraw',
  'withdraw consent',
  'delete my answers',
  'delete my data',
  'forget me',
  'i withdraw',
]);

/**
 * Runs conversational surveys: one session per (respondent, instrument), saved after every
 * answer; every call re-reads the session, so any process or channel can continue it.
 */
export class SurveyRunner {
  constructor(private readonly deps: SurveyRunnerDeps) {}

  /** Starts a session or resumes the existing one; refuses finished or withdrawn ones. */
  async start(respondentId: string, instrumentId: string, channel: SurveyChannel): Promise<Turn> {
    const instrument = await this.instrument(instrumentId);
    const existing = await this.deps.store.findSession(respondentId, instrumentId);
    const round = existing && this.dueAgain(instrument, existing) ? existing.round + 1 : undefined;
    if (!existing || round !== undefined) {
      const order = instrument.randomize
        ? shuffleInPlace(
            instrument.items.map((i) => i.id),
            this.deps.random ?? Math.random,
          )
        : instrument.items.map((i) => i.id);
      const meta: SessionMeta = { reasks: 0, channelSwitches: 0, abandonments: 0 };
      const cursor = instrument.consent ? CONSENT_STEP : (order[0] ?? null);
      let session: SessionRecord;
      try {
        session = await this.deps.store.createSession({
          instrumentId,
          respondentId,
          channel,
          itemOrder: order,
          cursor,
          meta,
          ...(round !== undefined ? { round } : {}),
        });
      } catch (error) {
        // two channels started at the same moment: the other one won, continue its session
        if (error instanceof SurveyError && error.code === 'SURVEY_STORE_CONFLICT')
          return this.start(respondentId, instrumentId, channel);
        throw error;
      }
      const intro = [instrument.intro].filter((m): m is string => Boolean(m));
      return this.turn(instrument, session, new Map(), intro);
    }
    this.refuseClosed(existing, instrument);
    const messages: string[] = [];
    const patch: Partial<SessionRecord> = {};
    if (existing.meta.consent === 'declined') {
      // declining consent recorded nothing; asking again is a fresh start
      Object.assign(patch, {
        status: 'active',
        cursor: CONSENT_STEP,
        meta: { ...existing.meta, consent: undefined },
      });
      messages.push(instrument.intro ?? '');
    } else {
      if (existing.channel !== channel)
        patch.meta = { ...existing.meta, channelSwitches: existing.meta.channelSwitches + 1 };
      if (existing.status === 'abandoned') patch.status = 'active';
      messages.push('Welcome back! Picking up where you left off.');
    }
    if (existing.channel !== channel) patch.channel = channel;
    if (Object.keys(patch).length > 0) await this.deps.store.updateSession(existing.id, patch);
    const session = { ...existing, ...patch } as SessionRecord;
    return this.turn(instrument, session, await this.answerMap(session.id), messages.filter(Boolean));
  }

  /** Repeats the current prompt (e.g. after a channel switch) without changing anything. */
  async current(respondentId: string, instrumentId: string): Promise<Turn> {
    const instrument = await this.instrument(instrumentId);
    const session = await this.session(respondentId, instrumentId);
    return this.turn(instrument, session, await this.answerMap(session.id), []);
  }

  /**
   * Takes one typed (or button) answer: stores it, or explains and asks the same item again.
   * `replyKey` (the chat message's id) is saved with what the answer changed; the same key again
   * (a resent message whose reply was lost) changes nothing and gets the prompt that followed it.
   */
  async reply(
    respondentId: string,
    instrumentId: string,
    text: string,
    channel: SurveyChannel,
    replyKey?: string,
  ): Promise<Turn> {
    const instrument = await this.instrument(instrumentId);
    const loaded = await this.deps.store.loadSession(respondentId, instrumentId);
    if (!loaded)
      throw new SurveyError(
        'SURVEY_SESSION_NOT_FOUND',
        `no session of "${instrumentId}" for this respondent; start it first`,
      );
    let session = loaded.session;
    const answers = new Map(loaded.answers.map((a) => [a.itemId, a]));
    if (replyKey !== undefined && session.replyKey === replyKey) {
      // The turn that saved this answer may have been cut before it queued the profile's
      // recomputation; that rebuilds from the stored answers, so queuing it again is harmless.
      if (session.status === 'completed')
        await this.deps.onFinished?.({
          respondentId: session.respondentId,
          instrumentId,
          status: 'completed',
        });
      return this.turn(
        instrument,
        session,
        answers,
        session.status === 'completed' && instrument.outro ? [instrument.outro] : [],
      );
    }
    const keyed = replyKey === undefined ? {} : { replyKey };
    this.refuseClosed(session, instrument);
    if (session.status === 'withdrawn')
      throw new SurveyError(
        'SURVEY_CONSENT_DECLINED',
        `consent to survey "${instrumentId}" was declined, so nothing is recorded; start it again to take part`,
      );
    const words = normaliseWords(text).join(' ');
    if (WITHDRAW_WORDS.has(words)) return this.withdraw(respondentId, instrumentId);
    if (session.status === 'abandoned' || session.channel !== channel) {
      const meta =
        session.channel !== channel
          ? { ...session.meta, channelSwitches: session.meta.channelSwitches + 1 }
          : session.meta;
      await this.deps.store.updateSession(session.id, { status: 'active', channel, meta });
      session = { ...session, status: 'active', channel, meta };
    }
    if (STOP_WORDS.has(words)) {
      const meta = {
        ...session.meta,
        abandonments: session.meta.abandonments + 1,
        stoppedByRespondent: true,
      };
      await this.deps.store.updateSession(session.id, { status: 'abandoned', meta, ...keyed });
      return {
        sessionId: session.id,
        instrumentId,
        status: 'abandoned',
        messages: ['No problem, we can continue later: your answers so far are saved.'],
        prompt: null,
        reasked: false,
      };
    }
    if (session.cursor === CONSENT_STEP) return this.consentReply(instrument, session, text, keyed);
    const position = locate(instrument, session.itemOrder, answers);
    const item = instrument.items.find((i) => i.id === position.next);
    if (!item) return this.turn(instrument, session, answers, []);
    const read = readItemAnswer(item, instrument, text);
    if (read.kind === 'reask' || (read.kind === 'skip' && item.required)) {
      const meta = { ...session.meta, reasks: session.meta.reasks + 1 };
      await this.deps.store.updateSession(session.id, { meta, ...keyed });
      const why =
        read.kind === 'skip' ? 'This question needs an answer.' : reaskMessage(read.reason, read.detail);
      const t = await this.turn(instrument, { ...session, meta }, answers, [
        `${why} Please answer with ${optionsText(item, instrument)}.`,
      ]);
      return { ...t, reasked: true };
    }
    const answer: AnswerRecord =
      read.kind === 'skip'
        ? { itemId: item.id, value: null, choices: [], text: null, skipped: true, sentiment: null }
        : {
            itemId: item.id,
            value: read.value,
            choices: read.choices,
            text: read.text,
            skipped: false,
            sentiment: null,
          };
    if (item.type === 'text' && answer.text && this.deps.sentiment)
      answer.sentiment = await this.deps.sentiment(answer.text);
    answers.set(item.id, answer);
    const next = locate(instrument, session.itemOrder, answers);
    const done = next.next === null;
    const patch = {
      cursor: next.next,
      status: done ? ('completed' as const) : ('active' as const),
      completedAt: done ? new Date() : null,
    };
    await this.deps.store.saveAnswer(session.id, answer, { ...patch, ...keyed });
    if (done)
      await this.deps.onFinished?.({ respondentId: session.respondentId, instrumentId, status: 'completed' });
    return this.turn(
      instrument,
      { ...session, ...patch },
      answers,
      done && instrument.outro ? [instrument.outro] : [],
    );
  }

  /** Withdraws consent: deletes every answer, revokes the consent record, closes the session. */
  async withdraw(respondentId: string, instrumentId: string): Promise<Turn> {
    const instrument = await this.instrument(instrumentId);
    const session = await this.session(respondentId, instrumentId);
    await this.deps.store.deleteAnswers(session.id, {
      status: 'withdrawn',
      cursor: null,
      meta: { ...session.meta, consent: 'withdrawn' },
    });
    await this.deps.store.revokeConsent(respondentId, consentPurpose(instrument));
    await this.deps.onFinished?.({ respondentId, instrumentId, status: 'withdrawn' });
    return {
      sessionId: session.id,
      instrumentId,
      status: 'withdrawn',
      messages: ['Your consent is withdrawn and your answers to this survey have been deleted.'],
      prompt: null,
      reasked: false,
    };
  }

  /** Marks sessions idle for longer than `idleMs` as abandoned (run from a scheduled job). */
  async sweepAbandoned(idleMs: number, now = new Date()): Promise<number> {
    return this.deps.store.markAbandoned(new Date(now.getTime() - idleMs));
  }

  private async consentReply(
    instrument: Instrument,
    session: SessionRecord,
    text: string,
    keyed: Pick<SessionRecord, 'replyKey'>,
  ): Promise<Turn> {
    const words = normaliseWords(text).join(' ');
    const p = parseScaleAnswer(text, SCALE_PRESETS.agree5);
    const yes = CONSENT_YES.has(words) || (p.kind === 'value' && p.value > 3 && p.via !== 'number');
    const no = !yes && p.kind === 'value' && p.value < 3 && p.via !== 'number';
    const purpose = consentPurpose(instrument);
    if (yes) {
      // Keyed like the session update that follows it: a resend after a cut between the two
      // finds the consent recorded and records nothing more.
      await this.deps.store.recordConsent(
        session.respondentId,
        purpose,
        true,
        session.channel,
        keyed.replyKey ?? undefined,
      );
      const cursor = locate(instrument, session.itemOrder, new Map()).next;
      const patched = { ...session, cursor, meta: { ...session.meta, consent: 'granted' as const } };
      await this.deps.store.updateSession(session.id, { cursor, meta: patched.meta, ...keyed });
      return this.turn(instrument, patched, new Map(), ['Thank you!']);
    }
    if (no) {
      await this.deps.store.recordConsent(
        session.respondentId,
        purpose,
        false,
        session.channel,
        keyed.replyKey ?? undefined,
      );
      const meta = { ...session.meta, consent: 'declined' as const };
      await this.deps.store.updateSession(session.id, { status: 'withdrawn', cursor: null, meta, ...keyed });
      return {
        sessionId: session.id,
        instrumentId: instrument.id,
        status: 'withdrawn',
        messages: ['Understood: nothing will be recorded. You can start again any time.'],
        prompt: null,
        reasked: false,
      };
    }
    const t = await this.turn(instrument, session, new Map(), ['Please answer yes or no.']);
    return { ...t, reasked: true };
  }

  /** A finished NPS/CSAT round whose repeat period has passed: the respondent may answer again. */
  private dueAgain(instrument: Instrument, session: SessionRecord): boolean {
    const days = this.deps.repeatAfterDays;
    if (days === undefined || session.status !== 'completed' || !session.completedAt) return false;
    if (!instrument.items.some((i) => i.type === 'nps' || i.type === 'csat')) return false;
    const now = (this.deps.now ?? (() => new Date()))();
    return now.getTime() - session.completedAt.getTime() >= days * 86_400_000;
  }

  private refuseClosed(session: SessionRecord, instrument: Instrument): void {
    if (session.status === 'completed') {
      const repeatable =
        this.deps.repeatAfterDays !== undefined &&
        instrument.items.some((i) => i.type === 'nps' || i.type === 'csat');
      const againFrom =
        repeatable && session.completedAt
          ? new Date(session.completedAt.getTime() + this.deps.repeatAfterDays! * 86_400_000)
          : null;
      throw new AlreadyCompletedError(instrument.id, session.completedAt, againFrom);
    }
    if (session.status === 'withdrawn' && session.meta.consent !== 'declined')
      throw new WithdrawnError(instrument.id);
  }

  private async turn(
    instrument: Instrument,
    session: SessionRecord,
    answers: Map<string, AnswerRecord>,
    messages: string[],
  ): Promise<Turn> {
    const base = {
      sessionId: session.id,
      instrumentId: instrument.id,
      status: session.status,
      messages,
      reasked: false,
    };
    if (session.status === 'withdrawn') return { ...base, prompt: null };
    if (session.cursor === CONSENT_STEP && instrument.consent) {
      const quickReplies = [
        { label: 'Yes, I agree', value: 'yes' },
        { label: 'No', value: 'no' },
      ];
      return {
        ...base,
        prompt: {
          itemId: CONSENT_STEP,
          kind: 'consent',
          text: instrument.consent.text,
          required: true,
          quickReplies,
          optionsText: 'yes or no',
          progress: null,
        },
      };
    }
    const pos = locate(instrument, session.itemOrder, answers);
    const item = instrument.items.find((i) => i.id === pos.next);
    if (!item)
      return { ...base, status: session.status === 'active' ? 'completed' : session.status, prompt: null };
    const progress = { current: pos.current, total: pos.total, text: `${pos.current} of ${pos.total}` };
    const prompt: Prompt = {
      itemId: item.id,
      kind: item.type,
      text: item.text,
      required: item.required,
      quickReplies: quickRepliesFor(item, instrument),
      optionsText: optionsText(item, instrument),
      progress,
    };
    return { ...base, prompt };
  }

  private async instrument(id: string): Promise<Instrument> {
    const inst = await this.deps.store.getInstrument(id);
    if (!inst) throw new SurveyError('SURVEY_INSTRUMENT_NOT_FOUND', `no instrument "${id}"`);
    return inst;
  }

  private async session(respondentId: string, instrumentId: string): Promise<SessionRecord> {
    const s = await this.deps.store.findSession(respondentId, instrumentId);
    if (!s)
      throw new SurveyError(
        'SURVEY_SESSION_NOT_FOUND',
        `no session of "${instrumentId}" for this respondent; start it first`,
      );
    return s;
  }

  private async answerMap(sessionId: string): Promise<Map<string, AnswerRecord>> {
    return new Map((await this.deps.store.listAnswers(sessionId)).map((a) => [a.itemId, a]));
  }
}

/** The consent purpose recorded for an instrument ("survey:<id>"). */
export function consentPurpose(instrument: Instrument): string {
  return `survey:${instrument.id}`;
}

function reaskMessage(reason: string, detail: string): string {
  if (reason === 'out-of-range') return `That is out of range (${detail}).`;
  if (reason === 'not-integer') return 'Please use a whole number.';
  if (reason === 'too-long') return `That is a bit long (${detail}).`;
  if (reason === 'selection') return `Please ${detail}.`;
  if (reason === 'ambiguous') return 'Sorry, I could read that more than one way.';
  return "Sorry, I didn't get that.";
}
