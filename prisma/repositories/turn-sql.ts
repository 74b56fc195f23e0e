// The two writes of a chat turn as single SQL statements (a conversation's first turn, which also
// creates the customer, identity and conversation, is one statement more). Through Prisma's query builder a turn
// took five round trips (conversation, handoff, user message, state, bot message), each one a
// compiled query plan plus a result interpreted on the main thread: about 1 ms of CPU apiece,
// a quarter of a turn. Here a turn is two statements, each atomic on its own:
//   1. read the conversation and store the user's message (skipped on a retried activity id, which
//      then says whether that message was answered);
//   2. save the state if its etag still matches, store the bot's messages and mark the user's
//      message answered, or write nothing (also when another turn answered that message first).
// On PostgreSQL the server runs them on the pool as named prepared statements (parsed and planned
// once per connection; through Prisma's raw queries each cost ~0.2 ms more Node CPU per turn and a
// fresh plan in PostgreSQL); elsewhere (PGlite, tests) they go through Prisma's raw query.
// Table and column names are those of prisma/schema.prisma; the bots' store contract tests run
// these on PGlite and PostgreSQL, through both paths.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../generated/client.js';
import type { ChannelName, StoredMessage } from '../../bots/ports.js';

/** Runs one named statement with positional parameters and returns its rows. */
export type SqlStatementRunner = <R>(
  statement: { name: string; text: string },
  values: readonly unknown[],
) => Promise<R[]>;

/** The same statements through Prisma's raw queries (PGlite, or no pool at hand). */
export function prismaStatements(prisma: PrismaClient): SqlStatementRunner {
  return <R>(statement: { name: string; text: string }, values: readonly unknown[]) =>
    prisma.$queryRawUnsafe<R[]>(statement.text, ...values);
}

/** What statement 1 returns for an existing conversation that already has its customer. */
export interface BegunRow {
  id: string;
  customerId: string;
  state: unknown;
  stateEtag: number;
  handoffOpen: boolean;
  inserted: number;
  /** For a retried activity id: whether its turn stored a reply (null when nothing was retried). */
  answered: boolean | null;
}

// TIMESTAMP(3) columns hold UTC wall time (as Prisma writes them); the database's now() would be
// in the session's time zone, so timestamps are formatted here.
function utcTimestamp(at: number): string {
  return new Date(at).toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * The tail both begin-turn statements share: the user's message inserted into the conversation
 * row `from` (ignored when its activity id was stored already), then the turn's read of that row.
 * `first` is the parameter number of the first of `messageValues`; `createdAt` is the timestamp's.
 */
function storeMessageThenRead(from: string, first: number, createdAt: number): string {
  const $ = (k: number) => `$${first + k}`;
  return `ins AS (
      INSERT INTO "Message" ("id", "conversationId", "direction", "activityId", "text", "intent",
        "confidence", "sentiment", "entities", "createdAt")
      SELECT ${$(0)}, ${from}."id", ${$(1)}, ${$(2)}, ${$(3)}, ${$(4)}, ${$(5)}::float8, ${$(6)}::float8,
        ${$(7)}::jsonb, $${createdAt}::timestamp(3)
      FROM ${from}
      ON CONFLICT ("conversationId", "activityId") DO NOTHING
      RETURNING 1
    )
    SELECT ${from}."id", ${from}."customerId", ${from}."state", ${from}."stateEtag",
      -- A handoff the retried message itself opened (its turn key, bots' turnKey()) does not count:
      -- the resend finishes that turn as it began instead of relaying the request to the handoff.
      EXISTS (SELECT 1 FROM "Handoff" h WHERE h."conversationId" = ${from}."id"
        AND h."status" IN ('open', 'claimed')
        AND (${$(2)}::text IS NULL OR h."turnKey" IS DISTINCT FROM (${from}."id" || ':' || ${$(2)}::text)))
        AS "handoffOpen",
      (SELECT count(*) FROM ins)::int AS "inserted",
      -- The statement's snapshot does not see its own insert: this reads only a retried message.
      (SELECT m."answeredAt" IS NOT NULL FROM "Message" m
        WHERE m."conversationId" = ${from}."id" AND m."activityId" = ${$(2)}) AS "answered"
    FROM ${from}`;
}

/** The message's parameters, in the order `storeMessageThenRead` numbers them from `first`. */
function messageValues(message: StoredMessage & { text: string }): unknown[] {
  return [
    randomUUID(),
    message.direction,
    message.activityId ?? null,
    message.text,
    message.intent ?? null,
    message.confidence ?? null,
    message.sentiment ?? null,
    message.entities ? JSON.stringify(message.entities) : null,
  ];
}

const BEGIN_TURN = {
  name: 'bots_begin_turn_v3',
  text: `
    WITH c AS (
      SELECT "id", "customerId", "state", "stateEtag" FROM "Conversation"
      WHERE "channel" = $1::"Channel" AND "externalId" = $2 AND "customerId" IS NOT NULL
    ), ${storeMessageThenRead('c', 3, 11)}`,
};

/**
 * Reads the conversation (state, etag, open handoff) and inserts the user's message in one
 * statement. Returns null when the conversation or its customer does not exist yet (first turn).
 */
export async function beginTurnSql(
  sql: SqlStatementRunner,
  ref: { channel: ChannelName; externalId: string },
  message: StoredMessage & { text: string },
): Promise<BegunRow | null> {
  const rows = await sql<BegunRow>(BEGIN_TURN, [
    ref.channel,
    ref.externalId,
    ...messageValues(message),
    utcTimestamp(Date.now()),
  ]);
  return rows[0] ?? null;
}

// A conversation's first message: the user's customer (found by channel identity, or created with
// it), the conversation and the message, in one statement instead of eleven Prisma round trips.
// The identity is inserted before the customer it references (foreign keys are checked at the end
// of the statement), so when a concurrent first message of the same user wins the identity, no
// customer is created here and no row comes back: the caller then takes the slow path.
const BEGIN_FIRST_TURN = {
  name: 'bots_begin_first_turn_v3',
  text: `
    WITH known AS (
      SELECT "customerId" FROM "ChannelIdentity" WHERE "channel" = $1::"Channel" AND "externalId" = $3
    ), new_identity AS (
      INSERT INTO "ChannelIdentity" ("id", "channel", "externalId", "customerId", "createdAt")
      SELECT $5, $1::"Channel", $3, $4, $7::timestamp(3) WHERE NOT EXISTS (SELECT 1 FROM known)
      ON CONFLICT ("channel", "externalId") DO NOTHING
      RETURNING "customerId"
    ), new_customer AS (
      INSERT INTO "Customer" ("id", "createdAt", "updatedAt")
      SELECT "customerId", $7::timestamp(3), $7::timestamp(3) FROM new_identity
    ), customer AS (
      SELECT "customerId" FROM known UNION ALL SELECT "customerId" FROM new_identity
    ), conv AS (
      INSERT INTO "Conversation" ("id", "channel", "externalId", "customerId", "createdAt", "updatedAt")
      SELECT $6, $1::"Channel", $2, "customerId", $7::timestamp(3), $7::timestamp(3) FROM customer LIMIT 1
      ON CONFLICT ("channel", "externalId")
        DO UPDATE SET "customerId" = COALESCE("Conversation"."customerId", EXCLUDED."customerId")
      RETURNING "id", "customerId", "state", "stateEtag"
    ), ${storeMessageThenRead('conv', 8, 7)}`,
};

/**
 * The first turn of a conversation (statement 1 found nothing): creates what is missing and stores
 * the message. Returns null when a concurrent first turn of the same user got in the way.
 */
export async function beginFirstTurnSql(
  sql: SqlStatementRunner,
  ref: { channel: ChannelName; externalId: string; userExternalId: string },
  message: StoredMessage & { text: string },
): Promise<BegunRow | null> {
  const rows = await sql<BegunRow>(BEGIN_FIRST_TURN, [
    ref.channel,
    ref.externalId,
    ref.userExternalId,
    randomUUID(),
    randomUUID(),
    randomUUID(),
    utcTimestamp(Date.now()),
    ...messageValues(message),
  ]);
  return rows[0] ?? null;
}

// The user's message is marked answered only together with the state and the replies, and only
// while it is unanswered: of two turns answering the same message (a resend finishing a turn that
// another process finished meanwhile), one stores its replies, the other nothing.
const COMMIT_TURN = {
  name: 'bots_commit_turn_v2',
  text: `
    WITH upd AS (
      UPDATE "Conversation" SET "state" = $1::jsonb, "stateEtag" = "stateEtag" + 1,
        "updatedAt" = $2::timestamp(3)
      WHERE "id" = $3 AND "stateEtag" = $4::int
        AND ($8::text IS NULL OR EXISTS (SELECT 1 FROM "Message" m WHERE m."conversationId" = $3
          AND m."activityId" = $8::text AND m."direction" = 'user' AND m."answeredAt" IS NULL))
      RETURNING "stateEtag"
    ), marked AS (
      UPDATE "Message" SET "answeredAt" = $2::timestamp(3)
      WHERE "conversationId" = $3 AND "activityId" = $8::text AND "direction" = 'user'
        AND EXISTS (SELECT 1 FROM upd)
    ), ins AS (
      INSERT INTO "Message" ("id", "conversationId", "direction", "text", "createdAt")
      SELECT m."id", $3, 'bot', m."text", m."at"::timestamp(3)
      FROM upd, unnest($5::text[], $6::text[], $7::text[]) AS m("id", "text", "at")
    )
    -- A data-modifying WITH runs to completion whether or not the outer query reads it.
    SELECT (SELECT "stateEtag" FROM upd) AS "etag",
      EXISTS (SELECT 1 FROM "Message" m WHERE m."conversationId" = $3 AND m."activityId" = $8::text
        AND m."direction" = 'user' AND m."answeredAt" IS NOT NULL) AS "answeredBefore"`,
};

/** What `commitTurnSql` did: the new etag, or why nothing was written. */
export type CommitOutcome = { etag: number } | { refused: 'stale-etag' | 'already-answered' };

/**
 * Saves the state when `etag` still matches and inserts the bot's (already encrypted) messages, all
 * or nothing, marking the user's message `answering` (its activity id) answered. Writes nothing
 * when another writer got there first, or when that message was answered already.
 */
export async function commitTurnSql(
  sql: SqlStatementRunner,
  conversationId: string,
  state: unknown,
  etag: number,
  botTexts: readonly string[],
  answering?: string,
): Promise<CommitOutcome> {
  const now = Date.now();
  // One millisecond apart, so the transcript keeps the order in which they were said.
  const ids = botTexts.map(() => randomUUID());
  const times = botTexts.map((_, i) => utcTimestamp(now + i));
  const rows = await sql<{ etag: number | null; answeredBefore: boolean }>(COMMIT_TURN, [
    JSON.stringify(state),
    utcTimestamp(now),
    conversationId,
    etag,
    ids,
    [...botTexts],
    times,
    answering ?? null,
  ]);
  const row = rows[0];
  if (row?.etag != null) return { etag: row.etag };
  return { refused: row?.answeredBefore ? 'already-answered' : 'stale-etag' };
}
