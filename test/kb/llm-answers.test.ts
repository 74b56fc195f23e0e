// Optional generative answers against a local stand-in that speaks the OpenAI-compatible
// /v1/chat/completions API (no model weights here): the model sees only the retrieved passages and
// must cite them; its refusal stands; a timeout, an HTTP error or a malformed reply falls back to
// the extractive answer; nothing is sent for a question below the confidence gate.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KbService, MemoryKbStore, readWrittenAnswer, seedDemoHelpCentre } from '../../kb/index.js';
import { createUseLiteEncoder, type SentenceEncoder } from '../../nlu/index.js';
import { helpCentreAdapter } from '../../server/help-centre-adapter.js';
import { createLlmAnswerWriter } from '../../server/llm-answer-writer.js';

type Mode = 'cite' | 'refuse' | 'uncited' | 'slow' | 'error' | 'junk';
let mode: Mode = 'cite';
const requests: Array<{
  url: string;
  body: { model: string; messages: Array<{ role: string; content: string }> };
}> = [];
let server: Server;
let baseUrl: string;
let encoder: SentenceEncoder;

beforeAll(async () => {
  encoder = await createUseLiteEncoder();
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      requests.push({ url: req.url ?? '', body: JSON.parse(raw) });
      const send = (content: string) =>
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }));
      if (mode === 'cite') send('Standard delivery takes 3 to 5 working days in the United States [1].');
      else if (mode === 'refuse') send('NO_ANSWER');
      else if (mode === 'uncited') send('Probably about a week.');
      else if (mode === 'slow') setTimeout(() => send('Too late [1].'), 1500);
      else if (mode === 'error') res.writeHead(500).end('model not loaded');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  baseUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await encoder?.dispose();
});

async function service(errors: unknown[] = []): Promise<KbService> {
  const store = new MemoryKbStore();
  await seedDemoHelpCentre(store);
  const writer = createLlmAnswerWriter({ baseUrl: `${baseUrl}/v1/`, model: 'stand-in', timeoutMs: 400 });
  return new KbService(store, encoder, { writer, onWriterError: (e) => errors.push(e) });
}

describe('generative answers through an OpenAI-compatible server', () => {
  it('writes the answer from the retrieved passages only, citing them, with the cited source', async () => {
    mode = 'cite';
    const kb = await service();
    requests.length = 0;
    const answer = await kb.answer('how long does delivery take?');
    expect(answer).toMatchObject({
      answered: true,
      generated: true,
      text: 'Standard delivery takes 3 to 5 working days in the United States [1].',
      title: 'Shipping and delivery',
      source: 'https://northwind.example/help/shipping',
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.url).toBe('/v1/chat/completions');
    expect(requests[0]!.body.model).toBe('stand-in');
    const user = requests[0]!.body.messages.find((m) => m.role === 'user')!.content;
    expect(user).toMatch(/^Passages:\n\[1\] Shipping and delivery\n/);
    expect(user).toMatch(/Question: how long does delivery take\?$/);
    expect(requests[0]!.body.messages[0]!.content).toMatch(/only the numbered help-centre passages/);
  });

  it("the model's refusal, or an answer citing nothing, is no answer", async () => {
    const kb = await service();
    mode = 'refuse';
    expect((await kb.answer('how long does delivery take?')).answered).toBe(false);
    mode = 'uncited';
    expect((await kb.answer('how long does delivery take?')).answered).toBe(false);
  });

  it('a timeout, an HTTP error or a malformed reply falls back to the extract', async () => {
    const errors: unknown[] = [];
    const kb = await service(errors);
    for (const m of ['slow', 'error', 'junk'] as const) {
      mode = m;
      const answer = await kb.answer('how long does delivery take?');
      expect(answer.answered).toBe(true);
      if (answer.answered) {
        expect(answer.generated).toBeUndefined();
        expect(answer.text).toMatch(/working days/);
      }
    }
    expect(errors).toHaveLength(3);
  });

  it('asks nothing for a question below the confidence gate, nor for a plain lookup', async () => {
    mode = 'cite';
    const kb = await service();
    requests.length = 0;
    const plain = await kb.lookup('how long does delivery take?');
    expect(plain.answered).toBe(true);
    expect(plain).not.toHaveProperty('generated');
    expect((await kb.answer('who won the football world cup in 1998?')).answered).toBe(false);
    expect(requests).toHaveLength(0);
  });

  it("the chat's help centre asks the model only for the answer it shows, not for every lookup", async () => {
    mode = 'cite';
    const kb = await service();
    const centre = helpCentreAdapter(kb);
    requests.length = 0;
    expect((await centre.lookup('how long does delivery take?')).answer?.text).toMatch(
      /^Orders placed|working days/,
    );
    expect(requests).toHaveLength(0);
    const shown = await centre.answer!('how long does delivery take?');
    expect(shown.answer).toMatchObject({
      text: expect.stringMatching(/\[1\]\.$/),
      title: 'Shipping and delivery',
    });
    expect(requests).toHaveLength(1);
    const store = new MemoryKbStore();
    await seedDemoHelpCentre(store);
    expect(helpCentreAdapter(new KbService(store, encoder)).answer).toBeUndefined();
  });

  it('reads citations and refusals', () => {
    expect(readWrittenAnswer('Yes [2], see also [9] and [2].', 3)).toEqual({
      text: 'Yes [2], see also [9] and [2].',
      cited: [2],
    });
    expect(readWrittenAnswer('  NO_ANSWER ', 3)).toBe('refused');
    expect(readWrittenAnswer('', 3)).toBe('refused');
  });
});
