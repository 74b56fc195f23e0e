// Optional generative answers: a local OpenAI-compatible server (Ollama, llama.cpp server, vLLM)
// at LLM_BASE_URL writes the answer from the retrieved passages only (kb/answer-writer.ts). No
// cloud default. A timeout, an HTTP error or a malformed reply throws, and the knowledge base then
// answers with its extract.
import { z } from 'zod';
import { answerPrompt, KbError, readWrittenAnswer, type AnswerWriter } from '../kb/index.js';

const ZCompletion = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

/** Where the model runs and how long an answer may take. */
export interface LlmOptions {
  /** e.g. http://127.0.0.1:11434 (the /v1/chat/completions path is appended). */
  baseUrl: string;
  model: string;
  timeoutMs: number;
}

/** An AnswerWriter over `POST {baseUrl}/v1/chat/completions`. */
export function createLlmAnswerWriter(options: LlmOptions): AnswerWriter {
  const url = `${options.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1/chat/completions`;
  return {
    write: async (question, passages) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: options.model,
          messages: answerPrompt(question, passages),
          temperature: 0,
          stream: false,
        }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (!response.ok) throw new KbError('KB_LLM', `the model server answered ${response.status}`);
      const parsed = ZCompletion.safeParse(await response.json());
      if (!parsed.success) throw new KbError('KB_LLM', 'the model server sent no chat completion');
      return readWrittenAnswer(parsed.data.choices[0]!.message.content ?? '', passages.length);
    },
  };
}
