// Crash: the real server (`server/main.ts`) as a child process on a fresh PostgreSQL database;
// 20 respondents take the personality survey over Direct Line at the same time; the server is
// killed with SIGKILL while they are mid-survey and started again. Every answer the server had
// acknowledged (the next question was sent) is in the database, and every session resumes at the
// right item when its respondent carries on in the same conversation with the same token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../prisma/index.js';
import { prepareServerGround, type ServerGround } from '../support/server-ground.js';
import { ChildServer } from '../support/server-process.js';
import {
  DirectLineConversation,
  HttpClient,
  itemNumber,
  loopbackAddress,
  prng,
} from './directline-client.js';

const RESPONDENTS = 20;
const SEED = Number(process.env.CRASH_SEED ?? 20261125);

let ground: ServerGround;
let server: ChildServer;
let db: Database;

beforeAll(async () => {
  ground = await prepareServerGround('crash');
  server = await ChildServer.start({ env: { DATABASE_URL: ground.databaseUrl, DATA_DIR: ground.dataDir } });
  db = await ground.database();
}, 400_000);

afterAll(async () => {
  await server?.stop();
  await ground?.close();
});

interface Respondent {
  index: number;
  conversation: DirectLineConversation;
  /** answers sent, in item order (1-based item n → sent[n-1]) */
  sent: number[];
  /** highest item number the server asked for: items before it were acknowledged */
  asked: number;
  stoppedBy?: string;
}

async function answersOf(userId: string): Promise<Array<{ itemId: string; value: number | null }>> {
  const identity = await db.prisma.channelIdentity.findFirst({ where: { externalId: userId } });
  if (!identity) return [];
  const session = await db.prisma.surveySession.findUnique({
    where: { customerId_instrumentId_round: { customerId: identity.customerId, instrumentId: 'mini-ipip-20', round: 1 } },
    include: { answers: true },
  });
  if (!session) return [];
  const position = new Map(session.itemOrder.map((id, i) => [id, i]));
  return session.answers
    .map((a) => ({ itemId: a.itemId, value: a.value }))
    .sort((a, b) => position.get(a.itemId)! - position.get(b.itemId)!);
}

describe('kill -9 mid-survey', () => {
  it('keeps every acknowledged answer and resumes each session at the right item', async () => {
    const random = prng(SEED);
    const respondents: Respondent[] = Array.from({ length: RESPONDENTS }, (_, index) => ({
      index,
      conversation: new DirectLineConversation(
        new HttpClient(server.url, loopbackAddress(index)),
        `dl_crash_${String(index).padStart(3, '0')}`,
      ),
      sent: [],
      asked: 0,
    }));
    // Each respondent answers until the server dies; they start together and run concurrently.
    const killAfter = 3 * RESPONDENTS;
    let acknowledged = 0;
    let killed = false;
    const killedAt = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if ((acknowledged >= killAfter && respondents.every((r) => r.asked >= 2)) || killed) {
          clearInterval(timer);
          resolve();
        }
      }, 50);
    });

    const run = async (r: Respondent) => {
      const c = r.conversation;
      try {
        await c.open();
        let from = c.botMessages().length;
        await c.say('start the personality survey');
        await c.waitForBot(() => true, from, 120_000); // the consent question
        from = c.botMessages().length;
        if (itemNumber(c.botMessages().at(-1)?.text) === undefined) {
          await c.say('I consent');
          await c.waitForBot((a) => itemNumber(a.text) === 1, from, 120_000);
        }
        r.asked = 1;
        for (;;) {
          const value = 1 + Math.floor(random() * 5);
          from = c.botMessages().length;
          r.sent.push(value);
          await c.say(String(value));
          const next = r.asked + 1;
          await c.waitForBot((a) => itemNumber(a.text) === next, from, 120_000);
          r.asked = next;
          acknowledged++;
          if (r.asked >= 15) return;
        }
      } catch (error) {
        r.stoppedBy = error instanceof Error ? error.message.slice(0, 120) : String(error);
      }
    };
    const runs = respondents.map(run);
    await killedAt;
    await server.kill();
    killed = true;
    await Promise.all(runs);

    // The kill came while the survey was under way for everyone: nobody finished, nobody was
    // still waiting for the consent question.
    expect(respondents.every((r) => r.asked >= 1 && r.asked < 15)).toBe(true);
    expect(respondents.filter((r) => r.stoppedBy).length).toBe(RESPONDENTS);

    await server.start();
    let resumedChecked = 0;
    await Promise.all(
      respondents.map(async (r) => {
        const stored = await answersOf(r.conversation.userId);
        const ackCount = r.asked - 1;
        // every acknowledged answer is there, with the value sent for that item; at most the one
        // answer in flight at the kill may be there too
        expect(stored.length).toBeGreaterThanOrEqual(ackCount);
        expect(stored.length).toBeLessThanOrEqual(ackCount + 1);
        expect(stored.map((a) => a.value)).toEqual(r.sent.slice(0, stored.length));

        // Carry on in the same conversation with the same token: the next answer lands on the
        // next unanswered item and the bot asks the one after it.
        const c = r.conversation;
        c.resetWatermark();
        const from = c.botMessages().length;
        const value = 1 + (r.index % 5);
        await c.say(String(value));
        const expected = stored.length + 2;
        const reply = await c.waitForBot((a) => itemNumber(a.text) !== undefined, from, 120_000);
        expect(itemNumber(reply.text), `${c.userId}: ${reply.text}`).toBe(expected);
        const after = await answersOf(c.userId);
        expect(after.map((a) => a.value)).toEqual([...r.sent.slice(0, stored.length), value]);
        resumedChecked++;
      }),
    );
    expect(resumedChecked).toBe(RESPONDENTS);
    for (const r of respondents) r.conversation.http.close();
  }, 600_000);
});
