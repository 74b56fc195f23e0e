import { fileURLToPath } from 'node:url';
import { maskPII, type SentenceEncoder } from '../nlu/index.js';
import { shownSoFar, type AnswerWriter, type OnAnswerText } from './answer-writer.js';
import { answersOnlyInPassing } from './coverage.js';
import { KbImportError } from './errors.js';
import { foldOf } from './folds.js';
import { calibrateLearnedGate, type Gate, type LearnedGateRow } from './gate.js';
import { crawlSite, type CrawlOptions } from './import/crawl.js';
import { importPath, type SkippedSource } from './import/files.js';
import { KnowledgeBase } from './knowledge-base.js';
import {
  planSync,
  withKeptPhrasings,
  type KbStore,
  type KeptPhrasing,
  type StoredDocument,
  type UnansweredQuestion,
} from './store.js';
import { storedVectorEncoder } from './stored-encoder.js';
import type { KbAnswer, KbDocument } from './types.js';

/** Fewest held-out questions the gate is calibrated on; with fewer the knowledge base answers ungated. */
export const MIN_CALIBRATION_QUESTIONS = 10;

/** What an import did. */
export interface ImportReport {
  origin: string;
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  skipped: SkippedSource[];
  version: number;
}

/**
 * Calibrates the gate on held-out questions, answerable and not. The documents' phrasings
 * (`altQuestions`) are split in two folds; each fold is asked of a knowledge base holding the other
 * fold's phrasings, like the served one holds them all (calibrated on a base without any, the gate
 * read the served base's higher margins as confidence and answered questions it does not cover).
 * Each question is asked twice: as it is (right when its document ranks first), and with its
 * document held out, where any answer is wrong: a question about a topic the help centre does not
 * cover. The threshold is the lowest at which the answers to the first reach the target precision
 * and the second are refused at the target rate, each on its own rows (`calibrateGate`); the
 * confidence is learned on these rows when there are enough of them (`calibrateLearnedGate`),
 * else it is the margin.
 */
export async function calibrateOnAltQuestions(
  encoder: SentenceEncoder,
  docs: readonly KbDocument[],
  documentEncoder?: SentenceEncoder,
): Promise<Gate | undefined> {
  const questions = docs.flatMap((d) =>
    (d.altQuestions ?? []).map((query) => ({ query, docId: d.id, fold: foldOf(`${d.id}\n${query}`) })),
  );
  if (questions.length < MIN_CALIBRATION_QUESTIONS) return undefined;
  const rows: LearnedGateRow[] = [];
  for (const fold of [0, 1] as const) {
    const asked = questions.filter((q) => q.fold === fold);
    if (asked.length === 0) continue;
    const kept = docs.map((d) => ({
      ...d,
      altQuestions: (d.altQuestions ?? []).filter((query) => foldOf(`${d.id}\n${query}`) !== fold),
    }));
    const held = await KnowledgeBase.build(encoder, kept, documentEncoder ? { documentEncoder } : {});
    for (const q of asked) {
      const covered = await held.ranking(q.query, 5);
      if (covered.features)
        rows.push({
          features: covered.features,
          correct: covered.hits[0]?.docId === q.docId,
          group: q.docId,
        });
      // Without its document a one-document base ranks nothing: there is no answer to refuse.
      const uncovered = await held.ranking(q.query, 5, 'fused', new Set([q.docId]));
      if (uncovered.features)
        rows.push({ features: uncovered.features, correct: false, uncovered: true, group: q.docId });
    }
  }
  return calibrateLearnedGate(rows);
}

/** Replaces the stored documents of one origin with these (added, updated, vanished ones removed). */
export async function syncDocuments(
  store: KbStore,
  origin: string,
  documents: readonly KbDocument[],
  skipped: SkippedSource[] = [],
): Promise<ImportReport> {
  const ids = new Set<string>();
  for (const d of documents) {
    if (ids.has(d.id)) throw new KbImportError(origin, `two documents with the id "${d.id}"`);
    ids.add(d.id);
  }
  const plan = planSync(await store.listDocuments(), documents, origin, skipped);
  const version =
    plan.upsert.length + plan.remove.length > 0 ? await store.apply(plan) : await store.version();
  return {
    origin,
    added: plan.added,
    updated: plan.updated,
    unchanged: plan.unchanged,
    removed: plan.remove.length,
    skipped,
    version,
  };
}

/** The demo shop's help centre (Markdown with held-out questions in the front matter). */
export const DEMO_HELP_CENTRE_DIR = fileURLToPath(new URL('./demo/help-centre', import.meta.url));

/** Where the demo help centre's documents come from (their origin in the store). */
export const DEMO_HELP_CENTRE_ORIGIN = 'demo:help-centre';

/**
 * Loads the demo help centre (like the demo catalog) while it is the knowledge base's only source,
 * so an upgraded demo answers from the pages its version ships (a page added or reworded since the
 * first start); once the shop imports its own documents, nothing here is touched. Returns the
 * documents added or updated.
 */
export async function seedDemoHelpCentre(store: KbStore): Promise<number> {
  const stored = await store.listDocuments();
  if (stored.some((d) => d.origin !== DEMO_HELP_CENTRE_ORIGIN)) return 0;
  const result = await importPath(DEMO_HELP_CENTRE_DIR);
  const report = await syncDocuments(store, DEMO_HELP_CENTRE_ORIGIN, result.documents, result.skipped);
  return report.added + report.updated;
}

/**
 * The knowledge base as the application uses it: imports into the store, and a served index
 * rebuilt from the store whenever its version moved (another process may have imported).
 */
export class KbService {
  private served: { kb: KnowledgeBase; version: number } | undefined;
  private building: Promise<KnowledgeBase> | undefined;
  private readonly docEncoder: SentenceEncoder;

  constructor(
    private readonly store: KbStore,
    private readonly encoder: SentenceEncoder,
    private readonly options: {
      /** Writes answers from the passages (optional LLM); its refusal stands, its failure falls back. */
      writer?: AnswerWriter;
      /** Told when the writer failed and the extractive answer was used. */
      onWriterError?: (error: unknown) => void;
      /**
       * Phrasings added to documents outside their source (the review queue's "answer with this
       * entry"): every sync keeps them on their document, so a re-import does not drop them.
       */
      keptPhrasings?: () => Promise<readonly KeptPhrasing[]>;
    } = {},
  ) {
    this.docEncoder = storedVectorEncoder(encoder, store);
  }

  /** Imports a file, folder or site (http/https URL) and syncs its documents with the store. */
  async import(target: string, crawl: Partial<CrawlOptions> = {}): Promise<ImportReport> {
    const isUrl = /^https?:\/\//i.test(target);
    const result = isUrl ? await crawlSite(target, crawl) : await importPath(target);
    return this.sync(target, result.documents, result.skipped);
  }

  /**
   * Replaces the documents of one origin with these (added, updated, vanished ones removed),
   * keeping the phrasings reviewers added to them.
   */
  async sync(
    origin: string,
    documents: readonly KbDocument[],
    skipped: SkippedSource[] = [],
  ): Promise<ImportReport> {
    const kept = (await this.options.keptPhrasings?.()) ?? [];
    return syncDocuments(this.store, origin, withKeptPhrasings(documents, kept), skipped);
  }

  /** Stored documents. */
  async list(): Promise<StoredDocument[]> {
    return this.store.listDocuments();
  }

  /** Removes documents by id, or every document of an origin; returns how many went. */
  async remove(idOrOrigin: string): Promise<number> {
    const ids = (await this.store.listDocuments())
      .filter((d) => d.id === idOrOrigin || d.origin === idOrOrigin)
      .map((d) => d.id);
    if (ids.length > 0) await this.store.apply({ upsert: [], remove: ids });
    return ids.length;
  }

  /** The served knowledge base, rebuilt when the store's version moved. */
  async current(): Promise<KnowledgeBase> {
    const version = await this.store.version();
    if (this.served?.version === version) return this.served.kb;
    this.building ??= this.rebuild(version).finally(() => (this.building = undefined));
    return this.building;
  }

  /**
   * Answers a question from the knowledge base (a refusal below the gate, or when empty) and logs
   * it with personal data masked, so unanswered questions can be reviewed ("/mkt kb unanswered").
   */
  async ask(question: string, channel: string | null = null): Promise<KbAnswer> {
    const answer = await this.answer(question);
    await this.record(question, answer, channel);
    return answer;
  }

  /**
   * Answers without logging: the dialog looks every message up to weigh the knowledge base against
   * the other intents, and records only the questions it routed here (`record`).
   */
  async lookup(question: string): Promise<KbAnswer> {
    const kb = await this.current();
    if (kb.chunkCount === 0) return { answered: false, confidence: -Infinity, hits: [] };
    const answer = await kb.answer(question);
    // Above the gate, a page that only mentions a word of the question is still no answer.
    if (answer.answered && (await answersOnlyInPassing(kb, question, answer.docId)))
      return { answered: false, confidence: answer.confidence, hits: answer.hits };
    return answer;
  }

  /** True when a model writes the answers (`answer` then differs from `lookup`). */
  get writes(): boolean {
    return this.options.writer !== undefined;
  }

  /**
   * The answer to show: the extract, or with a writer (LLM_BASE_URL) the model's answer from the
   * passages, its refusal standing. Only questions routed to the knowledge base pay for the model.
   * `onText` is told the model's text so far while it writes; the returned answer is what stands
   * (the model's, the extract it fell back to, or a refusal) and replaces what was shown.
   */
  async answer(question: string, onText?: OnAnswerText): Promise<KbAnswer> {
    const answer = await this.lookup(question);
    return answer.answered && this.options.writer ? this.written(question, answer, onText) : answer;
  }

  // Only an answer that cleared the gate is rewritten (no guess below it); the passages the model
  // sees are the top three documents' best chunks, and the source shown is the first one it cites.
  private async written(
    question: string,
    answer: Extract<KbAnswer, { answered: true }>,
    onText?: OnAnswerText,
  ): Promise<KbAnswer> {
    const passages = answer.hits.slice(0, 3);
    const shown =
      onText &&
      ((soFar: string) => {
        const text = shownSoFar(soFar);
        if (text !== null) onText(text);
      });
    try {
      const written = await this.options.writer!.write(question, passages, shown);
      if (written === 'refused') return { answered: false, confidence: answer.confidence, hits: answer.hits };
      const source = passages[written.cited[0]! - 1]!;
      return {
        ...answer,
        text: written.text,
        title: source.title,
        source: source.source,
        docId: source.docId,
        generated: true,
      };
    } catch (error) {
      this.options.onWriterError?.(error);
      return answer;
    }
  }

  /**
   * Logs a question and its outcome with personal data masked; `turnKey` (a chat turn's) logs the
   * same turn's question once, so a resent message does not count it twice.
   */
  async record(
    question: string,
    answer: Pick<KbAnswer, 'answered' | 'confidence'> & { docId?: string },
    channel: string | null = null,
    turnKey?: string,
  ): Promise<void> {
    await this.store.recordQuestion({
      text: maskPII(question).slice(0, 500),
      answered: answer.answered,
      confidence: Number.isFinite(answer.confidence) ? answer.confidence : null,
      documentId: answer.answered ? (answer.docId ?? null) : null,
      channel,
      ...(turnKey ? { turnKey } : {}),
    });
  }

  /**
   * The gate's threshold (undefined while ungated) of the base the latest lookup was answered
   * from: how the dialog scales that lookup's confidence. Every caller asks right after a lookup,
   * so the store's version is not read again (a chat turn read it twice, ~0.5 ms of the server's
   * CPU and a database round trip each); only before any lookup is the current base loaded.
   */
  async gateThreshold(): Promise<number | undefined> {
    return (this.served?.kb ?? (await this.current())).gate?.threshold;
  }

  /** Questions not answered in the last `days` days, most asked first. */
  async unanswered(days = 7, limit = 20): Promise<UnansweredQuestion[]> {
    return this.store.unanswered(new Date(Date.now() - days * 86_400_000), limit);
  }

  private async rebuild(version: number): Promise<KnowledgeBase> {
    const docs = await this.store.listDocuments();
    const gate = await calibrateOnAltQuestions(this.encoder, docs, this.docEncoder);
    const kb = await KnowledgeBase.build(this.encoder, docs, {
      documentEncoder: this.docEncoder,
      ...(gate ? { gate } : {}),
    });
    this.served = { kb, version };
    return kb;
  }
}
