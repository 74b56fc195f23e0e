import type { SentenceEncoder } from '../nlu/index.js';
import { chunkDocument, DEFAULT_CHUNKING, type ChunkOptions } from './chunking.js';
import { EmptyKnowledgeBaseError } from './errors.js';
import { extractAnswer } from './extract.js';
import { EQUAL_WEIGHTS, fuse, type ChannelScores, type FusionWeights } from './fusion.js';
import { gateFeatures, type DocumentScores, type GateFeatures } from './confidence.js';
import { confidenceOf, type Gate } from './gate.js';
import { LexicalChannel } from './lexical-channel.js';
import type { KbAnswer, KbChunk, KbDocument, KbHit } from './types.js';
import { DEFAULT_KB_HNSW, VectorChannel, type KbHnswParams } from './vector-index.js';

/** Build options of a knowledge base. */
export interface KnowledgeBaseOptions {
  chunking?: ChunkOptions;
  hnsw?: KbHnswParams;
  weights?: FusionWeights;
  /** Candidates taken from each channel before exact re-scoring. */
  candidates?: number;
  /** The confidence gate (see `calibrateGate`); without one every query is answered. */
  gate?: Gate;
  /** Embeds the documents at build (e.g. a cache of stored vectors); queries use the main encoder. */
  documentEncoder?: SentenceEncoder;
}

/** Ranked documents (best first) and the gate's features of the ranking (none when empty). */
export interface Ranking {
  hits: KbHit[];
  features?: GateFeatures;
}

/** Which channels rank (the benchmark's single-index baselines use one each). */
export type ChannelSelection = 'fused' | 'lexical' | 'vector';

interface ChunkEntry {
  chunk: KbChunk;
  /** Labels of the chunk's questions in the question channel (FAQ question + other phrasings). */
  questionLabels: number[];
}

/**
 * A searchable knowledge base: chunks in a BM25 index and in two HNSW indexes (one over chunk
 * texts, one over questions and headings), fused per chunk by z-scores, ranked by document, with
 * an extractive answer and a calibrated confidence gate. Built in memory from documents; the
 * persistence layer rebuilds it from stored chunks and vectors.
 */
export class KnowledgeBase {
  private readonly docs = new Map<string, KbDocument>();
  private readonly entries: ChunkEntry[] = [];
  private readonly lexical = new LexicalChannel();
  private readonly passages: VectorChannel;
  private readonly questions: VectorChannel;
  private readonly questionLabelOf = new Map<string, number>();
  private readonly weights: FusionWeights;
  private readonly candidates: number;
  gate: Gate | undefined;

  private constructor(
    readonly encoder: SentenceEncoder,
    options: KnowledgeBaseOptions,
    capacity: number,
  ) {
    const hnsw = options.hnsw ?? DEFAULT_KB_HNSW;
    this.passages = new VectorChannel(encoder.dims, hnsw, capacity);
    this.questions = new VectorChannel(encoder.dims, hnsw, capacity);
    this.weights = options.weights ?? EQUAL_WEIGHTS;
    this.candidates = options.candidates ?? 50;
    this.gate = options.gate;
  }

  /** Chunks, embeds and indexes documents (ids must be unique). */
  static async build(
    encoder: SentenceEncoder,
    documents: readonly KbDocument[],
    options: KnowledgeBaseOptions = {},
  ): Promise<KnowledgeBase> {
    const chunking = options.chunking ?? DEFAULT_CHUNKING;
    const chunks = documents.map((doc) => chunkDocument(doc, chunking));
    const total = chunks.reduce((n, c) => n + c.length, 0);
    const kb = new KnowledgeBase(encoder, options, total);
    const questionTexts = new Set<string>();
    documents.forEach((doc, i) => {
      for (const c of chunks[i]!) questionTexts.add(c.heading);
      for (const q of doc.altQuestions ?? []) questionTexts.add(q);
    });
    const qTexts = [...questionTexts];
    const docEncoder = options.documentEncoder ?? encoder;
    const qVectors = await docEncoder.embed(qTexts);
    qTexts.forEach((text, i) => kb.questionLabelOf.set(text, kb.questions.add(qVectors[i]!)));
    const flat = chunks.flat();
    const pVectors = await docEncoder.embed(flat.map((c) => c.text));
    let n = 0;
    documents.forEach((doc, i) => {
      kb.docs.set(doc.id, doc);
      const alt = (doc.altQuestions ?? []).map((q) => kb.questionLabelOf.get(q)!);
      for (const chunk of chunks[i]!) {
        const label = kb.passages.add(pVectors[n++]!);
        kb.lexical.add(label, chunk, doc.altQuestions);
        kb.entries.push({ chunk, questionLabels: [kb.questionLabelOf.get(chunk.heading)!, ...alt] });
      }
    });
    return kb;
  }

  /** Documents held. */
  get documentCount(): number {
    return this.docs.size;
  }

  /** Chunks held. */
  get chunkCount(): number {
    return this.entries.length;
  }

  /** The documents (id, title, source, kind), in import order. */
  documents(): KbDocument[] {
    return [...this.docs.values()];
  }

  /**
   * Documents ranked for a query (best first), with the best chunk of each. Documents in `without`
   * are left out as if not imported (the gate's calibration asks questions whose page is missing).
   */
  async search(
    query: string,
    k = 10,
    channels: ChannelSelection = 'fused',
    without?: ReadonlySet<string>,
  ): Promise<KbHit[]> {
    return (await this.ranking(query, k, channels, without)).hits;
  }

  /** `search` with what the confidence gate reads of the ranking (its features). */
  async ranking(
    query: string,
    k = 10,
    channels: ChannelSelection = 'fused',
    without?: ReadonlySet<string>,
  ): Promise<Ranking> {
    if (this.entries.length === 0) throw new EmptyKnowledgeBaseError();
    const [vector] = await this.encoder.embed([query]);
    return this.rank(query, vector!, k, channels, without);
  }

  /** The extractive answer with its source, or a refusal when the confidence is below the gate. */
  async answer(query: string): Promise<KbAnswer> {
    const ranking = await this.ranking(query, 5);
    const { hits } = ranking;
    const confidence = confidenceOf(ranking.features, this.gate);
    const top = hits[0];
    if (!top || (this.gate && confidence < this.gate.threshold)) return { answered: false, confidence, hits };
    return {
      answered: true,
      text: extractAnswer(query, top.chunk.text),
      title: top.title,
      source: top.source,
      docId: top.docId,
      confidence,
      hits,
    };
  }

  private rank(
    query: string,
    vector: Float32Array,
    k: number,
    channels: ChannelSelection,
    without?: ReadonlySet<string>,
  ): Ranking {
    const plain = Array.from(vector);
    const lexical = this.lexical.query(query, this.entries.length);
    const candidates = new Set<number>(lexical.ranked.slice(0, this.candidates));
    for (const { label } of this.passages.nearest(plain, this.candidates)) candidates.add(label);
    const nearQuestions = new Set(this.questions.nearest(plain, this.candidates).map((h) => h.label));
    if (nearQuestions.size > 0)
      this.entries.forEach((e, label) => {
        if (e.questionLabels.some((q) => nearQuestions.has(q))) candidates.add(label);
      });
    const moments = {
      question: this.questions.moments(vector),
      passage: this.passages.moments(vector),
      lexical: { mean: lexical.mean, sd: lexical.sd },
    };
    // Per document: its best chunk by the selection's score, and its best score on each channel
    // (the gate's features compare documents channel by channel).
    const best = new Map<string, { score: number; label: number; doc: DocumentScores }>();
    // Chunks of one section share its questions: each question's similarity is computed once.
    const questionSimilarity = new Map<number, number>();
    const similarityOf = (q: number) => {
      let s = questionSimilarity.get(q);
      if (s === undefined) questionSimilarity.set(q, (s = this.questions.similarity(vector, q)));
      return s;
    };
    for (const label of candidates) {
      const entry = this.entries[label]!;
      if (without?.has(entry.chunk.docId)) continue;
      const scores: ChannelScores = {
        question: Math.max(...entry.questionLabels.map(similarityOf)),
        passage: this.passages.similarity(vector, label),
        lexical: lexical.scores.get(label) ?? 0,
      };
      const score =
        channels === 'fused'
          ? fuse(scores, moments, this.weights)
          : channels === 'lexical'
            ? scores.lexical
            : Math.max(scores.question, scores.passage);
      const matched = lexical.matchedTerms.get(label) ?? 0;
      const prev = best.get(entry.chunk.docId);
      if (!prev) {
        best.set(entry.chunk.docId, {
          score,
          label,
          doc: { fused: score, channels: scores, matchedTerms: matched },
        });
        continue;
      }
      const doc = prev.doc;
      doc.channels = {
        question: Math.max(doc.channels.question, scores.question),
        passage: Math.max(doc.channels.passage, scores.passage),
        lexical: Math.max(doc.channels.lexical, scores.lexical),
      };
      doc.matchedTerms = Math.max(doc.matchedTerms, matched);
      if (score > prev.score) {
        prev.score = score;
        prev.label = label;
        doc.fused = score;
      }
    }
    const ranked = [...best].sort((a, b) => b[1].score - a[1].score);
    const hits = ranked.slice(0, k).map(([docId, { score, label }]) => {
      const doc = this.docs.get(docId)!;
      return { docId, title: doc.title, source: doc.source, score, chunk: this.entries[label]!.chunk };
    });
    const features = gateFeatures(
      ranked.map(([, { doc }]) => doc),
      lexical.sd,
      lexical.queryTerms,
    );
    return { hits, ...(features ? { features } : {}) };
  }
}

/** Confidence of a ranking: how far the best document leads the second (in fused z units). */
export function marginOf(hits: readonly KbHit[]): number {
  if (hits.length === 0) return -Infinity;
  return hits[0]!.score - (hits[1]?.score ?? 0);
}
