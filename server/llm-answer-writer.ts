// Optional generative answers: a local OpenAI-compatible server (Ollama, llama.cpp server, vLLM)
// at LLM_BASE_URL writes the answer from the retrieved passages only (kb/answer-writer.ts), streamed
// (`stream: true`) so the chat can show it as it is written. No cloud default. A timeout, an HTTP
// error or a malformed reply throws, and the knowledge base then answers with its extract.
import { answerPrompt, KbError, readWrittenAnswer, type AnswerWriter } from '../kb/index.js';
import { MalformedCompletionError, readChatCompletion } from './llm-stream.js';

/** Where the model runs and how long an answer may take. */
export interface LlmOptions {
  /** e.g. http://127.0.0.1:11434 (the /v1/chat/completions path is appended). */
  baseUrl: string;
  model: string;
  /** The whole answer, first token to last, must arrive within this. */
  timeoutMs: number;
}

/** An AnswerWriter over `POST {baseUrl}/v1/chat/completions`. */
export function createLlmAnswerWriter(options: LlmOptions): AnswerWriter {
  const url = `${options.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1/chat/completions`;
  return {
    write: async (question, passages, onText) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({
          model: options.model,
          messages: answerPrompt(question, passages),
          temperature: 0,
          stream: true,
        }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (!response.ok) throw new KbError('KB_LLM', `the model server answered ${response.status}`);
      try {
        return readWrittenAnswer(await readChatCompletion(response, onText), passages.length);
      } catch (error) {
        if (error instanceof MalformedCompletionError)
          throw new KbError('KB_LLM', `the model server sent no chat completion: ${error.message}`, {
            cause: error,
          });
        throw error;
      }
    },
  };
}
