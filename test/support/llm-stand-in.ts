// A local stand-in for an OpenAI-compatible model server (Ollama, llama.cpp server, vLLM): no model
// weights are available here, so tests script its replies. POST /v1/chat/completions answers
// `stream: true` requests with server-sent events (one `data:` chunk per word, then [DONE]) and
// other requests with one JSON completion. Every request is kept for inspection.
import { createServer, type ServerResponse } from 'node:http';

/** What the stand-in replies next. */
export type StandInMode =
  | { kind: 'text'; text: string }
  /** Writes `text`, then stalls (never finishes): the caller's timeout must fire. */
  | { kind: 'stall'; text: string }
  /** Writes `text`, then ends the stream without [DONE]. */
  | { kind: 'cut'; text: string }
  | { kind: 'error' }
  | { kind: 'junk' };

/** A request the stand-in received. */
export interface StandInRequest {
  url: string;
  body: { model: string; stream?: boolean; messages: Array<{ role: string; content: string }> };
}

/** A running stand-in. */
export interface LlmStandIn {
  baseUrl: string;
  requests: StandInRequest[];
  mode: StandInMode;
  /** Milliseconds between streamed chunks. */
  chunkDelayMs: number;
  /** Streams this many chunks, then waits until the returned function is called. */
  holdAfter(chunks: number): () => void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the stand-in on an ephemeral loopback port. */
export async function startLlmStandIn(
  mode: StandInMode = { kind: 'text', text: 'OK [1].' },
): Promise<LlmStandIn> {
  let hold: { after: number; released: Promise<void> } | undefined;
  const standIn: LlmStandIn = {
    baseUrl: '',
    requests: [],
    mode,
    chunkDelayMs: 5,
    holdAfter(chunks) {
      let release!: () => void;
      hold = { after: chunks, released: new Promise<void>((r) => (release = r)) };
      return release;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
  const stream = async (res: ServerResponse, text: string, end: 'done' | 'stall' | 'cut') => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const words = text.match(/\S+\s*/g) ?? [];
    for (let i = 0; i < words.length; i++) {
      if (hold && i === hold.after) await hold.released;
      const chunk = {
        object: 'chat.completion.chunk',
        choices: [{ index: 0, delta: { content: words[i] } }],
      };
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      await sleep(standIn.chunkDelayMs);
    }
    if (end === 'done')
      res.end('data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n');
    else if (end === 'cut') res.end();
  };
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw) as StandInRequest['body'];
      standIn.requests.push({ url: req.url ?? '', body });
      const m = standIn.mode;
      if (m.kind === 'error') return void res.writeHead(500).end('model not loaded');
      if (m.kind === 'junk') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      if (body.stream) return void stream(res, m.text, m.kind === 'text' ? 'done' : m.kind);
      if (m.kind !== 'text') return; // a non-streamed stall or cut: no reply at all
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: m.text } }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  standIn.baseUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return standIn;
}
