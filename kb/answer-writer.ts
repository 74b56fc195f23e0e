import type { KbHit } from './types.js';

/**
 * Writes an answer from retrieved passages only (a local LLM behind an OpenAI-compatible API, wired
 * in server/). `passages` are numbered from 1 in the order given; the answer cites them as [n].
 */
export interface AnswerWriter {
  /** The written answer with the passages it cites, or `refused` when they do not support one. */
  write(question: string, passages: readonly KbHit[]): Promise<WrittenAnswer | 'refused'>;
}

/** A written answer. */
export interface WrittenAnswer {
  text: string;
  /** 1-based numbers of the passages cited. */
  cited: number[];
}

/**
 * Reads a model's reply: the refusal marker, or the text with the passage numbers it cites. A reply
 * that cites nothing it was given is treated as unsupported (refused). Pure.
 */
export function readWrittenAnswer(reply: string, passageCount: number): WrittenAnswer | 'refused' {
  const text = reply.trim();
  if (text === '' || /\bNO_ANSWER\b/.test(text)) return 'refused';
  const cited = [...new Set([...text.matchAll(/\[(\d{1,2})\]/g)].map((m) => Number(m[1])))].filter(
    (n) => n >= 1 && n <= passageCount,
  );
  return cited.length > 0 ? { text, cited } : 'refused';
}

/** The instructions a model gets: the passages only, citations, and the refusal marker. */
export function answerPrompt(
  question: string,
  passages: readonly KbHit[],
): Array<{ role: string; content: string }> {
  const numbered = passages.map((p, i) => `[${i + 1}] ${p.title}\n${p.chunk.text}`).join('\n\n');
  return [
    {
      role: 'system',
      content:
        "You answer a shop's customers using only the numbered help-centre passages given. Answer in at most three short sentences and cite the passages you used as [1], [2]. If the passages do not answer the question, reply exactly NO_ANSWER.",
    },
    { role: 'user', content: `Passages:\n${numbered}\n\nQuestion: ${question}` },
  ];
}
