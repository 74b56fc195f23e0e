import { createHash } from 'node:crypto';
import type { SkippedSource } from './import/files.js';
import { MAX_ALT_QUESTIONS, type KbDocument } from './types.js';

/** A document as stored: where its import started (`origin`), a content hash and its version. */
export interface StoredDocument extends KbDocument {
  /** The path or URL given to the import that brought it (re-imports of it replace its set). */
  origin: string;
  hash: string;
  version: number;
}

/** A change to apply atomically. */
export interface KbChange {
  upsert: StoredDocument[];
  remove: string[];
}

/**
 * The knowledge base's persistence port (the database adapter lives in prisma/; an in-memory one
 * here for tests and `kb eval`). `version` counts changes so other processes know to rebuild.
 */
export interface KbStore {
  listDocuments(): Promise<StoredDocument[]>;
  /** Applies a change in one transaction and returns the new knowledge-base version. */
  apply(change: KbChange): Promise<number>;
  version(): Promise<number>;
  /** Stored embeddings by key (see `vectorKey`), so a rebuild embeds only new texts. */
  loadVectors(keys: readonly string[]): Promise<Map<string, Float32Array>>;
  saveVectors(vectors: ReadonlyMap<string, Float32Array>, encoderId: string): Promise<void>;
  /** Logs a question asked of the knowledge base (text with personal data already masked). */
  recordQuestion(question: AskedQuestion): Promise<void>;
  /** Questions not answered since a time, grouped by text, most asked first. */
  unanswered(since: Date, limit: number): Promise<UnansweredQuestion[]>;
}

/** A question asked of the knowledge base. */
export interface AskedQuestion {
  text: string;
  answered: boolean;
  confidence: number | null;
  documentId: string | null;
  channel: string | null;
  /** The chat turn that asked it: a resent message finishing its turn records it once. */
  turnKey?: string | null;
}

/** A question the knowledge base could not answer, with how often it was asked. */
export interface UnansweredQuestion {
  text: string;
  count: number;
  lastAskedAt: Date;
}

/** Content hash of a document: what a re-import compares. */
export function documentHash(doc: KbDocument): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        doc.kind,
        doc.title,
        doc.source,
        doc.question ?? null,
        doc.altQuestions ?? [],
        doc.body,
      ]),
    )
    .digest('hex');
}

/** Key of a stored embedding: the encoder and the exact text. */
export function vectorKey(encoderId: string, text: string): string {
  return createHash('sha1').update(`${encoderId}\u0000${text}`).digest('base64');
}

/** A phrasing added to a document outside its source: a reviewer answered a message with it. */
export interface KeptPhrasing {
  documentId: string;
  text: string;
}

/**
 * The documents of an import with the phrasings added to them outside their source, after their
 * own and as many as a document holds: a re-import replaces what the source says, not what
 * reviewers taught the knowledge base. A document that gains nothing is returned as it is.
 */
export function withKeptPhrasings(
  documents: readonly KbDocument[],
  kept: readonly KeptPhrasing[],
): KbDocument[] {
  const byDocument = new Map<string, string[]>();
  for (const { documentId, text } of kept)
    byDocument.set(documentId, [...(byDocument.get(documentId) ?? []), text]);
  return documents.map((doc) => {
    const own = doc.altQuestions ?? [];
    const added = (byDocument.get(doc.id) ?? []).filter((q) => q !== doc.question && !own.includes(q));
    if (added.length === 0) return doc;
    return { ...doc, altQuestions: [...own, ...new Set(added)].slice(0, MAX_ALT_QUESTIONS) };
  });
}

/** What a re-import changes. */
export interface SyncPlan extends KbChange {
  added: number;
  updated: number;
  unchanged: number;
}

/**
 * Compares a fresh import of `origin` with what is stored: new documents are added, changed ones
 * get a new version, and documents of the same origin that are gone are removed, except those
 * whose source failed this time (a broken file never deletes what was imported from it before).
 */
export function planSync(
  stored: readonly StoredDocument[],
  incoming: readonly KbDocument[],
  origin: string,
  skipped: readonly SkippedSource[] = [],
): SyncPlan {
  const byId = new Map(stored.map((d) => [d.id, d]));
  const plan: SyncPlan = { upsert: [], remove: [], added: 0, updated: 0, unchanged: 0 };
  const seen = new Set<string>();
  for (const doc of incoming) {
    seen.add(doc.id);
    const hash = documentHash(doc);
    const previous = byId.get(doc.id);
    if (previous?.hash === hash && previous.origin === origin) {
      plan.unchanged++;
      continue;
    }
    if (previous) plan.updated++;
    else plan.added++;
    plan.upsert.push({ ...doc, origin, hash, version: (previous?.version ?? 0) + 1 });
  }
  const failed = new Set(skipped.map((s) => s.source));
  for (const doc of stored)
    if (doc.origin === origin && !seen.has(doc.id) && !failed.has(doc.source) && !failed.has(doc.id))
      plan.remove.push(doc.id);
  return plan;
}

/** In-memory KbStore (tests, evaluation runs). */
export class MemoryKbStore implements KbStore {
  private readonly docs = new Map<string, StoredDocument>();
  private readonly vectors = new Map<string, Float32Array>();
  private changes = 0;
  private readonly questions: Array<AskedQuestion & { at: Date }> = [];

  async listDocuments(): Promise<StoredDocument[]> {
    return [...this.docs.values()];
  }

  async apply(change: KbChange): Promise<number> {
    for (const id of change.remove) this.docs.delete(id);
    for (const doc of change.upsert) this.docs.set(doc.id, doc);
    if (change.remove.length > 0 || change.upsert.length > 0) this.changes++;
    return this.changes;
  }

  async version(): Promise<number> {
    return this.changes;
  }

  async loadVectors(keys: readonly string[]): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    for (const key of keys) {
      const v = this.vectors.get(key);
      if (v) out.set(key, v);
    }
    return out;
  }

  async saveVectors(vectors: ReadonlyMap<string, Float32Array>): Promise<void> {
    for (const [key, v] of vectors) this.vectors.set(key, v);
  }

  async recordQuestion(question: AskedQuestion): Promise<void> {
    if (question.turnKey && this.questions.some((q) => q.turnKey === question.turnKey)) return;
    this.questions.push({ ...question, at: new Date() });
  }

  async unanswered(since: Date, limit: number): Promise<UnansweredQuestion[]> {
    const groups = new Map<string, UnansweredQuestion>();
    for (const q of this.questions) {
      if (q.answered || q.at < since) continue;
      const g = groups.get(q.text) ?? { text: q.text, count: 0, lastAskedAt: q.at };
      g.count++;
      if (q.at > g.lastAskedAt) g.lastAskedAt = q.at;
      groups.set(q.text, g);
    }
    return [...groups.values()]
      .sort((a, b) => b.count - a.count || +b.lastAskedAt - +a.lastAskedAt)
      .slice(0, limit);
  }
}
