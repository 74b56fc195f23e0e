import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AlreadyCompletedError,
  SurveyRunner,
  WithdrawnError,
  loadShippedInstruments,
  mulberry32,
  validateInstrument,
  type Instrument,
  type SurveyStore,
} from '../../surveys/index.js';

/** A store under test: the port, a way to create respondents (customers), and a way to reopen it. */
export interface StoreFixture {
  store: SurveyStore;
  /** A second store over the same data, as after a process restart. */
  reopen(): Promise<SurveyStore>;
  newRespondent(): Promise<string>;
  /** Consent rows of a respondent, newest last. */
  consents(respondentId: string): Promise<{ purpose: string; granted: boolean; revoked: boolean }[]>;
  close(): Promise<void>;
}

/** Instruments every fixture must serve: the shipped ones plus a randomised test instrument. */
export function contractInstruments(): Instrument[] {
  const shuffled = validateInstrument({
    id: 'shuffled',
    title: 'Shuffled',
    source: { name: 'test' },
    licence: 'MIT',
    randomize: true,
    responseScales: { agree5: { min: 1, max: 5 } },
    items: Array.from({ length: 8 }, (_, i) => ({
      id: `q${i + 1}`,
      type: 'likert',
      text: `Statement ${i + 1}`,
      scale: 'agree5',
    })),
  });
  if (!shuffled.ok) throw new Error(JSON.stringify(shuffled.issues));
  return [...loadShippedInstruments(), shuffled.instrument];
}

/** Seeded uniform random numbers for reproducible item orders. */
export const seeded = mulberry32;

/** The shared behaviour every SurveyStore must show when driven by the SurveyRunner. */
export function runnerContract(name: string, makeFixture: () => Promise<StoreFixture>): void {
  describe(`SurveyRunner over ${name}`, () => {
    let fx: StoreFixture;
    let runner: SurveyRunner;
    const sentiment = (t: string) => (/great|love/i.test(t) ? 0.8 : /bad|slow/i.test(t) ? -0.6 : 0);
    beforeAll(async () => {
      fx = await makeFixture();
      runner = new SurveyRunner({ store: fx.store, sentiment, random: seeded(7) });
    });
    afterAll(async () => fx.close());

    it('takes a keyed answer once: the same key again saves nothing and gets the prompt that followed', async () => {
      const r = await fx.newRespondent();
      await runner.start(r, 'nps', 'webchat');
      const first = await runner.reply(r, 'nps', '9', 'webchat', 'client:m1');
      expect(first.prompt).toMatchObject({ itemId: 'why', progress: { text: '2 of 2' } });
      // The resend, its reply lost: not taken as the answer to "why".
      const again = await runner.reply(r, 'nps', '9', 'webchat', 'client:m1');
      expect(again.prompt).toMatchObject({ itemId: 'why', progress: { text: '2 of 2' } });
      const stored = await fx.store.loadSession(r, 'nps');
      expect(stored!.answers.map((a) => [a.itemId, a.value])).toEqual([['recommend', 9]]);
      // The last answer, resent: the survey stays finished and the resend hears the end again.
      const last = await runner.reply(r, 'nps', 'fast delivery', 'webchat', 'client:m2');
      expect(last.status).toBe('completed');
      const lastAgain = await runner.reply(r, 'nps', 'fast delivery', 'webchat', 'client:m2');
      expect(lastAgain).toMatchObject({ status: 'completed', prompt: null, messages: last.messages });
      expect((await fx.store.loadSession(r, 'nps'))!.answers).toHaveLength(2);
    });

    it('records a keyed consent once when the turn that recorded it was cut before the session update', async () => {
      const r = await fx.newRespondent();
      const t0 = await runner.start(r, 'mini-ipip-20', 'webchat');
      expect(t0.prompt?.kind).toBe('consent');
      // The first try recorded the consent, then lost the database before the session said so.
      await fx.store.recordConsent(r, 'survey:mini-ipip-20', true, 'webchat', 'conv:client:c1');
      const resent = await runner.reply(r, 'mini-ipip-20', 'yes', 'webchat', 'conv:client:c1');
      expect(resent.prompt?.progress?.current).toBe(1);
      expect(await fx.consents(r)).toEqual([
        { purpose: 'survey:mini-ipip-20', granted: true, revoked: false },
      ]);
    });

    it('queues the profile again when the answer that finished a survey is resent (the queuing may have been cut)', async () => {
      const finished: string[] = [];
      const counting = new SurveyRunner({
        store: fx.store,
        sentiment,
        onFinished: ({ respondentId }) => void finished.push(respondentId),
      });
      const r = await fx.newRespondent();
      await counting.start(r, 'nps', 'webchat');
      await counting.reply(r, 'nps', '9', 'webchat', 'conv:client:n1');
      expect((await counting.reply(r, 'nps', 'fast', 'webchat', 'conv:client:n2')).status).toBe('completed');
      expect(finished).toEqual([r]);
      await counting.reply(r, 'nps', 'fast', 'webchat', 'conv:client:n2');
      expect(finished).toEqual([r, r]);
      expect((await fx.store.loadSession(r, 'nps'))!.answers).toHaveLength(2);
    });

    it('runs NPS with its follow-up, shows progress, saves sentiment and finishes', async () => {
      const r = await fx.newRespondent();
      const t1 = await runner.start(r, 'nps', 'webchat');
      expect(t1.messages).toContain('Two quick questions about your experience with us.');
      expect(t1.prompt).toMatchObject({ itemId: 'recommend', progress: { text: '1 of 3' } });
      expect(t1.prompt!.quickReplies.map((q) => q.value)).toEqual([
        '0',
        '1',
        '2',
        '3',
        '4',
        '5',
        '6',
        '7',
        '8',
        '9',
        '10',
      ]);
      const t2 = await runner.reply(r, 'nps', 'definitely a 9!', 'webchat');
      expect(t2.prompt).toMatchObject({ itemId: 'why', progress: { text: '2 of 2' } });
      const t3 = await runner.reply(r, 'nps', 'Great service and fast delivery', 'webchat');
      expect(t3.status).toBe('completed');
      expect(t3.prompt).toBeNull();
      expect(t3.messages).toEqual(['Thank you, that helps us a lot!']);
      const session = await fx.store.findSession(r, 'nps');
      const answers = await fx.store.listAnswers(session!.id);
      expect(answers.map((a) => [a.itemId, a.value, a.text, a.sentiment])).toEqual([
        ['recommend', 9, 'definitely a 9!', null],
        ['why', null, 'Great service and fast delivery', 0.8],
      ]);
      expect(session!.completedAt).toBeInstanceOf(Date);
    });

    it('asks detractors the improvement question (showIf)', async () => {
      const r = await fx.newRespondent();
      await runner.start(r, 'nps', 'slack');
      const t = await runner.reply(r, 'nps', '3', 'slack');
      expect(t.prompt?.progress?.text).toBe('2 of 3');
      await runner.reply(r, 'nps', 'skip', 'slack');
      const t3 = await runner.reply(r, 'nps', 'Delivery was slow', 'slack');
      expect(t3.status).toBe('completed');
      const answers = await fx.store.listAnswers((await fx.store.findSession(r, 'nps'))!.id);
      expect(answers.find((a) => a.itemId === 'why')).toMatchObject({ skipped: true, value: null });
      expect(answers.find((a) => a.itemId === 'improve')).toMatchObject({
        text: 'Delivery was slow',
        sentiment: -0.6,
      });
    });

    it('re-asks unreadable and out-of-range answers with the options, storing nothing', async () => {
      const r = await fx.newRespondent();
      await runner.start(r, 'mini-ipip-20', 'webchat');
      await runner.reply(r, 'mini-ipip-20', 'yes', 'webchat'); // consent
      const bad = await runner.reply(r, 'mini-ipip-20', 'banana', 'webchat');
      expect(bad.reasked).toBe(true);
      expect(bad.prompt?.itemId).toBe('mini1');
      expect(bad.messages[0]).toMatch(/didn't get that.*1 = Very inaccurate.*5 = Very accurate/);
      const out = await runner.reply(r, 'mini-ipip-20', '7', 'webchat');
      expect(out.messages[0]).toMatch(/out of range \(7 is outside 1–5\)/);
      const skip = await runner.reply(r, 'mini-ipip-20', 'skip', 'webchat');
      expect(skip.messages[0]).toMatch(/needs an answer/);
      const session = (await fx.store.findSession(r, 'mini-ipip-20'))!;
      expect(await fx.store.listAnswers(session.id)).toEqual([]);
      expect(session.meta.reasks).toBe(3);
    });

    it('resumes at the next unanswered item after a restart and a channel switch', async () => {
      const r = await fx.newRespondent();
      const t0 = await runner.start(r, 'mini-ipip-20', 'webchat');
      expect(t0.prompt?.kind).toBe('consent');
      await runner.reply(r, 'mini-ipip-20', 'Yes, I agree', 'webchat');
      for (const a of ['very accurate', '4', 'not really', '👍', 'two', 'strongly agree'])
        await runner.reply(r, 'mini-ipip-20', a, 'webchat');
      const restarted = new SurveyRunner({ store: await fx.reopen() });
      const t = await restarted.start(r, 'mini-ipip-20', 'slack');
      expect(t.messages[0]).toMatch(/Welcome back/);
      expect(t.prompt).toMatchObject({
        itemId: 'mini7',
        progress: { current: 7, total: 20, text: '7 of 20' },
      });
      const session = (await fx.store.findSession(r, 'mini-ipip-20'))!;
      expect(session.channel).toBe('slack');
      expect(session.meta.channelSwitches).toBe(1);
      expect(session.meta.consent).toBe('granted');
      const values = (await fx.store.listAnswers(session.id)).map((a) => a.value);
      expect(values).toEqual([5, 4, 2, 4, 2, 5]);
      expect((await fx.consents(r)).at(-1)).toEqual({
        purpose: 'survey:mini-ipip-20',
        granted: true,
        revoked: false,
      });
    });

    it('refuses a second session of a finished survey, leaving its data intact', async () => {
      const r = await fx.newRespondent();
      await runner.start(r, 'csat', 'webchat');
      const t = await runner.reply(r, 'csat', 'very satisfied', 'webchat');
      expect(t.prompt?.itemId).toBe('comment');
      const done = await runner.reply(r, 'csat', 'pass', 'webchat');
      expect(done.status).toBe('completed'); // satisfied customers are not offered a call back
      await expect(runner.start(r, 'csat', 'slack')).rejects.toBeInstanceOf(AlreadyCompletedError);
      await expect(runner.reply(r, 'csat', '1', 'slack')).rejects.toMatchObject({
        code: 'SURVEY_ALREADY_COMPLETED',
        message: /already completed on \d{4}-\d\d-\d\d/,
      });
      const session = (await fx.store.findSession(r, 'csat'))!;
      expect((await fx.store.listAnswers(session.id)).map((a) => [a.itemId, a.value, a.skipped])).toEqual([
        ['satisfaction', 5, false],
        ['comment', null, true],
      ]);
    });

    it('lets NPS be answered again after the repeat period, in a new round, keeping the first', async () => {
      const r = await fx.newRespondent();
      let now = new Date();
      const repeating = new SurveyRunner({ store: fx.store, sentiment, repeatAfterDays: 90, now: () => now });
      await repeating.start(r, 'nps', 'webchat');
      await repeating.reply(r, 'nps', '9', 'webchat');
      expect((await repeating.reply(r, 'nps', 'pass', 'webchat')).status).toBe('completed');
      const first = (await fx.store.findSession(r, 'nps'))!;
      // too early: refused, saying from when
      now = new Date(first.completedAt!.getTime() + 30 * 86_400_000);
      await expect(repeating.start(r, 'nps', 'webchat')).rejects.toMatchObject({
        code: 'SURVEY_ALREADY_COMPLETED',
        message: /answered again from \d{4}-\d\d-\d\d/,
      });
      // after the period: round 2 starts at the first item; round 1 keeps its answers
      now = new Date(first.completedAt!.getTime() + 91 * 86_400_000);
      const again = await repeating.start(r, 'nps', 'webchat');
      expect(again.prompt?.itemId).toBe('recommend');
      const second = (await fx.store.findSession(r, 'nps'))!;
      expect([second.round, second.id === first.id]).toEqual([2, false]);
      expect((await fx.store.listAnswers(first.id)).map((a) => a.value)).toContain(9);
      // a trait questionnaire is never repeated, however long ago it was finished
      const traits = (await fx.store.findSession(r, 'mini-ipip-20'))?.round ?? 0;
      expect(traits).toBe(0);
    });

    it('follows the CSAT branch for unhappy customers and reads choice answers', async () => {
      const r = await fx.newRespondent();
      await runner.start(r, 'csat', 'webchat');
      const t = await runner.reply(r, 'csat', '⭐⭐', 'webchat');
      expect(t.prompt?.itemId).toBe('comment');
      await runner.reply(r, 'csat', 'The zip broke after a week', 'webchat');
      const last = await runner.reply(r, 'csat', 'yes please', 'webchat');
      expect(last.status).toBe('completed');
      const answers = await fx.store.listAnswers((await fx.store.findSession(r, 'csat'))!.id);
      expect(answers.map((a) => a.itemId)).toEqual(['satisfaction', 'comment', 'contact']);
      expect(answers[2]!.choices).toEqual(['yes']);
    });

    it('withdrawal deletes the answers, revokes consent and refuses later answers', async () => {
      const r = await fx.newRespondent();
      await runner.start(r, 'purchase-motivation', 'webchat');
      await runner.reply(r, 'purchase-motivation', 'ok', 'webchat');
      await runner.reply(r, 'purchase-motivation', '5', 'webchat');
      await runner.reply(r, 'purchase-motivation', '2', 'webchat');
      const session = (await fx.store.findSession(r, 'purchase-motivation'))!;
      expect(await fx.store.listAnswers(session.id)).toHaveLength(2);
      const w = await runner.reply(r, 'purchase-motivation', 'delete my answers', 'webchat');
      expect(w.status).toBe('withdrawn');
      expect(await fx.store.listAnswers(session.id)).toEqual([]);
      expect((await fx.consents(r)).at(-1)).toMatchObject({
        purpose: 'survey:purchase-motivation',
        revoked: true,
      });
      await expect(runner.reply(r, 'purchase-motivation', '4', 'webchat')).rejects.toBeInstanceOf(
        WithdrawnError,
      );
      await expect(runner.start(r, 'purchase-motivation', 'webchat')).rejects.toMatchObject({
        code: 'SURVEY_WITHDRAWN',
      });
      expect(await fx.store.listAnswers(session.id)).toEqual([]);
    });

    it('declining consent records nothing and can be reconsidered', async () => {
      const r = await fx.newRespondent();
      await runner.start(r, 'purchase-motivation', 'webchat');
      const no = await runner.reply(r, 'purchase-motivation', 'no thanks', 'webchat');
      expect(no).toMatchObject({ status: 'withdrawn', prompt: null });
      await expect(runner.reply(r, 'purchase-motivation', '5', 'webchat')).rejects.toMatchObject({
        code: 'SURVEY_CONSENT_DECLINED',
      });
      const again = await runner.start(r, 'purchase-motivation', 'webchat');
      expect(again.prompt?.kind).toBe('consent');
      expect((await fx.consents(r)).map((c) => c.granted)).toEqual([false]);
    });

    it('reads multiple-choice answers by number, label and typo', async () => {
      const r = await fx.newRespondent();
      await runner.start(r, 'purchase-motivation', 'api');
      await runner.reply(r, 'purchase-motivation', 'yes', 'api');
      for (let i = 0; i < 16; i++) await runner.reply(r, 'purchase-motivation', String((i % 5) + 1), 'api');
      const t = await runner.current(r, 'purchase-motivation');
      expect(t.prompt).toMatchObject({ itemId: 'categories', progress: { text: '17 of 18' } });
      await runner.reply(r, 'purchase-motivation', 'jackets and runing', 'api');
      const end = await runner.reply(r, 'purchase-motivation', '2', 'api');
      expect(end.status).toBe('completed');
      const answers = await fx.store.listAnswers((await fx.store.findSession(r, 'purchase-motivation'))!.id);
      expect(answers.find((a) => a.itemId === 'categories')!.choices).toEqual(['outerwear', 'running']);
      expect(answers.find((a) => a.itemId === 'budget')!.choices).toEqual(['50-150']);
    });

    it('tracks abandonment and reactivates on return', async () => {
      const r = await fx.newRespondent();
      await runner.start(r, 'nps', 'webchat');
      await new Promise((res) => setTimeout(res, 20));
      expect(await runner.sweepAbandoned(10)).toBeGreaterThanOrEqual(1);
      let s = (await fx.store.findSession(r, 'nps'))!;
      expect(s.status).toBe('abandoned');
      expect(s.meta.abandonments).toBe(1);
      await runner.reply(r, 'nps', '10', 'webchat');
      s = (await fx.store.findSession(r, 'nps'))!;
      expect(s.status).toBe('active');
      const stop = await runner.reply(r, 'nps', 'stop', 'webchat');
      expect(stop.status).toBe('abandoned');
      expect((await fx.store.findSession(r, 'nps'))!.meta).toMatchObject({
        abandonments: 2,
        stoppedByRespondent: true,
      });
    });

    it('two channels starting at the same moment share one session', async () => {
      const r = await fx.newRespondent();
      const [a, b] = await Promise.all([runner.start(r, 'nps', 'webchat'), runner.start(r, 'nps', 'slack')]);
      expect(a.sessionId).toBe(b.sessionId);
      expect([a.prompt?.itemId, b.prompt?.itemId]).toEqual(['recommend', 'recommend']);
    });

    it('loads a session with its answers as saved, in answer order, in one call', async () => {
      const r = await fx.newRespondent();
      const before = Date.now();
      await runner.start(r, 'nps', 'webchat');
      await runner.reply(r, 'nps', '4', 'webchat');
      await runner.reply(r, 'nps', 'Delivery was slow and the box was bad', 'webchat');
      const loaded = (await (await fx.reopen()).loadSession(r, 'nps'))!;
      const found = (await fx.store.findSession(r, 'nps'))!;
      expect(loaded.session).toEqual(found);
      expect(loaded.session.startedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(loaded.session.startedAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      expect(loaded.answers.map((a) => a.itemId)).toEqual(['recommend', 'why']);
      expect(loaded.answers[0]).toMatchObject({
        value: 4,
        choices: [],
        text: '4',
        skipped: false,
        sentiment: null,
      });
      expect(loaded.answers[1]).toMatchObject({
        text: 'Delivery was slow and the box was bad',
        sentiment: -0.6,
      });
      expect(loaded.answers[1]!.createdAt!.getTime()).toBeGreaterThanOrEqual(
        loaded.answers[0]!.createdAt!.getTime(),
      );
      expect(loaded.answers[0]!.createdAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(await fx.store.loadSession(await fx.newRespondent(), 'nps')).toBeNull();
    });

    it('keeps a randomised order fixed for the session', async () => {
      const r = await fx.newRespondent();
      const t = await runner.start(r, 'shuffled', 'webchat');
      const s = (await fx.store.findSession(r, 'shuffled'))!;
      expect([...s.itemOrder].sort()).toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8']);
      expect(s.itemOrder).not.toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8']);
      expect(t.prompt?.itemId).toBe(s.itemOrder[0]);
      await runner.reply(r, 'shuffled', '3', 'webchat');
      const again = await new SurveyRunner({ store: await fx.reopen(), random: seeded(99) }).start(
        r,
        'shuffled',
        'webchat',
      );
      expect(again.prompt?.itemId).toBe(s.itemOrder[1]);
    });
  });
}
