import { contentTerms, sentences } from './text.js';

/** Longest extract returned (characters): a chat bubble, not a page. */
export const MAX_EXTRACT_CHARS = 420;

/**
 * The sentences of a passage that answer a query: the sentence sharing the most content terms with
 * the query (the first one on a tie or none) and the sentences after it while they fit, since an
 * answer usually continues ("Returns are free. Print the label from ..."). Short passages are
 * returned whole.
 */
export function extractAnswer(query: string, passage: string, maxChars = MAX_EXTRACT_CHARS): string {
  const text = passage.trim();
  if (text.length <= maxChars) return text;
  const parts = sentences(text);
  const wanted = contentTerms(query);
  let best = 0;
  let bestScore = -1;
  parts.forEach((sentence, i) => {
    let score = 0;
    for (const term of contentTerms(sentence)) if (wanted.has(term)) score++;
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  const out: string[] = [];
  let length = 0;
  for (let i = best; i < parts.length; i++) {
    const s = parts[i]!;
    if (out.length > 0 && length + s.length + 1 > maxChars) break;
    out.push(s);
    length += s.length + 1;
  }
  const joined = out.join(' ');
  return joined.length > maxChars ? `${joined.slice(0, maxChars - 1).trimEnd()}…` : joined;
}
