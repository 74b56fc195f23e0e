// Streams the elements of a top-level JSON array, one object at a time, with the line each
// starts on. Hand-written because no streaming JSON parser is among the dependencies and the
// job is small: track string/escape state and bracket depth, cut each depth-1 object out and
// hand it to JSON.parse. Memory is bounded by the largest single element, not the file.

/** An array element (an object) with its starting line, or a problem at a line. */
export type JsonElement = { line: number; record: Record<string, unknown> } | { line: number; error: string };

/** Yields each element of a top-level JSON array read from a byte or text stream. */
export async function* streamJsonArray(
  stream: AsyncIterable<Buffer | string> | Iterable<Buffer | string> | NodeJS.ReadableStream,
): AsyncGenerator<JsonElement> {
  let line = 1;
  let depth = 0; // 0 = before the array, 1 = inside it, >1 = inside an element
  let inString = false;
  let escaped = false;
  let started = false;
  let ended = false;
  let buf: string[] = [];
  let startLine = 0;
  let strayAt = 0; // line of a non-object element being skipped, 0 when none
  const decoder = new TextDecoder();
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let from = -1; // start of the element part inside this chunk
    if (depth > 1) from = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c === '\n') line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (ended) {
        if (!/\s/.test(c)) {
          yield { line, error: 'unexpected content after the closing ]' };
          return;
        }
        continue;
      }
      if (!started) {
        if (/\s/.test(c) || c === '\ufeff') continue;
        if (c !== '[') {
          yield { line, error: 'a .json catalog must be an array of products ([{...}, ...])' };
          return;
        }
        started = true;
        depth = 1;
        continue;
      }
      if (depth === 1) {
        if (c === '{') {
          depth = 2;
          from = i;
          startLine = line;
          strayAt = 0;
        } else if (c === ']') {
          if (strayAt) yield { line: strayAt, error: 'not a JSON object' };
          ended = true;
        } else if (c === ',') {
          if (strayAt) yield { line: strayAt, error: 'not a JSON object' };
          strayAt = 0;
        } else if (!/\s/.test(c)) {
          if (!strayAt) strayAt = line;
          if (c === '"') inString = true;
          else if (c === '[') depth = 2; // a nested array as element: skipped as one stray value
        }
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 1) {
          if (strayAt) {
            from = -1;
            continue;
          }
          buf.push(text.slice(from, i + 1));
          from = -1;
          const body = buf.join('');
          buf = [];
          try {
            yield { line: startLine, record: JSON.parse(body) as Record<string, unknown> };
          } catch (error) {
            yield { line: startLine, error: `invalid JSON: ${(error as Error).message}` };
          }
        }
      }
    }
    if (depth > 1 && from >= 0 && !strayAt) buf.push(text.slice(from));
  }
  if (!started) yield { line, error: 'empty file: expected a JSON array of products' };
  else if (!ended) yield { line, error: 'file ends inside the array (missing ])' };
}
