// Reads an OpenAI-compatible chat completion as it is written: `stream: true` replies are
// server-sent events, one `data: {json}` line per chunk carrying `choices[0].delta.content`, ended
// by `data: [DONE]`. A server that ignores `stream` and sends one JSON completion is read too.
import { z } from 'zod';

const ZChunk = z.object({
  choices: z.array(z.object({ delta: z.object({ content: z.string().nullish() }).partial() })),
});
const ZCompletion = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

/** Thrown when the reply is not a chat completion (the caller falls back). */
export class MalformedCompletionError extends Error {}

/** The whole reply text; `onText` gets the text so far after every chunk that adds to it. */
export async function readChatCompletion(
  response: Response,
  onText?: (soFar: string) => void,
): Promise<string> {
  if (!response.body) throw new MalformedCompletionError('no body');
  if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
    const parsed = ZCompletion.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw new MalformedCompletionError('no chat completion');
    return parsed.data.choices[0]!.message.content ?? '';
  }
  let text = '';
  let done = false;
  for await (const data of eventData(response.body)) {
    if (data === '[DONE]') {
      done = true;
      break;
    }
    const chunk = ZChunk.safeParse(safeJson(data));
    if (!chunk.success) throw new MalformedCompletionError('a stream chunk is not a completion chunk');
    const delta = chunk.data.choices[0]?.delta.content ?? '';
    if (delta === '') continue;
    text += delta;
    onText?.(text);
  }
  // A stream cut before [DONE] is an unfinished answer, not a short one.
  if (!done) throw new MalformedCompletionError('the stream ended before [DONE]');
  return text;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The `data:` payloads of a server-sent event stream, one per event. */
async function* eventData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  const reader = body.getReader();
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      buffer += decoder.decode(read.value, { stream: true });
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).replace(/\r$/, '');
        buffer = buffer.slice(newline + 1);
        if (line === '') {
          if (data.length > 0) yield data.join('\n');
          data = [];
        } else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
    }
    if (data.length > 0) yield data.join('\n');
  } finally {
    // The reader stops here when [DONE] came first or the caller gave up: the connection is freed.
    await reader.cancel().catch(() => undefined);
  }
}
