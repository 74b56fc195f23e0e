// The two writes of a chat turn as single SQL statements. Through Prisma's query builder a turn
// took five round trips (conversation, handoff, user message, state, bot message), each one a
// compiled query plan plus a result interpreted on the main thread: about 1 ms of CPU apiece,
// a quarter of a turn. Here a turn is two statements, each atomic on its own:
//   1. read the conversation and store the user's message (skipped on a retried activity id);
//   2. save the state if its etag still matches and store the bot's messages, or write nothing.
// Table and column names are those of prisma/schema.prisma; the bots' store contract tests run
// these on PGlite and PostgreSQL.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../prisma/generated/client.js';
import type { ChannelName, StoredMessage } from './ports.js';

/** What statement 1 returns for an existing conversation that already has its customer. */
export interface BegunRow {
  id: string;
  customerId: string;
  state: unknown;
  stateEtag: number;
  handoffOpen: boolean;
  inserted: number;
}

// TIMESTAMP(3) columns hold UTC wall time (as Prisma writes them); the database's now() would be
// in the session's time zone, so timestamps are formatted here.
function utcTimestamp(at: number): string {
  return new Date(at).toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * Reads the conversation (state, etag, open handoff) and inserts the user's message in one
 * statement. Returns null when the conversation or its customer does not exist yet (first turn).
 */
export async function beginTurnSql(
  prisma: PrismaClient,
  ref: { channel: ChannelName; externalId: string },
  message: StoredMessage & { text: string },
): Promise<BegunRow | null> {
  const entities = message.entities ? JSON.stringify(message.entities) : null;
  const rows = await prisma.$queryRaw<BegunRow[]>`
    WITH c AS (
      SELECT "id", "customerId", "state", "stateEtag" FROM "Conversation"
      WHERE "channel" = ${ref.channel}::"Channel" AND "externalId" = ${ref.externalId}
        AND "customerId" IS NOT NULL
    ), ins AS (
      INSERT INTO "Message" ("id", "conversationId", "direction", "activityId", "text", "intent",
        "confidence", "sentiment", "entities", "createdAt")
      SELECT ${randomUUID()}, c."id", ${message.direction}, ${message.activityId ?? null}, ${message.text},
        ${message.intent ?? null}, ${message.confidence ?? null}::float8, ${message.sentiment ?? null}::float8,
        ${entities}::jsonb, ${utcTimestamp(Date.now())}::timestamp(3)
      FROM c
      ON CONFLICT ("conversationId", "activityId") DO NOTHING
      RETURNING 1
    )
    SELECT c."id", c."customerId", c."state", c."stateEtag",
      EXISTS (SELECT 1 FROM "Handoff" h WHERE h."conversationId" = c."id"
        AND h."status" IN ('open', 'claimed')) AS "handoffOpen",
      (SELECT count(*) FROM ins)::int AS "inserted"
    FROM c`;
  return rows[0] ?? null;
}

/**
 * Saves the state when `etag` still matches and inserts the bot's (already encrypted) messages, all
 * or nothing. Returns the new etag, or null when another writer got there first (nothing written).
 */
export async function commitTurnSql(
  prisma: PrismaClient,
  conversationId: string,
  state: unknown,
  etag: number,
  botTexts: readonly string[],
): Promise<number | null> {
  const now = Date.now();
  // One millisecond apart, so the transcript keeps the order in which they were said.
  const ids = botTexts.map(() => randomUUID());
  const times = botTexts.map((_, i) => utcTimestamp(now + i));
  const rows = await prisma.$queryRaw<Array<{ etag: number }>>`
    WITH upd AS (
      UPDATE "Conversation" SET "state" = ${JSON.stringify(state)}::jsonb, "stateEtag" = "stateEtag" + 1,
        "updatedAt" = ${utcTimestamp(now)}::timestamp(3)
      WHERE "id" = ${conversationId} AND "stateEtag" = ${etag}::int
      RETURNING "stateEtag"
    ), ins AS (
      INSERT INTO "Message" ("id", "conversationId", "direction", "text", "createdAt")
      SELECT m."id", ${conversationId}, 'bot', m."text", m."at"::timestamp(3)
      FROM upd, unnest(${ids}::text[], ${[...botTexts]}::text[], ${times}::text[]) AS m("id", "text", "at")
    )
    -- A data-modifying WITH runs to completion whether or not the outer query reads it.
    SELECT "stateEtag" AS "etag" FROM upd`;
  return rows[0]?.etag ?? null;
}
