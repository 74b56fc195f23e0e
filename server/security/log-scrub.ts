import type { DestinationStream } from 'pino';

// The last line of defence for secrets in logs: every finished log line is rewritten before it is
// written. Path redaction (logger.ts) only knows field names; a token also travels inside request
// URLs (the Web Chat stream URL carries "?t=<token>"), error messages and free text, so shapes of
// credentials and the configured secret values themselves are replaced wherever they appear.

/** Query parameters that carry credentials. */
const SECRET_QUERY =
  /([?&](?:t|token|access_token|refresh_token|id_token|code|key|api_?key|secret|sig|signature|password|userToken)=)[^&#\s"\\]+/gi;
/** "Authorization: Bearer x" / "Basic x" wherever it shows up as text. */
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
/** Any JWT (Direct Line tokens, visitor cookies, shop user tokens): header.payload.signature. */
const JWT = /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
/** Slack bot, user and app-level tokens. */
const SLACK_TOKEN = /\b(?:xox[a-z]|xapp)-[A-Za-z0-9-]+/g;
/** Admin API keys: the public prefix stays (it names the key), the secret part goes. */
const API_KEY = /\b(mkt_[A-Za-z0-9]{8}_)[A-Za-z0-9_-]{43}/g;
/** The web-chat identity cookie in a Cookie or Set-Cookie text. */
const VISITOR_COOKIE = /(mkt_chat_id=)[^;\s"\\]+/g;

/** Shortest configured value treated as a secret to search for (shorter ones match too much). */
const MIN_SECRET_LENGTH = 8;

/** Replaces credentials and the given secret values in one line of text. */
export function scrubSecrets(line: string, secrets: readonly string[] = []): string {
  let out = line
    .replace(SECRET_QUERY, '$1[redacted]')
    .replace(AUTH_SCHEME, '$1 [redacted]')
    .replace(JWT, '[jwt]')
    .replace(SLACK_TOKEN, '[slack-token]')
    .replace(API_KEY, '$1[redacted]')
    .replace(VISITOR_COOKIE, '$1[redacted]');
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('[secret]');
  return out;
}

/**
 * The secret values in an environment: every variable whose name says SECRET, TOKEN, PASSWORD or
 * KEY, the parts of "id:key,id:key" lists, and passwords inside connection URLs.
 */
export function secretValuesOf(env: Record<string, unknown>): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (typeof value !== 'string' || value === '') continue;
    if (/SECRET|TOKEN|PASSWORD|KEY/.test(name)) {
      values.add(value);
      for (const part of value.split(/[,:]/)) values.add(part.trim());
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
      try {
        const password = decodeURIComponent(new URL(value).password);
        if (password) values.add(password);
      } catch {
        // not a URL after all
      }
    }
  }
  // Longest first, so a secret that contains another is replaced whole.
  return [...values].filter((v) => v.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** Wraps a pino destination so every line is scrubbed before it is written. */
export function scrubbingDestination(sink: DestinationStream, secrets: readonly string[]): DestinationStream {
  const flushable = sink as DestinationStream & { flush?: (cb?: (err?: Error) => void) => void };
  return {
    write: (line: string) => sink.write(scrubSecrets(line, secrets)),
    ...(flushable.flush ? { flush: (cb?: (err?: Error) => void) => flushable.flush!(cb) } : {}),
  } as DestinationStream;
}
