import pino, { type DestinationStream, type Logger } from 'pino';
import { scrubbingDestination, secretValuesOf } from './log-scrub.js';

// Structured JSON logs with two layers of protection: pino redaction removes secrets and direct
// personal fields by path, and a PII masker rewrites free text (messages, utterances) that may
// contain an e-mail or phone number. The NLU module's `maskPII` is passed in by the composition
// root; `basicMaskPII` is the fallback until then. Finally every written line is scrubbed of
// credential shapes and the configured secret values (log-scrub.ts), request URLs included.

/** Paths whose values never reach a log line (secrets and direct personal fields). */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-slack-signature"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  'password',
  'token',
  'secret',
  'apiKey',
  'email',
  'phone',
  '*.authorization',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.secret',
  '*.clientSecret',
  '*.apiKey',
  '*.email',
  '*.phone',
  '*.ENCRYPTION_KEY',
  '*.TOKEN_SECRET',
  '*.SLACK_BOT_TOKEN',
  '*.SLACK_APP_TOKEN',
  '*.SLACK_SIGNING_SECRET',
  '*.MICROSOFT_APP_PASSWORD',
  'ENCRYPTION_KEY',
  'TOKEN_SECRET',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'MICROSOFT_APP_PASSWORD',
];

/** Log fields holding free text typed by people: masked, not removed, so logs stay useful. */
export const FREE_TEXT_FIELDS = ['text', 'utterance', 'message', 'answer', 'query', 'comment'];

/** Rewrites personal data found in free text. */
export type PiiMasker = (text: string) => string;

/** Fallback masker: e-mail addresses, phone-like digit runs and card-like numbers. */
export function basicMaskPII(text: string): string {
  return text
    .replace(/[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu, '[email]')
    .replace(/(?<![\w-])\+?\d(?:[\s().-]?\d){6,18}(?![\w-])/g, '[number]');
}

/** Options of the logger factory. */
export interface SecureLoggerOptions {
  level?: string;
  /** the NLU masker; defaults to `basicMaskPII` */
  maskPII?: PiiMasker;
  destination?: DestinationStream;
  /** static fields on every line (service name, process role) */
  base?: Record<string, unknown>;
  /** secret values replaced wherever they appear in a line; default: those of process.env */
  secrets?: readonly string[];
}

/** Builds a pino logger with redaction and PII masking. */
export function createSecureLogger(options: SecureLoggerOptions = {}): Logger {
  const mask = options.maskPII ?? basicMaskPII;
  const maskFields = (object: Record<string, unknown>): Record<string, unknown> => {
    let copy: Record<string, unknown> | undefined;
    for (const field of FREE_TEXT_FIELDS) {
      const value = object[field];
      if (typeof value === 'string') {
        copy ??= { ...object };
        copy[field] = mask(value);
      }
    }
    return copy ?? object;
  };
  return pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? { pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { log: maskFields },
      hooks: {
        // The message string itself may carry user text ("no intent for <utterance>").
        logMethod(args, method) {
          const masked = args.map((arg) => (typeof arg === 'string' ? mask(arg) : arg)) as typeof args;
          return method.apply(this, masked);
        },
      },
    },
    scrubbingDestination(
      // pino's own default: stdout, buffered, flushed on exit.
      options.destination ?? pino.destination({ dest: 1, sync: false }),
      options.secrets ?? secretValuesOf(process.env),
    ),
  );
}
