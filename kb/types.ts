import { z } from 'zod';

/** Where a document came from. */
export const ZDocumentKind = z.enum(['faq', 'markdown', 'html', 'pdf', 'web']);
/** Where a document came from. */
export type DocumentKind = z.infer<typeof ZDocumentKind>;

/** Most other phrasings one document holds (`altQuestions`). */
export const MAX_ALT_QUESTIONS = 50;

/**
 * One document of the knowledge base: an FAQ entry (question + answer) or a page (title + body in
 * Markdown-like text: `#` headings and blank-line paragraphs). `id` is stable across re-imports
 * (the FAQ id, the file path or the URL), so a re-import updates instead of duplicating.
 */
export const ZKbDocument = z.object({
  id: z.string().min(1).max(500),
  kind: ZDocumentKind,
  title: z.string().min(1).max(500),
  /** The file path or URL shown with "Source:". */
  source: z.string().max(2000),
  /** FAQ entries: the question (matched question-to-question). */
  question: z.string().max(2000).optional(),
  /** Other phrasings of the question (FAQ JSON `questions`, Markdown front matter). */
  altQuestions: z.array(z.string().max(2000)).max(MAX_ALT_QUESTIONS).optional(),
  /** The answer (FAQ) or page body. */
  body: z.string().min(1),
});
/** One document of the knowledge base. */
export type KbDocument = z.infer<typeof ZKbDocument>;

/** A passage of a document: what the indexes hold. */
export interface KbChunk {
  /** `${docId}#${n}`. */
  id: string;
  docId: string;
  /** The FAQ question, or the document title + heading path of the section. */
  heading: string;
  text: string;
}

/** One ranked document for a query. */
export interface KbHit {
  docId: string;
  title: string;
  source: string;
  /** Fused score (sum of per-channel z-scores of the best chunk). */
  score: number;
  /** The best chunk of this document. */
  chunk: KbChunk;
}

/** What `answer` returns: an extract with its source, or a refusal below the confidence gate. */
export type KbAnswer =
  | {
      answered: true;
      text: string;
      title: string;
      source: string;
      docId: string;
      /** What the gate compared with its threshold: the learned probability, or the margin. */
      confidence: number;
      hits: KbHit[];
      /** True when a model wrote the text from the passages (else it is the extract). */
      generated?: boolean;
    }
  | { answered: false; confidence: number; hits: KbHit[] };
