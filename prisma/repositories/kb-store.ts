// Thin adapter: the knowledge base's KbStore port over Prisma (PGlite or PostgreSQL).
import {
  chunkDocument,
  ZDocumentKind,
  type AskedQuestion,
  type KbChange,
  type KbStore,
  type StoredDocument,
  type UnansweredQuestion,
} from '../../kb/index.js';
import type { PrismaClient } from '../generated/client.js';
import { prismaStatements, type SqlStatementRunner } from './turn-sql.js';

type DocumentRow = Awaited<ReturnType<PrismaClient['kbDocument']['findFirstOrThrow']>>;

function toStored(row: DocumentRow): StoredDocument {
  return {
    id: row.id,
    kind: ZDocumentKind.parse(row.kind),
    title: row.title,
    source: row.source,
    ...(row.question !== null ? { question: row.question } : {}),
    ...(row.altQuestions.length > 0 ? { altQuestions: row.altQuestions } : {}),
    body: row.body,
    origin: row.origin,
    hash: row.hash,
    version: row.version,
  };
}

// Every chat turn reads the version (is the served base still current?): on the pool as a named
// prepared statement it costs a fraction of a Prisma query's CPU on the main thread.
const KB_VERSION = { name: 'kb_version_v1', text: 'SELECT "version" FROM "KbState" WHERE "id" = 1' };

/**
 * The knowledge base's documents, chunks, versions, vectors and question log in the database.
 * `sql` runs the per-turn version read on the database pool (the server passes it on PostgreSQL);
 * without it, it goes through Prisma's raw query.
 */
export function createPrismaKbStore(
  prisma: PrismaClient,
  options: { sql?: SqlStatementRunner } = {},
): KbStore {
  const sql = options.sql ?? prismaStatements(prisma);
  return {
    async listDocuments() {
      return (await prisma.kbDocument.findMany({ orderBy: { createdAt: 'asc' } })).map(toStored);
    },

    async apply(change: KbChange) {
      return prisma.$transaction(async (tx) => {
        if (change.remove.length > 0)
          await tx.kbDocument.deleteMany({ where: { id: { in: change.remove } } });
        for (const doc of change.upsert) {
          const fields = {
            origin: doc.origin,
            kind: doc.kind,
            title: doc.title,
            source: doc.source,
            question: doc.question ?? null,
            altQuestions: doc.altQuestions ?? [],
            body: doc.body,
            hash: doc.hash,
            version: doc.version,
          };
          await tx.kbDocument.upsert({
            where: { id: doc.id },
            create: { id: doc.id, ...fields },
            update: fields,
          });
          await tx.kbChunk.deleteMany({ where: { documentId: doc.id } });
          await tx.kbChunk.createMany({
            data: chunkDocument(doc).map((c, position) => ({
              id: c.id,
              documentId: doc.id,
              position,
              heading: c.heading,
              text: c.text,
            })),
          });
          await tx.kbDocumentVersion.upsert({
            where: { documentId_version: { documentId: doc.id, version: doc.version } },
            create: {
              documentId: doc.id,
              version: doc.version,
              hash: doc.hash,
              title: doc.title,
              body: doc.body,
            },
            update: { hash: doc.hash, title: doc.title, body: doc.body },
          });
        }
        const state = await tx.kbState.upsert({
          where: { id: 1 },
          create: { id: 1, version: 1 },
          update: { version: { increment: 1 } },
        });
        return state.version;
      });
    },

    async version() {
      return (await sql<{ version: number }>(KB_VERSION, []))[0]?.version ?? 0;
    },

    async loadVectors(keys) {
      const out = new Map<string, Float32Array>();
      // Chunked: an IN list of 10k keys is one huge statement.
      for (let i = 0; i < keys.length; i += 1000) {
        const rows = await prisma.kbVector.findMany({ where: { key: { in: keys.slice(i, i + 1000) } } });
        for (const r of rows) {
          const bytes = Uint8Array.from(r.vector);
          out.set(r.key, new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
        }
      }
      return out;
    },

    async saveVectors(vectors, encoderId) {
      const data = [...vectors].map(([key, v]) => ({
        key,
        encoderId,
        vector: new Uint8Array(Float32Array.from(v).buffer),
      }));
      for (let i = 0; i < data.length; i += 500)
        await prisma.kbVector.createMany({ data: data.slice(i, i + 500), skipDuplicates: true });
    },

    async recordQuestion(q: AskedQuestion) {
      // ON CONFLICT DO NOTHING on turnKey: a resent chat turn records its question once.
      await prisma.kbQuestion.createMany({
        data: [{ ...q, turnKey: q.turnKey ?? null }],
        skipDuplicates: true,
      });
    },

    async unanswered(since: Date, limit: number): Promise<UnansweredQuestion[]> {
      const groups = await prisma.kbQuestion.groupBy({
        by: ['text'],
        where: { answered: false, createdAt: { gte: since } },
        _count: { _all: true },
        _max: { createdAt: true },
        orderBy: [{ _count: { text: 'desc' } }, { _max: { createdAt: 'desc' } }],
        take: limit,
      });
      return groups.map((g) => ({
        text: g.text,
        count: g._count._all,
        lastAskedAt: g._max.createdAt ?? since,
      }));
    },
  };
}
