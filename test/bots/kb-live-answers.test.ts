// A model's help-centre answers streamed to web chat, through the real server and Direct Line
// (WebSocket) and in headless Chromium, with the local OpenAI-compatible stand-in as the model:
// the words arrive as Web Chat livestream `typing` activities (streamSequence 1, 2, ..., streamId =
// the first one's id), the final `message` closes the stream (streamType 'final'), and only that
// final answer is stored. A stall past LLM_TIMEOUT_MS finishes the stream with the extract, a reply
// citing nothing with the offer of a person.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectLineConversation, HttpClient, type DlActivity } from '../platform/directline-client.js';
import { startLlmStandIn, type LlmStandIn } from '../support/llm-stand-in.js';
import { startChatServer, type ChatServer } from './chat-server.js';

const CHROMIUM = '/usr/bin/chromium';
const WRITTEN = 'Standard delivery takes 3 to 5 working days in the United States [1].';

interface StreamActivity extends DlActivity {
  channelData?: { streamType?: string; streamSequence?: number; streamId?: string; tag?: string };
}

let llm: LlmStandIn;
let server: ChatServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  llm = await startLlmStandIn();
  server = await startChatServer('pglite', {
    LLM_BASE_URL: llm.baseUrl,
    LLM_MODEL: 'stand-in',
    // Long enough for the page test to see the held words; the stall test waits it out.
    LLM_TIMEOUT_MS: '15000',
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
}, 600_000); // a cold model cache on a loaded machine: training and seeding beside other servers

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await llm?.close();
});

/** Asks one question in a new conversation; returns the turn's activities and what was stored. */
async function ask(question: string): Promise<{ turn: StreamActivity[]; stored: string[] }> {
  const http = new HttpClient(server.url);
  const conv = new DirectLineConversation(http, 'dl_live_answers');
  try {
    await conv.open();
    await conv.connectStream();
    await conv.waitForBot(() => true, 0, 20_000, 50); // the greeting
    const id = await conv.say(question);
    await conv.waitForBot((m) => m.replyToId === id, 0, 20_000, 20);
    const turn = (conv.activities as StreamActivity[]).filter(
      (a) => a.from.id === 'bot' && (a.replyToId === id || a.channelData?.streamType),
    );
    const messages = await server.db.prisma.message.findMany({
      where: { direction: 'bot', conversation: { externalId: conv.conversationId } },
      orderBy: { createdAt: 'asc' },
    });
    return { turn, stored: messages.map((m) => server.cipher.decrypt(m.text, 'Message.text')) };
  } finally {
    conv.closeStream();
    http.close();
  }
}

function streamOf(turn: StreamActivity[]) {
  const updates = turn.filter((a) => a.type === 'typing' && a.channelData?.streamType === 'streaming');
  const final = turn.find((a) => a.type === 'message')!;
  return { updates, final };
}

describe("a model's answer streamed to web chat", () => {
  it('arrives word by word as livestream updates, then one final message that is the only one stored', async () => {
    llm.mode = { kind: 'text', text: WRITTEN };
    llm.chunkDelayMs = 40;
    const { turn, stored } = await ask('how long does delivery take?');
    const { updates, final } = streamOf(turn);
    expect(updates.length).toBeGreaterThanOrEqual(2);
    expect(updates.map((u) => u.channelData!.streamSequence)).toEqual(updates.map((_, i) => i + 1));
    const streamId = updates[0]!.id!;
    expect(updates[0]!.channelData!.streamId).toBeUndefined();
    for (const u of updates.slice(1)) expect(u.channelData!.streamId).toBe(streamId);
    // Each update is the whole text so far.
    updates.forEach((u, i) => i > 0 && expect(u.text!.startsWith(updates[i - 1]!.text!)).toBe(true));
    expect(WRITTEN.startsWith(updates[0]!.text!.trim())).toBe(true);
    expect(final.channelData).toMatchObject({ streamType: 'final', streamId, tag: 'kb_answer' });
    expect(final.text).toContain(WRITTEN);
    expect(final.text).toMatch(/Source: \[Shipping and delivery\]/);
    expect(stored).toEqual(expect.arrayContaining([final.text]));
    expect(stored.filter((t) => t.includes('Standard delivery'))).toHaveLength(1);
  }, 60_000);

  it('a model that stalls past the timeout: the stream is finished with the extract', async () => {
    llm.mode = { kind: 'stall', text: 'Standard delivery takes about' };
    llm.chunkDelayMs = 5;
    const { turn, stored } = await ask('how long does delivery take?');
    const { updates, final } = streamOf(turn);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(final.channelData).toMatchObject({
      streamType: 'final',
      streamId: updates[0]!.id,
      tag: 'kb_answer',
    });
    expect(final.text).toMatch(/working days/);
    expect(final.text).not.toContain('about');
    expect(stored.filter((t) => t.includes('about'))).toEqual([]);
  }, 60_000);

  it('an answer citing no passage is shown while written, then replaced by the offer of a person', async () => {
    llm.mode = { kind: 'text', text: 'Probably about a week.' };
    const { turn } = await ask('how long does delivery take?');
    const { updates, final } = streamOf(turn);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(final.channelData).toMatchObject({ streamType: 'final', tag: 'kb_no_answer' });
    expect(final.text).toMatch(/I don't have that information/);
  }, 60_000);

  it('the page shows the words while they are written, then the final answer in the same bubble', async () => {
    llm.mode = { kind: 'text', text: WRITTEN };
    llm.chunkDelayMs = 5;
    const release = llm.holdAfter(4);
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(server.url);
      await page.waitForFunction(() => document.body.innerText.includes('assistant'), null, {
        timeout: 20_000,
      });
      const box = page.locator('[data-id="webchat-sendbox-input"]');
      await box.fill('how long does delivery take?');
      await box.press('Enter');
      // Held by the stand-in after four words: they are on the page before the answer is finished.
      await page.waitForFunction(() => document.body.innerText.includes('Standard delivery takes 3'), null, {
        timeout: 20_000,
      });
      expect(await page.evaluate(() => document.body.innerText)).not.toContain('working days in the United');
      release();
      // Web Chat wraps a link's text in zero-width spaces.
      await page.waitForFunction(
        () => document.body.innerText.replace(/\u200b/g, '').includes('Source: Shipping and delivery'),
        null,
        { timeout: 20_000 },
      );
      const bubbles = page.locator('.webchat__bubble__content', { hasText: 'Standard delivery takes' });
      expect(await bubbles.count()).toBe(1);
      await expect(bubbles.first().innerText()).resolves.toContain('working days in the United States [1].');
      expect(errors).toEqual([]);
    } finally {
      release();
      await page.close();
    }
  }, 90_000);
});
