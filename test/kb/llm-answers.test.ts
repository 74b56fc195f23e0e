// Optional generative answers against a local stand-in that speaks the OpenAI-compatible
// /v1/chat/completions API, streamed (no model weights here): the model sees only the retrieved
// passages and must cite them; its text is told as it grows, never the refusal marker; its refusal
// stands; a timeout, an HTTP error, a cut stream or a malformed reply falls back to the extractive
// answer; nothing is sent for a question below the confidence gate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KbService,
  MemoryKbStore,
  readWrittenAnswer,
  seedDemoHelpCentre,
  shownSoFar,
} from '../../kb/index.js';
import { createUseLiteEncoder, type SentenceEncoder } from '../../nlu/index.js';
import { helpCentreAdapter } from '../../server/help-centre-adapter.js';
import { createLlmAnswerWriter } from '../../server/llm-answer-writer.js';
import { readChatCompletion } from '../../server/llm-stream.js';
import { startLlmStandIn, type LlmStandIn } from '../support/llm-stand-in.js';

const CITED = 'Standard delivery takes 3 to 5 working days in the United States [1].';
const QUESTION = 'how long does delivery take?';
let llm: LlmStandIn;
let encoder: SentenceEncoder;

beforeAll(async () => {
  encoder = await createUseLiteEncoder();
  llm = await startLlmStandIn();
});
afterAll(async () => {
  await llm?.close();
  await encoder?.dispose();
});

// The timeout only the stall test waits out; the others must not hit it on a loaded machine.
async function service(errors: unknown[] = [], timeoutMs = 20_000): Promise<KbService> {
  const store = new MemoryKbStore();
  await seedDemoHelpCentre(store);
  const writer = createLlmAnswerWriter({ baseUrl: `${llm.baseUrl}/v1/`, model: 'stand-in', timeoutMs });
  return new KbService(store, encoder, { writer, onWriterError: (e) => errors.push(e) });
}

describe('generative answers through an OpenAI-compatible server', () => {
  it('streams the answer written from the retrieved passages only, citing them, with the cited source', async () => {
    llm.mode = { kind: 'text', text: CITED };
    const kb = await service();
    llm.requests.length = 0;
    const told: string[] = [];
    const answer = await kb.answer(QUESTION, (soFar) => told.push(soFar));
    expect(answer).toMatchObject({
      answered: true,
      generated: true,
      text: CITED,
      title: 'Shipping and delivery',
      source: 'https://northwind.example/help/shipping',
    });
    // One update per streamed word, each the whole text so far, the last one the answer.
    expect(told.length).toBe(CITED.split(' ').length);
    told.forEach((t, i) => i > 0 && expect(t.startsWith(told[i - 1]!)).toBe(true));
    expect(told.at(-1)!.trim()).toBe(CITED);
    expect(llm.requests).toHaveLength(1);
    expect(llm.requests[0]!.url).toBe('/v1/chat/completions');
    expect(llm.requests[0]!.body).toMatchObject({ model: 'stand-in', stream: true });
    const user = llm.requests[0]!.body.messages.find((m) => m.role === 'user')!.content;
    expect(user).toMatch(/^Passages:\n\[1\] Shipping and delivery\n/);
    expect(user).toMatch(/Question: how long does delivery take\?$/);
    expect(llm.requests[0]!.body.messages[0]!.content).toMatch(/only the numbered help-centre passages/);
  });

  it("the model's refusal is no answer and is never shown; an answer citing nothing is shown, then refused", async () => {
    const kb = await service();
    const told: string[] = [];
    llm.mode = { kind: 'text', text: 'NO_ANSWER' };
    expect((await kb.answer(QUESTION, (t) => told.push(t))).answered).toBe(false);
    expect(told).toEqual([]);
    llm.mode = { kind: 'text', text: 'Probably about a week.' };
    expect((await kb.answer(QUESTION, (t) => told.push(t))).answered).toBe(false);
    // What was shown is replaced by the refusal the caller now sends.
    expect(told.at(-1)).toBe('Probably about a week.');
  });

  it('a stall past the timeout, a cut stream, an HTTP error or a malformed reply falls back to the extract', async () => {
    const errors: unknown[] = [];
    const kb = await service(errors, 1000);
    const modes = [
      { kind: 'stall', text: 'Standard delivery takes' },
      { kind: 'cut', text: 'Standard delivery takes' },
      { kind: 'error' },
      { kind: 'junk' },
    ] as const;
    for (const mode of modes) {
      llm.mode = mode;
      const told: string[] = [];
      const answer = await kb.answer(QUESTION, (t) => told.push(t));
      expect(answer.answered).toBe(true);
      if (answer.answered) {
        expect(answer.generated).toBeUndefined();
        expect(answer.text).toMatch(/working days/);
      }
      // The stall and the cut had shown words: the extract replaces them.
      expect(told.length > 0).toBe(mode.kind === 'stall' || mode.kind === 'cut');
    }
    expect(errors).toHaveLength(4);
  });

  it('asks nothing for a question below the confidence gate, nor for a plain lookup', async () => {
    llm.mode = { kind: 'text', text: CITED };
    const kb = await service();
    llm.requests.length = 0;
    const plain = await kb.lookup(QUESTION);
    expect(plain.answered).toBe(true);
    expect(plain).not.toHaveProperty('generated');
    expect((await kb.answer('who won the football world cup in 1998?')).answered).toBe(false);
    expect(llm.requests).toHaveLength(0);
  });

  it("the chat's help centre asks the model only for the answer it shows, not for every lookup", async () => {
    llm.mode = { kind: 'text', text: CITED };
    const kb = await service();
    const centre = helpCentreAdapter(kb);
    llm.requests.length = 0;
    expect((await centre.lookup(QUESTION)).answer?.text).toMatch(/^Orders placed|working days/);
    expect(llm.requests).toHaveLength(0);
    const told: string[] = [];
    const shown = await centre.answer!(QUESTION, (t) => told.push(t));
    expect(shown.answer).toMatchObject({
      text: expect.stringMatching(/\[1\]\.$/),
      title: 'Shipping and delivery',
    });
    expect(told.at(-1)?.trim()).toBe(CITED);
    expect(llm.requests).toHaveLength(1);
    const store = new MemoryKbStore();
    await seedDemoHelpCentre(store);
    expect(helpCentreAdapter(new KbService(store, encoder)).answer).toBeUndefined();
  });

  it('reads a server that ignores stream: true and sends one completion', async () => {
    const reply = new Response(JSON.stringify({ choices: [{ message: { content: CITED } }] }), {
      headers: { 'content-type': 'application/json' },
    });
    expect(await readChatCompletion(reply)).toBe(CITED);
  });

  it('reads citations and refusals, and never shows a reply that may still be the refusal', () => {
    expect(readWrittenAnswer('Yes [2], see also [9] and [2].', 3)).toEqual({
      text: 'Yes [2], see also [9] and [2].',
      cited: [2],
    });
    expect(readWrittenAnswer('  NO_ANSWER ', 3)).toBe('refused');
    expect(readWrittenAnswer('', 3)).toBe('refused');
    expect(['', ' N', 'NO_', 'NO_ANSWER', 'NO_ANSWER.'].map(shownSoFar)).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(['No, we', 'Northwind', ' Yes'].map(shownSoFar)).toEqual(['No, we', 'Northwind', 'Yes']);
  });
});
