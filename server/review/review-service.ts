// What reviewers can do with a queued message, whatever the surface (admin API, `mkt review`,
// Slack): label it with an intent (a training example for the next retrain), answer it with a new
// knowledge-base entry, or ignore it. Labels are checked against the domain's intents.
import { ReviewError, type NluDomain } from '../../bots/index.js';
import type { KbDocument, KbService } from '../../kb/index.js';
import type { IntentExample } from '../../nlu/index.js';
import type { PrismaReviewQueue, ReviewItemView, ReviewStatus } from '../../prisma/repositories/index.js';

/** The label that says "rightly refused": the classifier learns it as out of scope. */
export const OUT_OF_SCOPE_LABEL = 'out_of_scope';

/** What the service needs. */
export interface ReviewServiceDeps {
  queue: PrismaReviewQueue;
  /** The intents a label may name, per domain (the shipped training data's). */
  intents(domain: NluDomain): Promise<readonly string[]>;
  /** The knowledge base new answers go to (absent: answering is refused). */
  kb?: Pick<KbService, 'sync'>;
}

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

  /** Ignores an item. */
  ignore(id: string, by: string): Promise<ReviewItemView> {
    return this.deps.queue.ignore(id, by);
  }

  /** The reviewed examples of a domain, as training examples (what nlu.retrain adds to the seed). */
  async reviewedExamples(domain: NluDomain): Promise<IntentExample[]> {
    return (await this.deps.queue.reviewedExamples(domain)).map((e) => ({ text: e.text, intent: e.intent }));
  }
}

/** The status an API/CLI error code maps to. */
export const REVIEW_ERROR_STATUS: Record<ReviewError['code'], number> = {
  REVIEW_NOT_FOUND: 404,
  REVIEW_ALREADY_REVIEWED: 409,
  REVIEW_UNKNOWN_INTENT: 422,
  REVIEW_NO_KNOWLEDGE_BASE: 503,
};
