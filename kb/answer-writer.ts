import type { KbHit } from './types.js';

/** What a model replies when the passages do not answer the question. */
const REFUSAL = 'NO_ANSWER';

/** Told the text so far while an answer is written (the chat shows it as it grows). */
export type OnAnswerText = (soFar: string) => void;

/**
 * Writes an answer from retrieved passages only (a local LLM behind an OpenAI-compatible API, wired
 * in server/). `passages` are numbered from 1 in the order given; the answer cites them as [n].
 */
export interface AnswerWriter {
  /**
   * The written answer with the passages it cites, or `refused` when they do not support one.
   * `onText` is told the text so far while the model writes (see `shownSoFar`).
   */
  write(
    question: string,
    passages: readonly KbHit[],
    onText?: OnAnswerText,
  ): Promise<WrittenAnswer | 'refused'>;
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
  if (text === '' || text.includes(REFUSAL)) return 'refused';
  const cited = [...new Set([...text.matchAll(/\[(\d{1,2})\]/g)].map((m) => Number(m[1])))].filter(
    (n) => n >= 1 && n <= passageCount,
  );
  return cited.length > 0 ? { text, cited } : 'refused';
}

/**
 * The part of a reply being written that may be shown: nothing while it could still be the refusal
 * marker (the customer must never see "NO_ANS…"), else the text so far. Whether the whole reply is
 * an answer is only known at its end (`readWrittenAnswer`); what was shown is then replaced. Pure.
 */
export function shownSoFar(reply: string): string | null {
  const text = reply.trimStart();
  if (text === '' || REFUSAL.startsWith(text.slice(0, REFUSAL.length)) || text.includes(REFUSAL)) return null;
  return text;
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
      content: `You answer a shop's customers using only the numbered help-centre passages given. Answer in at most three short sentences and cite the passages you used as [1], [2]. If the passages do not answer the question, reply exactly ${REFUSAL}.`,
    },
    { role: 'user', content: `Passages:\n${numbered}\n\nQuestion: ${question}` },
  ];
}
