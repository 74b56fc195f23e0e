// A page that shares with a question only words it mentions in passing is not an answer: "do you
// price match?" must not be answered from "All prices are in US dollars", nor "do you offer a
// military discount?" from "We do not ship to ... military addresses". The ranking cannot tell:
// a rare word matched exactly lifts that page far above the others, so its margin clears the
// gate. What gives it away is that the word is nowhere in what the page is about (its title,
// headings and questions), it stands next to a word the page never uses (the page has "prices",
// not "price match"), and by meaning alone another page ranks first. Asked of the demo help centre
// with their phrasings held out (two folds), none of the phrasings answered from the right page is
// refused (test/kb/coverage.test.ts); "what is your phone number" shares only "phone" with the
// contact page's body and the page never says "number", but that page is first by meaning.
import type { KnowledgeBase } from './knowledge-base.js';
import { contentTerms, lexicalTerm } from './text.js';
import type { KbDocument } from './types.js';

// Words that frame a request rather than name what it is about ("do you offer...", "I need...").
const FRAMING_TERMS: ReadonlySet<string> = new Set(
  'offer offers provide get need want know tell like please possible able way ways anything something thing'
    .split(' ')
    .map((w) => lexicalTerm(w)!),
);

/** The content terms of a page: what it is about (title, headings, questions) and all it says. */
export interface PageTerms {
  topic: ReadonlySet<string>;
  all: ReadonlySet<string>;
}

/** Terms of a document's title, headings (`#` lines of the body), question and other phrasings. */
export function pageTerms(doc: KbDocument): PageTerms {
  const headings = doc.body
    .split(/\r?\n/)
    .filter((line) => /^#{1,6}\s/.test(line))
    .join('\n');
  const topic = contentTerms([doc.title, doc.question ?? '', headings, ...(doc.altQuestions ?? [])].join('\n'));
  const all = new Set([...topic, ...contentTerms(doc.body)]);
  return { topic, all };
}

/**
 * True when the page shares words with the question only in its body text, none of them in what
 * it is about, and one of them stands in the question next to a word the page never uses ("price
 * match", "military discount"): the page mentions the word, not what the question asks about. A
 * question sharing no word is left to the ranking's meaning ("how do I get in touch?"), and so is
 * one whose words the page uses ("is tax included in the price?") or that only adds context ("do
 * you deliver to Canada?"). Pure.
 */
export function mentionsOnlyInPassing(question: string, page: PageTerms): boolean {
  // The question's words in order; function and framing words are gaps.
  const words = question
    .split(/[^\p{L}\p{N}]+/u)
    .map((w) => (w ? lexicalTerm(w) : null))
    .map((t) => (t && !FRAMING_TERMS.has(t) ? t : null));
  const shared = words.filter((t): t is string => t !== null && uses(page.all, t));
  if (shared.length === 0 || shared.some((t) => uses(page.topic, t))) return false;
  return words.some((t, i) => {
    const next = words[i + 1];
    if (!t || !next) return false;
    return uses(page.all, t) !== uses(page.all, next);
  });
}

// A term the page uses, also under another ending the stemmer keeps apart ("deliver" and
// "delivery" stem to "deliv" and "deliveri"): one is a prefix of the other, five letters or more.
function uses(terms: ReadonlySet<string>, term: string): boolean {
  if (terms.has(term)) return true;
  for (const t of terms) {
    const [short, long] = t.length < term.length ? [t, term] : [term, t];
    if (short.length >= 5 && long.startsWith(short)) return true;
  }
  return false;
}

// The dialog looks every message up: a page's terms are stemmed once per built base (a rebuild
// brings new document objects), not on every answer.
const TERMS = new WeakMap<KbDocument, PageTerms>();
function termsOf(doc: KbDocument): PageTerms {
  let terms = TERMS.get(doc);
  if (!terms) TERMS.set(doc, (terms = pageTerms(doc)));
  return terms;
}

/**
 * True when the answer found on page `docId` only mentions a word of the question in passing
 * (`mentionsOnlyInPassing`) and another page ranks first by meaning alone: then it is no answer.
 */
export async function answersOnlyInPassing(kb: KnowledgeBase, question: string, docId: string): Promise<boolean> {
  const page = kb.documents().find((d) => d.id === docId);
  if (!page || !mentionsOnlyInPassing(question, termsOf(page))) return false;
  const [byMeaning] = await kb.search(question, 1, 'vector');
  return byMeaning?.docId !== docId;
}
