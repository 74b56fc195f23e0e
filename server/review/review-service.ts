// What reviewers can do with a queued message, whatever the surface (admin API, `mkt review`,
// Slack): label it with an intent (a training example for the next retrain), answer it with a new
// knowledge-base entry or with an existing one (the message becomes one more phrasing of that
// entry's question), or ignore it. Labels are checked against the domain's intents.
import { ReviewError, type NluDomain } from '../../bots/index.js';
import { MAX_ALT_QUESTIONS, type KbDocument, type KbService, type StoredDocument } from '../../kb/index.js';
import type { IntentExample } from '../../nlu/index.js';
import type { PrismaReviewQueue, ReviewItemView, ReviewStatus } from '../../prisma/repositories/index.js';

/** The label that says "rightly refused": the classifier learns it as out of scope. */
export const OUT_OF_SCOPE_LABEL = 'out_of_scope';

/** What the service needs. */
export interface ReviewServiceDeps {
  queue: PrismaReviewQueue;
  /** The intents a label may name, per domain (the shipped training data's). */
  intents(domain: NluDomain): Promise<readonly string[]>;
  /**
   * The knowledge base answers go to (absent: answering is refused); with `lookup`, the entries
   * closest to a message are offered as answers (a command line, which loads no encoder, has none).
   */
  kb?: Pick<KbService, 'sync' | 'list'> & Partial<Pick<KbService, 'lookup'>>;
}

/** A knowledge-base entry offered as the answer to a reviewed message. */
export interface KbEntryChoice {
  documentId: string;
  title: string;
}

/** Entries offered per item, best first. */
export const KB_CHOICES = 3;

/** Review actions shared by every surface. */
export class ReviewService {
  constructor(private readonly deps: ReviewServiceDeps) {}

  /** Queued items (open by default), oldest first. */
  list(
    filter: { status?: ReviewStatus; domain?: NluDomain; limit?: number } = {},
  ): Promise<ReviewItemView[]> {
    return this.deps.queue.list(filter);
  }

  /** One item. */
  get(id: string): Promise<ReviewItemView> {
    return this.deps.queue.get(id);
  }

  /** The intents an item of this domain may be labelled with (out_of_scope included). */
  async labels(domain: NluDomain): Promise<string[]> {
    return [...new Set([...(await this.deps.intents(domain)), OUT_OF_SCOPE_LABEL])].sort();
  }

  /** Labels an item; the label becomes a training example stored with `by` and the time. */
  async label(id: string, intent: string, by: string): Promise<ReviewItemView> {
    const item = await this.deps.queue.get(id);
    const known = await this.labels(item.domain);
    if (!known.includes(intent))
      throw new ReviewError(
        'REVIEW_UNKNOWN_INTENT',
        `"${intent}" is not a ${item.domain} intent (one of: ${known.join(', ')})`,
      );
    return this.deps.queue.label(id, intent, by);
  }

  /** Answers an item with a new knowledge-base entry (the question in the customer's words). */
  async answer(id: string, answer: { text: string; title?: string }, by: string): Promise<ReviewItemView> {
    const kb = this.deps.kb;
    if (!kb) throw new ReviewError('REVIEW_NO_KNOWLEDGE_BASE', 'no knowledge base is configured here');
    const item = await this.deps.queue.get(id);
    if (item.status !== 'open')
      throw new ReviewError('REVIEW_ALREADY_REVIEWED', `review item ${id} is already ${item.status}`);
    const doc: KbDocument = {
      id: `review:${item.id}`,
      kind: 'faq',
      title: answer.title?.trim() || item.text.slice(0, 120),
      source: `review by ${by}`,
      question: item.text,
      body: answer.text,
    };
    // One origin per entry: a later sync of another review origin never removes this one.
    await kb.sync(doc.id, [doc]);
    return this.deps.queue.answered(id, doc.id, by);
  }

  /** The existing entries that come closest to a message (the help centre's own ranking), best first. */
  async kbEntries(text: string, limit = KB_CHOICES): Promise<KbEntryChoice[]> {
    if (!this.deps.kb?.lookup) return [];
    const { hits } = await this.deps.kb.lookup(text);
    return hits.slice(0, limit).map((h) => ({ documentId: h.docId, title: h.title }));
  }

  /**
   * Answers an item with an existing entry: the message is added to the entry's other phrasings of
   * its question (re-synced with the rest of its origin), so the same question finds it next time.
   */
  async answerWith(id: string, documentId: string, by: string): Promise<ReviewItemView> {
    const kb = this.deps.kb;
    if (!kb) throw new ReviewError('REVIEW_NO_KNOWLEDGE_BASE', 'no knowledge base is configured here');
    const item = await this.deps.queue.get(id);
    if (item.status !== 'open')
      throw new ReviewError('REVIEW_ALREADY_REVIEWED', `review item ${id} is already ${item.status}`);
    const stored = await kb.list();
    const entry = stored.find((d) => d.id === documentId);
    if (!entry)
      throw new ReviewError('REVIEW_UNKNOWN_KB_ENTRY', `the knowledge base has no entry "${documentId}"`);
    const phrasings = [...new Set([...(entry.altQuestions ?? []), item.text])];
    if (phrasings.length > MAX_ALT_QUESTIONS)
      throw new ReviewError(
        'REVIEW_UNKNOWN_KB_ENTRY',
        `"${entry.title}" already has ${MAX_ALT_QUESTIONS} other phrasings; write a new answer instead`,
      );
    const origin = stored
      .filter((d) => d.origin === entry.origin)
      .map((d) => (d.id === entry.id ? { ...asDocument(d), altQuestions: phrasings } : asDocument(d)));
    await kb.sync(entry.origin, origin);
    return this.deps.queue.answered(id, entry.id, by);
  }

  /** Ignores an item. */
  ignore(id: string, by: string): Promise<ReviewItemView> {
    return this.deps.queue.ignore(id, by);
  }

  /** The reviewed examples of a domain, as training examples (what nlu.retrain adds to the seed). */
  async reviewedExamples(domain: NluDomain): Promise<IntentExample[]> {
    return (await this.deps.queue.reviewedExamples(domain)).map((e) => ({ text: e.text, intent: e.intent }));
  }
}

// A stored document as the knowledge base takes it back (without its bookkeeping).
function asDocument({ origin: _origin, hash: _hash, version: _version, ...doc }: StoredDocument): KbDocument {
  return doc;
}

/** The status an API/CLI error code maps to. */
export const REVIEW_ERROR_STATUS: Record<ReviewError['code'], number> = {
  REVIEW_NOT_FOUND: 404,
  REVIEW_ALREADY_REVIEWED: 409,
  REVIEW_UNKNOWN_INTENT: 422,
  REVIEW_NO_KNOWLEDGE_BASE: 503,
  REVIEW_UNKNOWN_KB_ENTRY: 422,
};
