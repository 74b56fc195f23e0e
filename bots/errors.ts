// Error catalogue of the bots capability: stable string codes, the original error kept as `cause`.
// HTTP statuses are chosen at the edge (the Fastify plugins), never inside the dialog core.

import { CodedError } from '../errors/index.js';

/** Stable codes of every bots error. */
export type BotErrorCode =
  | 'BOT_STATE_CONFLICT'
  | 'BOT_TURN_ANSWERED'
  | 'BOT_STATE_INVALID'
  | 'BOT_TOKEN_INVALID'
  | 'BOT_TOKEN_EXPIRED'
  | 'BOT_TOKEN_FORBIDDEN'
  | 'BOT_ACTIVITY_INVALID'
  | 'BOT_CONVERSATION_NOT_FOUND'
  | 'BOT_SLACK_SIGNATURE'
  | 'BOT_SLACK_PAYLOAD'
  | 'BOT_CONFIG';

/** Base class of bots errors; `code` is stable and safe to match on. */
export class BotError extends CodedError<BotErrorCode> {
  override name = 'BotError';
}

/** Another process saved the conversation state first (optimistic concurrency). */
export class StateConflictError extends BotError {
  constructor(conversationId: string, options?: { cause?: unknown }) {
    super('BOT_STATE_CONFLICT', `conversation ${conversationId}: state was changed concurrently`, options);
    this.name = 'StateConflictError';
  }
}

/** The message a turn answers was answered already (a resend raced the turn it resumed). */
export class TurnAnsweredError extends BotError {
  constructor(conversationId: string, options?: { cause?: unknown }) {
    super('BOT_TURN_ANSWERED', `conversation ${conversationId}: this message was answered already`, options);
    this.name = 'TurnAnsweredError';
  }
}

/** A Direct Line token is malformed, unsigned by us, or for another conversation. */
export class TokenError extends BotError {
  constructor(
    code: 'BOT_TOKEN_INVALID' | 'BOT_TOKEN_EXPIRED' | 'BOT_TOKEN_FORBIDDEN',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'TokenError';
  }
}

/** An inbound activity failed validation; `reason` is safe to show to the client. */
export class ActivityInvalidError extends BotError {
  constructor(readonly reason: string) {
    super('BOT_ACTIVITY_INVALID', `invalid activity: ${reason}`);
    this.name = 'ActivityInvalidError';
  }
}

/** Bad plugin options, raised at registration rather than on the first request. */
export class BotConfigError extends BotError {
  constructor(message: string) {
    super('BOT_CONFIG', message);
    this.name = 'BotConfigError';
  }
}
