import { sentences } from './text.js';
import type { KbChunk, KbDocument } from './types.js';

/** Chunk sizes (characters). */
export interface ChunkOptions {
  /** A chunk is closed before it grows past this (one longer sentence stays whole). */
  maxChars: number;
  /** Characters of the previous chunk's last sentences repeated at the start of the next. */
  overlapChars: number;
}

/** Defaults: a passage of a few sentences; the encoder reads ~128 tokens (~600 characters). */
export const DEFAULT_CHUNKING: ChunkOptions = { maxChars: 600, overlapChars: 120 };

interface Section {
  path: string[];
  paragraphs: string[];
}

/** Splits a Markdown-like body into sections at `#` headings, each a list of paragraphs. */
export function sections(body: string): Section[] {
  const out: Section[] = [];
  const path: string[] = [];
  let current: Section = { path: [], paragraphs: [] };
  let paragraph: string[] = [];
  const flushParagraph = () => {
    const text = paragraph.join(' ').replace(/\s+/g, ' ').trim();
    if (text) current.paragraphs.push(text);
    paragraph = [];
  };
  for (const line of body.split(/\r?\n/)) {
    const heading = /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      flushParagraph();
      if (current.paragraphs.length > 0) out.push(current);
      const depth = heading[1]!.length;
      path.length = Math.min(path.length, depth - 1);
      path[depth - 1] = heading[2]!;
      current = { path: path.filter(Boolean), paragraphs: [] };
    } else if (line.trim() === '') flushParagraph();
    else paragraph.push(line.trim());
  }
  flushParagraph();
  if (current.paragraphs.length > 0) out.push(current);
  return out;
}

/** Packs sentences into chunks of at most `maxChars`, repeating `overlapChars` of the tail. */
function pack(paragraphs: string[], options: ChunkOptions): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let length = 0;
  let fresh = 0; // sentences not yet in any chunk
  const close = () => {
    chunks.push(current.join(' '));
    // Overlap: the last sentences (up to overlapChars) start the next chunk, so an answer that
    // straddles the boundary is whole in one of the two.
    const tail: string[] = [];
    let tailLength = 0;
    for (let i = current.length - 1; i >= 0; i--) {
      const s = current[i]!;
      if (tailLength + s.length > options.overlapChars) break;
      tail.unshift(s);
      tailLength += s.length + 1;
    }
    current = tail;
    length = tailLength;
    fresh = 0;
  };
  for (const paragraph of paragraphs) {
    for (const sentence of sentences(paragraph)) {
      if (length + sentence.length > options.maxChars && length > 0) {
        if (fresh > 0) close();
        // Overlap alone plus this sentence is still too long: start clean.
        if (length + sentence.length > options.maxChars) {
          current = [];
          length = 0;
        }
      }
      current.push(sentence);
      length += sentence.length + 1;
      fresh++;
    }
  }
  if (fresh > 0) chunks.push(current.join(' '));
  return chunks;
}

/**
 * Chunks of a document: FAQ answers under their question; pages by heading section, each section
 * by paragraphs and sentences with overlap. The heading (question or title > section path) is
 * indexed with each chunk so that a query can match the question as well as the passage.
 */
export function chunkDocument(doc: KbDocument, options: ChunkOptions = DEFAULT_CHUNKING): KbChunk[] {
  const out: KbChunk[] = [];
  const add = (heading: string, text: string) =>
    out.push({ id: `${doc.id}#${out.length}`, docId: doc.id, heading, text });
  if (doc.question !== undefined) {
    for (const text of pack(
      sections(doc.body).flatMap((s) => s.paragraphs),
      options,
    ))
      add(doc.question, text);
    return out;
  }
  for (const section of sections(doc.body)) {
    const path =
      section.path.length > 0 && section.path[0] === doc.title ? section.path : [doc.title, ...section.path];
    for (const text of pack(section.paragraphs, options)) add(path.join(' > '), text);
  }
  return out;
}
